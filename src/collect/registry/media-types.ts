/** Media types of the OCI image spec and the Docker v2 schema 2 formats it grew from. */
export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  empty: 'application/vnd.oci.empty.v1+json',
} as const;

/** What a manifest request accepts: single-platform manifests and multi-platform indexes, OCI and Docker. */
export const MANIFEST_ACCEPT = [MEDIA.ociManifest, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.dockerList].join(', ');

export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList;
}

/** Repository names as the distribution spec allows them: lower-case path components, no `..`, safe as folder names. */
export const REPOSITORY_NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

/** Tags as the distribution spec allows them. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export const DIGEST = /^sha256:[0-9a-f]{64}$/;
