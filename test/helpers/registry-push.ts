/**
 * Pushes test content to a registry with the project's own HTTP and auth
 * code (distribution-spec push: monolithic blob upload, manifest PUT), in
 * the shapes cosign gives it: `sha256-<hex>.sig` and `.att` images with
 * cosign's layer annotations, and OCI 1.1 bundle referrers (sigstore-formats.md §4).
 */
import { createHash } from 'node:crypto';
import { RegistrySession } from '../../src/collect/registry/auth.js';
import { Credentials } from '../../src/collect/registry/credentials.js';
import { HttpClient } from '../../src/collect/remote/http.js';
import type { DsseEnvelope } from '../../src/util/wire.js';
import type { LayerSpec } from './oci-layout.js';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const CONFIG = 'application/vnd.oci.image.config.v1+json';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The config of cosign's signatures image: empty but for the layers' diff ids (cosign `pkg/oci/static`). */
function cosignImageConfig(diffIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: diffIds },
      config: {},
    }),
  );
}

export class RegistryPusher {
  private readonly session: RegistrySession;

  constructor(
    readonly registry: URL,
    credentials: Credentials = Credentials.anonymous(),
  ) {
    this.session = new RegistrySession(new HttpClient({ timeoutMs: 20_000, retries: 0, retryDelayMs: 10, concurrency: 4 }), registry, credentials);
  }

  async blob(repository: string, bytes: Buffer, mediaType = 'application/octet-stream'): Promise<Descriptor> {
    const digest = digestOf(bytes);
    const scope = `repository:${repository}:pull,push`;
    const start = await this.session.send(
      { method: 'POST', url: new URL(`/v2/${repository}/blobs/uploads/`, this.registry), maxBytes: 1 << 20, what: `upload to ${repository}` },
      scope,
    );
    if (start.status !== 202) throw new Error(`blob upload to ${repository}: ${start.status} ${start.body.toString()}`);
    const location = new URL(start.headers.get('location') ?? '', this.registry);
    location.searchParams.set('digest', digest);
    const done = await this.session.send(
      { method: 'PUT', url: location, headers: { 'content-type': 'application/octet-stream' }, body: bytes, maxBytes: 1 << 20, what: `blob ${digest}` },
      scope,
    );
    if (done.status !== 201) throw new Error(`blob ${digest} to ${repository}: ${done.status} ${done.body.toString()}`);
    return { mediaType, digest, size: bytes.length };
  }

  async manifest(repository: string, reference: string, bytes: Buffer, mediaType = MANIFEST): Promise<Descriptor> {
    const response = await this.session.send(
      {
        method: 'PUT',
        url: new URL(`/v2/${repository}/manifests/${reference}`, this.registry),
        headers: { 'content-type': mediaType },
        body: bytes,
        maxBytes: 1 << 20,
        what: `manifest ${repository}:${reference}`,
      },
      `repository:${repository}:pull,push`,
    );
    if (response.status !== 201) throw new Error(`manifest ${repository}:${reference}: ${response.status} ${response.body.toString()}`);
    return { mediaType, digest: digestOf(bytes), size: bytes.length };
  }

  /** A small real image (config and one layer pushed), tagged; returns its manifest descriptor. */
  async image(repository: string, tag: string, seed: string): Promise<Descriptor> {
    const config = await this.blob(repository, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', seed })), CONFIG);
    const layer = await this.blob(repository, Buffer.from(`layer of ${seed}\n`), 'application/vnd.oci.image.layer.v1.tar');
    return this.manifest(repository, tag, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config, layers: [layer] })));
  }

  /** cosign's "signatures image" under `sha256-<hex>.<suffix>`: a config listing the layers' digests, one layer per signature or attestation. */
  async cosignAttachment(
    repository: string,
    imageDigest: string,
    suffix: 'sig' | 'att',
    layers: { bytes: Buffer; mediaType: string; annotations: Record<string, string> }[],
  ): Promise<Descriptor> {
    const pushed = [];
    for (const l of layers) pushed.push({ ...(await this.blob(repository, l.bytes, l.mediaType)), annotations: l.annotations });
    const config = await this.blob(repository, cosignImageConfig(pushed.map((l) => l.digest)), CONFIG);
    return this.manifest(
      repository,
      `${imageDigest.replace(':', '-')}.${suffix}`,
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config, layers: pushed })),
    );
  }

  /**
   * A cosign signatures image given as `crane manifest IMAGE:sha256-<hex>.sig`
   * (or `.att`) printed it, pushed byte for byte under its tag with the blobs
   * its layers name (from `blobs`) and the config cosign derives from them.
   */
  async cosignManifest(repository: string, imageDigest: string, suffix: 'sig' | 'att', manifest: Buffer, blobs: Buffer[]): Promise<Descriptor> {
    const parsed = JSON.parse(manifest.toString('utf8')) as { config: { digest: string }; layers: { digest: string; mediaType: string }[] };
    for (const layer of parsed.layers) {
      const bytes = blobs.find((b) => digestOf(b) === layer.digest);
      if (bytes === undefined) throw new Error(`${repository} .${suffix}: no blob given for layer ${layer.digest}`);
      await this.blob(repository, bytes, layer.mediaType);
    }
    const config = cosignImageConfig(parsed.layers.map((l) => l.digest));
    if (digestOf(config) !== parsed.config.digest)
      throw new Error(`${repository} .${suffix}: the manifest names config ${parsed.config.digest}, cosign's would be ${digestOf(config)}`);
    await this.blob(repository, config, CONFIG);
    return this.manifest(repository, `${imageDigest.replace(':', '-')}.${suffix}`, manifest);
  }

  async signatures(repository: string, imageDigest: string, layers: LayerSpec<Buffer>[]): Promise<Descriptor> {
    return this.cosignAttachment(
      repository,
      imageDigest,
      'sig',
      layers.map((l) => ({ bytes: l.content, mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', annotations: l.annotations })),
    );
  }

  /** `.att` layers; `raw` keeps an envelope's exact bytes (as cosign stored them) when given. */
  async attestations(repository: string, imageDigest: string, layers: (LayerSpec<DsseEnvelope> & { raw?: Buffer })[]): Promise<Descriptor> {
    return this.cosignAttachment(
      repository,
      imageDigest,
      'att',
      layers.map((l) => ({
        bytes: l.raw ?? Buffer.from(JSON.stringify(l.content)),
        mediaType: 'application/vnd.dsse.envelope.v1+json',
        annotations: l.annotations,
      })),
    );
  }

  /** A Sigstore bundle as an OCI 1.1 referrer of `subject` (cosign v3), pushed by digest; returns the referrer's descriptor. */
  async bundleReferrer(repository: string, subject: Descriptor, bundle: object, predicateType: string): Promise<Descriptor & { artifactType: string }> {
    const layer = await this.blob(repository, Buffer.from(JSON.stringify(bundle)), BUNDLE);
    const empty = await this.blob(repository, Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST,
        artifactType: BUNDLE,
        config: empty,
        layers: [layer],
        subject,
        annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': predicateType },
      }),
    );
    const descriptor = await this.manifest(repository, digestOf(bytes), bytes);
    return { ...descriptor, artifactType: BUNDLE };
  }

  /** The referrers fallback tag `sha256-<hex>`: an index of the referrers (OCI distribution-spec "referrers tag schema"). */
  async referrersTag(repository: string, subjectDigest: string, referrers: (Descriptor & { artifactType: string })[]): Promise<Descriptor> {
    return this.manifest(
      repository,
      subjectDigest.replace(':', '-'),
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: referrers })),
      INDEX,
    );
  }

  /** A multi-platform index over already pushed manifests. */
  async index(repository: string, tag: string, children: { descriptor: Descriptor; platform: { os: string; architecture: string } }[]): Promise<Descriptor> {
    return this.manifest(
      repository,
      tag,
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: children.map((c) => ({ ...c.descriptor, platform: c.platform })) })),
      INDEX,
    );
  }
}
