/**
 * Builds and writes an estate: per image its manifest, cosign signature, SBOM
 * attestation and Woodpecker pipeline, then the keys, the configuration and
 * the governance files. `npm run samples` writes the 16-image AKKO sample with
 * it; `bench/estate.mjs` writes estates of thousands of images (see
 * `scaledImages`). One image at a time: nothing but a small summary of each
 * image is kept, so memory does not grow with the estate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildImage, logIndexes, writeImageEvidence, type Built, type TrainBuild } from './build-image.ts';
import { signImage, verifyJson, type CosignSignature } from './cosign.ts';
import { IMAGES, imageRepo, TAG, type ImageSpec } from './estate.ts';
import { configYaml, trustedRootJson } from './files.ts';
import { CHANGE_POLICY_MD, WAIVERS_YAML } from './governance.ts';
import type { DemoKeys } from './keys.ts';
import { attestLog, buildPushLog, cloneLog, signLog, staleAttestLog, stamped, timed, trivyLog, verifyBaseLog, type Weighted } from './logs.ts';
import { baseManifest } from './manifest.ts';
import { prng } from './prng.ts';
import { BASE_SIGNED, FIRST_PIPELINE, PREVIOUS_OPENMETADATA_SBOM, type Span } from './timeline.ts';
import { renderPipeline, repoJson, type IdCounters, type PipelineSpec, type StepSpec } from './woodpecker.ts';

export type { Built } from './build-image.ts';

export const FIRST_PIPELINE_NUMBER = 1201;

/** One release train: when the estate was built, under which tag, for which period. */
export interface Release extends TrainBuild {
  tag: string;
  period: string;
  firstPipelineNumber: number;
  /** Woodpecker database ids at the train's start. */
  ids: IdCounters;
  /** The train's transparency-log indexes; absent: they follow the base image's signature. */
  logIndexes?: { start: number; seed: string };
  waiversYaml: string;
}

/** The April 2026 train: the committed sample (samples/akko), reported on for 2026-Q2. */
export const APRIL_2026: Release = {
  tag: TAG,
  build: 'release-2026.04',
  period: '2026-Q2',
  firstPipeline: FIRST_PIPELINE,
  firstPipelineNumber: FIRST_PIPELINE_NUMBER,
  ids: { pipeline: 5_310, workflow: 10_621, step: 48_213, logEntry: 9_410_000, agent: 3 },
  commitSeed: (name) => `commit:${name}`,
  waiversYaml: WAIVERS_YAML,
};
const AUTHORS = [
  { login: 'mleroy', email: 'm.leroy@akko-ai.com' },
  { login: 'jdurand', email: 'j.durand@akko-ai.com' },
];

export interface EstateOptions {
  /** The folder to write into (created if missing; nothing in it is deleted). */
  out: string;
  keys: DemoKeys;
  /** The demo certificate that signs report.pdf (`demoPdfCertificate(keys)`), written beside its key. */
  pdfCertificate: string;
  images: ImageSpec[];
  /**
   * The image's slot in the release train, which dates its pipeline
   * (default: its index). Estates larger than the sample reuse the 16 slots
   * so that every build stays in the same two days of April.
   */
  trainSlot?: (index: number) => number;
  /** The release train (default: April 2026, the committed sample). */
  release?: Release;
  /** Called with each image once written (the sample keeps them for its self-check). */
  onImage?: (built: Built) => void;
}

export interface WrittenEstate {
  baseDigest: string;
  baseSignature: CosignSignature;
  images: { name: string; digest: string; components: number }[];
}

function languageFiles(b: Built): { kind: string; label: string }[] {
  const c = b.spec.contents;
  return [
    ...(c.pypi ? [{ kind: 'python-pkg', label: 'Python' }] : []),
    ...(c.npm || c.runtimes?.includes('node') ? [{ kind: 'node-pkg', label: 'Node.js' }] : []),
    ...(c.jars ? [{ kind: 'jar', label: 'Java' }] : []),
    ...(c.go ?? []).map((g) => ({ kind: 'gobinary', label: g.path.replace(/^\//, '') })),
  ];
}

const step = (name: string, span: Span, lines: Weighted[]): StepSpec => ({
  name,
  type: name === 'clone' ? 'clone' : 'commands',
  span,
  lines: timed(lines, span.end - span.start),
});

function pipelineSpec(b: Built, index: number, baseVerifyLine: string, release: Release): PipelineSpec {
  const name = b.spec.name;
  const t = b.timeline;
  const digest = b.manifest.digest;
  const debCount = b.pkgs.filter((p) => p.ecosystem === 'deb').length;
  const attest = b.spec.staleAttestation
    ? staleAttestLog(name, digest, b.attestedDigest, PREVIOUS_OPENMETADATA_SBOM)
    : attestLog(name, digest, b.pkgs.length, b.attestLogIndex, release.tag);
  const trivy = step('trivy', t.trivy.trivy, trivyLog(name, debCount, languageFiles(b), release.tag));
  return {
    number: release.firstPipelineNumber + index,
    commit: b.commit,
    author: prng(`author:${name}`).pick(AUTHORS),
    message: `release ${release.tag}: ${name}`,
    commitTime: t.commitTime,
    created: t.created,
    changedFiles: [`images/${name}/Dockerfile`, `images/${name}/VERSION`],
    workflows: [
      {
        name: '06-trivy',
        span: t.trivy.workflow,
        environ: { IMAGE: name },
        steps: [
          step('clone', t.trivy.clone, cloneLog(b.commit)),
          step('verify-base', t.trivy.verifyBase, verifyBaseLog(baseVerifyLine)),
          step('build-push', t.trivy.buildPush, buildPushLog(name, b.manifest, t.trivy.buildPush.end - t.trivy.buildPush.start, release.tag)),
          { ...trivy, lines: stamped(trivy.lines, t.trivy.trivy.start) },
        ],
      },
      {
        name: '10-image-sign',
        span: t.signing.workflow,
        environ: { IMAGE: name },
        steps: [
          step('clone', t.signing.clone, cloneLog(b.commit)),
          step('sign', t.signing.sign, signLog(name, digest, b.signLogIndex, b.spec.signFailed === true, release.tag)),
          step('attest', t.signing.attest, attest),
        ],
      },
    ],
  };
}

/** Writes the estate into `options.out` and returns a summary of its images. */
export function writeEstate(options: EstateOptions): WrittenEstate {
  const write = (path: string, content: string | Buffer): void => {
    const file = join(options.out, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  const { keys } = options;
  const release = options.release ?? APRIL_2026;
  // The base image was signed once, in April, before the first train.
  const aprilLogIndexes = logIndexes();
  const base = baseManifest();
  const baseSignature = signImage(keys, imageRepo('base'), base.digest, BASE_SIGNED, aprilLogIndexes());
  const baseVerifyLine = verifyJson(imageRepo('base'), base.digest, [baseSignature]);
  const nextLogIndex = release.logIndexes ? logIndexes(release.logIndexes.start, release.logIndexes.seed) : aprilLogIndexes;
  const ids: IdCounters = { ...release.ids };
  const images: WrittenEstate['images'] = [];
  write('woodpecker/repo.json', repoJson());
  options.images.forEach((spec, index) => {
    const b = buildImage(spec, options.trainSlot?.(index) ?? index, release, keys, nextLogIndex, release.firstPipelineNumber + index);
    writeImageEvidence(write, b);
    const pipeline = renderPipeline(pipelineSpec(b, index, baseVerifyLine, release), ids);
    const number = release.firstPipelineNumber + index;
    write(`woodpecker/pipelines/${number}.json`, pipeline.detail);
    for (const [stepId, log] of pipeline.logs) write(`woodpecker/logs/${number}/${stepId}.json`, log);
    images.push({ name: spec.name, digest: b.manifest.digest, components: b.pkgs.length });
    options.onImage?.(b);
  });
  writeKeys(write, keys, options.pdfCertificate);
  write('auditpack.yaml', configYaml(images, release));
  write('waivers.yaml', release.waiversYaml);
  write('manual/DEMO-change-management-policy.md', CHANGE_POLICY_MD);
  return { baseDigest: base.digest, baseSignature, images };
}

function writeKeys(write: (path: string, content: string | Buffer) => void, keys: DemoKeys, pdfCertificate: string): void {
  write('keys/cosign.pub', keys.cosign.publicPem);
  write('keys/DEMO-ONLY-cosign.key', keys.cosign.privatePem);
  write('keys/DEMO-ONLY-rekor.key', keys.rekor.privatePem);
  write('keys/DEMO-ONLY-trusted_root.json', trustedRootJson(keys.rekor.spkiDer));
  write('keys/DEMO-ONLY-report-signing.key', keys.report.privatePem);
  write('keys/report-signing.pub', keys.report.publicPem);
  write('keys/DEMO-ONLY-pdf-signing.key', keys.pdf.privatePem);
  write('keys/DEMO-ONLY-pdf-signing.crt', pdfCertificate);
}

/**
 * `count` images for a synthetic estate: the sample's 16 kinds of image in
 * turn, each copy named `<kind>-<n>` (so it gets its own digest, signature,
 * SBOM serial and pipeline) and given the sample's train slot of its kind.
 * The sample's faults come along: 3 of every 16 images fail, as in the sample.
 */
export function scaledImages(count: number): { images: ImageSpec[]; trainSlot: (index: number) => number } {
  const width = String(count).length;
  const images = Array.from({ length: count }, (_, i) => {
    const kind = IMAGES[i % IMAGES.length] as ImageSpec;
    return { ...kind, name: `${kind.name}-${String(i).padStart(width, '0')}` };
  });
  return { images, trainSlot: (index) => index % IMAGES.length };
}
