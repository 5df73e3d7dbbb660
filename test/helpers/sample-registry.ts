/**
 * Pushes the committed sample estate (samples/akko) to a test registry the
 * way cosign stored it in Harbor: each image manifest under its tag, the
 * `cosign download signature` lines as the `.sig` image, the `cosign
 * download attestation` envelopes (their exact bytes) as the `.att` image.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CosignSignatureLine, DsseEnvelope } from '../../src/util/wire.js';
import { ROOT } from '../e2e/cli.js';
import { attestationLayer, signatureLayer } from './oci-layout.js';
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
    const signatures = await optional(join(dir, 'signature.jsonl'));
    if (signatures !== undefined) {
      await pusher.signatures(image.repository, image.digest, lines(signatures).map((l) => signatureLayer(JSON.parse(l) as CosignSignatureLine)));
    }
    const attestations = await optional(join(dir, 'attestation.jsonl'));
    if (attestations !== undefined) {
      await pusher.attestations(
        image.repository,
        image.digest,
        lines(attestations).map((l) => {
          const envelope = JSON.parse(l) as DsseEnvelope;
          const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicateType: string };
          return { ...attestationLayer(envelope, statement.predicateType), raw: Buffer.from(l) };
        }),
      );
    }
  }
  return images;
}
