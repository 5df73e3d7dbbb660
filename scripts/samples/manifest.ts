/**
 * OCI image manifests. The image digest is the sha256 of the manifest's exact
 * bytes, so each manifest is built once, as compact JSON in the field order
 * of the OCI Go types, and hashed as written.
 */
import { prng, sha256Hex } from './prng.ts';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface ImageManifest {
  /** The exact bytes pushed to the registry (no trailing newline). */
  bytes: Buffer;
  /** `sha256:<hex>` of `bytes`. */
  digest: string;
  config: Descriptor;
  layers: Descriptor[];
}

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CONFIG = 'application/vnd.oci.image.config.v1+json';

/** The two layers of harbor.akko-ai.com/akko/base:2026.04 that every image starts from. */
export const BASE_LAYERS: Descriptor[] = [
  { mediaType: LAYER, digest: `sha256:${sha256Hex('layer:debian:bookworm-slim:20260330')}`, size: 28_231_406 },
  { mediaType: LAYER, digest: `sha256:${sha256Hex('layer:akko-base:2026.04')}`, size: 9_480_117 },
];

export function buildManifest(config: Descriptor, layers: Descriptor[]): ImageManifest {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers }));
  return { bytes, digest: `sha256:${sha256Hex(bytes)}`, config, layers };
}

/**
 * An image built on the base: its own config and `extraLayers` layers whose
 * sizes scale with `weight` (0..1, roughly how heavy the image is).
 * `build` tells two builds of the same image apart.
 */
export function imageManifest(name: string, extraLayers: number, weight: number, build: string): ImageManifest {
  const r = prng(`manifest:${name}:${build}`);
  const config: Descriptor = { mediaType: CONFIG, digest: `sha256:${r.hex(64)}`, size: r.int(3_200, 11_800) };
  const layers = [...BASE_LAYERS];
  for (let i = 0; i < extraLayers; i++) {
    // A few big layers (runtimes, dependencies) among small ones (config, app code).
    const big = i === 0 || r.chance(0.35);
    const size = big ? r.int(8_000_000, 40_000_000 + Math.round(weight * 380_000_000)) : r.int(420, 2_400_000);
    layers.push({ mediaType: LAYER, digest: `sha256:${r.hex(64)}`, size });
  }
  return buildManifest(config, layers);
}

export function baseManifest(): ImageManifest {
  const config: Descriptor = { mediaType: CONFIG, digest: `sha256:${sha256Hex('config:akko-base:2026.04')}`, size: 2_871 };
  return buildManifest(config, BASE_LAYERS);
}
