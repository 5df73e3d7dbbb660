/**
 * Pushes the committed sample estate (samples/akko) to a test registry the
 * way cosign stored it in Harbor: each image manifest under its tag, and the
 * `.sig` and `.att` images with their layer annotations (the signature and
 * the Rekor bundle that gives each its signed time). Where the sample keeps
 * what `crane manifest …:sha256-<hex>.sig|.att` printed, that manifest is
 * pushed byte for byte with the blobs its layers name (the envelope lines of
 * `attestation.jsonl`, trino's payload blob); the `.sig` of the other images
 * is rebuilt from the `cosign download signature` lines, whose fields are the
 * layer's blob and annotations.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CosignSignatureLine } from '../../src/util/wire.js';
import { ROOT } from '../e2e/cli.js';
import { signatureLayer } from './oci-layout.js';
import type { RegistryPusher } from './registry-push.js';
import { seedPlaceholderBlobs } from './registry-server.js';

export const SAMPLE_DIR = join(ROOT, 'samples', 'akko');
export const SAMPLE_TAG = '2026.04';

export interface SampleImage {
  name: string;
  digest: string;
  repository: string;
}

export async function sampleImages(): Promise<SampleImage[]> {
  const config = parse(await readFile(join(SAMPLE_DIR, 'auditpack.yaml'), 'utf8')) as { images: { name: string; digest: string }[] };
  return config.images.map((i) => ({ name: i.name, digest: i.digest, repository: `akko/${i.name}` }));
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

async function optional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function pushSampleEstate(pusher: RegistryPusher, storage: string): Promise<SampleImage[]> {
  const images = await sampleImages();
  for (const image of images) {
    const dir = join(SAMPLE_DIR, 'evidence', image.name);
    const manifest = await readFile(join(dir, 'manifest.json'));
    const parsed = JSON.parse(manifest.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
    await seedPlaceholderBlobs(storage, image.repository, [parsed.config.digest, ...parsed.layers.map((l) => l.digest)]);
    const pushed = await pusher.manifest(image.repository, SAMPLE_TAG, manifest);
    if (pushed.digest !== image.digest) throw new Error(`${image.name}: pushed ${pushed.digest}, the sample says ${image.digest}`);
    await pushSignatures(pusher, image, dir);
    const attestations = await optional(join(dir, 'attestation-manifest.json'));
    if (attestations !== undefined) {
      // The layer is the envelope as cosign stored it: the line, without the newline `cosign download attestation` adds.
      const envelopes = lines(await readFile(join(dir, 'attestation.jsonl'), 'utf8')).map((l) => Buffer.from(l));
      await pusher.cosignManifest(image.repository, image.digest, 'att', Buffer.from(attestations), envelopes);
    }
  }
  return images;
}

async function pushSignatures(pusher: RegistryPusher, image: SampleImage, dir: string): Promise<void> {
  const manifest = await optional(join(dir, 'signature-manifest.json'));
  if (manifest !== undefined) {
    await pusher.cosignManifest(image.repository, image.digest, 'sig', Buffer.from(manifest), [await readFile(join(dir, 'signature-payload.json'))]);
    return;
  }
  const signatures = await optional(join(dir, 'signature.jsonl'));
  if (signatures !== undefined) {
    await pusher.signatures(
      image.repository,
      image.digest,
      lines(signatures).map((l) => signatureLayer(JSON.parse(l) as CosignSignatureLine)),
    );
  }
}
