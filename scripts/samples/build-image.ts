/**
 * One image of an estate, "built": its manifest, SBOM, cosign signature and
 * SBOM attestation with their Rekor entries, and the evidence files an
 * operator exports for it (`cosign download`, `cosign verify`, and `crane
 * manifest` of the `.sig`/`.att` images cosign pushed).
 */
import { packagesFor, withVcsVersion, type Pkg } from './components.ts';
import {
  attestationImageLayer,
  attestationLine,
  attestationStatement,
  downloadSignatureLine,
  rekorDsseBundle,
  signatureImageLayer,
  signatureImageManifest,
  signImage,
  verifyStdout,
  type CosignSignature,
  type RekorBundle,
} from './cosign.ts';
import { imageRepo, type ImageSpec } from './estate.ts';
import type { DemoKeys } from './keys.ts';
import { imageManifest, type ImageManifest } from './manifest.ts';
import { prng } from './prng.ts';
import { buildProvenance, PROVENANCE_V1, type BuiltProvenance } from './provenance.ts';
import { buildSbom } from './sbom.ts';
import { PREVIOUS_OPENMETADATA_ATTESTED, PREVIOUS_OPENMETADATA_BUILD, PREVIOUS_OPENMETADATA_SBOM, timelineFor, type Timeline } from './timeline.ts';

/** Everything known about one image once it has been "built". */
export interface Built {
  spec: ImageSpec;
  commit: string;
  pkgs: Pkg[];
  manifest: ImageManifest;
  timeline: Timeline;
  signature?: CosignSignature;
  signLogIndex: number;
  attestLogIndex: number;
  /** The digest the attestation names: the image's own, or (fault 2) the previous build's. */
  attestedDigest: string;
  sbom: Record<string, unknown>;
  attestation: string;
  /** The attestation's Rekor entry, as the `.att` layer's bundle annotation carries it. */
  attestationBundle: RekorBundle;
  /** SLSA v1 build provenance, attested after the SBOM (images with `provenance: true`). */
  provenance?: BuiltProvenance;
}

/** What of the release train an image's build depends on. */
export interface TrainBuild {
  /** Seeds the image manifests: another build of the same image gets another digest. */
  build: string;
  /** Unix seconds of the train's first pipeline. */
  firstPipeline: number;
  /** Seeds each image's commit. */
  commitSeed: (name: string) => string;
}

/** The previous mcp-openmetadata build's attestation was logged in March (fault 2), long before this estate's entries. */
const PREVIOUS_ATTEST_LOG_INDEX = 104_317;

/** Rekor log indexes grow with time; other projects' entries fill the gaps. */
export function logIndexes(start = 118_200, seed = 'rekor-log-index'): () => number {
  const r = prng(seed);
  let index = start;
  return () => (index += r.int(3, 41));
}

/** Builds the image of `spec` in train slot `slot` (which dates its pipeline); its Rekor entries take the next log indexes. */
export function buildImage(spec: ImageSpec, slot: number, train: TrainBuild, keys: DemoKeys, nextLogIndex: () => number, pipelineNumber: number): Built {
  const layerCount = 2 + spec.extraLayers;
  const found = packagesFor(spec, layerCount);
  const weight = Math.min(found.length / 3000, 1);
  const manifest = imageManifest(spec.name, spec.extraLayers, weight, train.build);
  const timeline = timelineFor(spec, slot, found.length, train.firstPipeline);
  const commit = prng(train.commitSeed(spec.name)).hex(40);
  const pkgs = withVcsVersion(found, timeline.commitTime, commit);
  const repo = imageRepo(spec.name);
  const signLogIndex = nextLogIndex();
  // Fault 1: the tlog entry exists but the registry refused the signature, so none is stored.
  const signature = spec.signFailed ? undefined : signImage(keys, repo, manifest.digest, timeline.signIntegrated, signLogIndex);
  // Fault 2: last build's attestation (its digest, its March SBOM, its March Rekor entry) re-attached to this build.
  const previous = spec.staleAttestation ? imageManifest(spec.name, spec.extraLayers, weight, 'release-2026.03') : undefined;
  const attestedDigest = previous?.digest ?? manifest.digest;
  const attestLogIndex = previous ? 0 : nextLogIndex();
  const sbomPkgs = previous ? withVcsVersion(found, PREVIOUS_OPENMETADATA_BUILD - 1_800, prng(`commit:${spec.name}:2026.03`).hex(40)) : pkgs;
  const sbom = buildSbom({
    image: spec.name,
    repo,
    digest: attestedDigest,
    layers: (previous ?? manifest).layers.map((l) => l.digest),
    pkgs: sbomPkgs,
    timestamp: previous ? PREVIOUS_OPENMETADATA_SBOM : timeline.sbomTime,
    sparse: spec.sparseSbom === true,
  });
  const statement = attestationStatement(repo, attestedDigest.slice('sha256:'.length), sbom);
  const attestation = attestationLine(keys.cosign, statement);
  const attestationBundle = previous
    ? rekorDsseBundle(keys, attestation, PREVIOUS_OPENMETADATA_ATTESTED, PREVIOUS_ATTEST_LOG_INDEX)
    : rekorDsseBundle(keys, attestation, timeline.attestIntegrated, attestLogIndex);
  // Its log index follows the SBOM attestation's: the next image's entries are at least 3 further on.
  const provenance = spec.provenance
    ? buildProvenance(keys, { name: spec.name, repo, digest: manifest.digest, commit, pipelineNumber, timeline, logIndex: attestLogIndex + 1 })
    : undefined;
  return {
    spec,
    commit,
    pkgs,
    manifest,
    timeline,
    signLogIndex,
    attestLogIndex,
    attestedDigest,
    sbom,
    attestation,
    attestationBundle,
    ...(signature ? { signature } : {}),
    ...(provenance ? { provenance } : {}),
  };
}

/** Writes the image's evidence folder, `evidence/<name>/`. */
export function writeImageEvidence(write: (path: string, content: string | Buffer) => void, b: Built): void {
  const dir = `evidence/${b.spec.name}`;
  write(`${dir}/manifest.json`, b.manifest.bytes);
  if (b.signature) {
    if (b.spec.signatureAsManifest) {
      // crane manifest <repo>:sha256-<hex>.sig, and crane blob of its one layer.
      write(`${dir}/signature-manifest.json`, signatureImageManifest('sig', [signatureImageLayer(b.signature)]));
      write(`${dir}/signature-payload.json`, b.signature.payload);
    } else {
      write(`${dir}/signature.jsonl`, `${downloadSignatureLine(b.signature)}\n`);
    }
    write(`${dir}/cosign-verify.json`, verifyStdout(imageRepo(b.spec.name), b.manifest.digest, [b.signature]));
  }
  // cosign download attestation prints one envelope a line; the .att image holds one layer each, in attestation order.
  const lines = [b.attestation, ...(b.provenance ? [b.provenance.envelope] : [])];
  write(`${dir}/attestation.jsonl`, lines.map((l) => `${l}\n`).join(''));
  // crane manifest <repo>:sha256-<hex>.att: the envelopes' layers, with the Rekor entries cosign logged for them.
  const layers = [
    attestationImageLayer(b.attestation, b.attestationBundle, 'https://cyclonedx.org/bom'),
    ...(b.provenance ? [attestationImageLayer(b.provenance.envelope, b.provenance.bundle, PROVENANCE_V1)] : []),
  ];
  write(`${dir}/attestation-manifest.json`, signatureImageManifest('att', layers));
}
