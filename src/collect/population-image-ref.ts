/**
 * Image references as a cluster reports them. The digest that runs comes
 * from a container status's `imageID`, which the container runtime sets to the
 * registry manifest digest it pulled (`docker-pullable://reg/repo@sha256:…`
 * for dockershim, `reg/repo@sha256:…` for containerd and CRI-O). A tag says
 * what was asked for, not what runs, so no digest is ever taken from one; nor
 * from a bare `sha256:…` or `docker://sha256:…`, which is the runtime's local
 * image id (the digest of the image's configuration), not a manifest digest.
 */

export type ImageIdReading = { ok: true; repository: string; digest: string } | { ok: false; reason: string };

/** Longer imageIDs are cut in messages: the export is hostile and the report must stay readable. */
const SHOWN = 200;

export function readImageId(imageId: unknown): ImageIdReading {
  if (typeof imageId !== 'string' || imageId === '') {
    return { ok: false, reason: 'no imageID in its status: the image has not been pulled or the container has not been created' };
  }
  const bare = imageId.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  const named = /^([^@\s]+)@(sha256:[0-9a-f]{64})$/.exec(bare);
  if (named?.[1] !== undefined && named[2] !== undefined) return { ok: true, repository: normaliseRepository(named[1]), digest: named[2] };
  if (/^sha256:[0-9a-f]{64}$/.test(bare)) {
    return { ok: false, reason: `its imageID ${shown(imageId)} is the runtime's local image id, not a registry manifest digest` };
  }
  return { ok: false, reason: `its imageID ${shown(imageId)} names no registry digest (<repository>@sha256:<64 hex>)` };
}

/** The repository of a reference (`harbor.example/akko/app:1.2`, `nginx@sha256:…`), normalised. */
export function repositoryOf(reference: string): string {
  const withoutDigest = reference.split('@')[0] ?? reference;
  const colon = withoutDigest.lastIndexOf(':');
  const tagged = colon > withoutDigest.lastIndexOf('/');
  return normaliseRepository(tagged ? withoutDigest.slice(0, colon) : withoutDigest);
}

/**
 * One name per repository, as the Docker reference grammar resolves it: a
 * first component without `.` or `:` (and not `localhost`) is a Docker Hub
 * path, and an official image gains `library/`; Docker Hub's host aliases are
 * one host; hosts are case-insensitive.
 */
export function normaliseRepository(name: string): string {
  const [first = '', ...rest] = name.split('/');
  const hasHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first.toLowerCase() : 'docker.io';
  const path = hasHost ? rest.join('/') : name;
  const dockerHub = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(host);
  return dockerHub ? `docker.io/${path.includes('/') ? path : `library/${path}`}` : `${host}/${path}`;
}

export function shown(text: string): string {
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}… (${text.length} characters)` : text;
}
