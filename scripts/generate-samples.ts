/**
 * Generates samples/akko/: the AKKO sample estate (16 images, their cosign
 * signatures and SBOM attestations, Woodpecker CI exports, demo keys and the
 * auditpack configuration). Deterministic: two runs write identical bytes.
 *
 *   npm run samples
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkReportKey, checkSbom, makeVerifier } from './samples/check.ts';
import { packagesFor, withVcsVersion, type Pkg } from './samples/components.ts';
import {
  attestationImageLayer,
  attestationLine,
  attestationStatement,
  downloadSignatureLine,
  rekorDsseBundle,
  signatureImageLayer,
  signatureImageManifest,
  signImage,
  verifyJson,
  verifyStdout,
  type CosignSignature,
  type RekorBundle,
} from './samples/cosign.ts';
import { BASE_IMAGE, IMAGES, imageRepo, type ImageSpec } from './samples/estate.ts';
import { configYaml, readme, trustedRootJson } from './samples/files.ts';
import { CHANGE_POLICY_MD, WAIVERS_YAML } from './samples/governance.ts';
import { demoKeys, demoPdfCertificate, type DemoKeys } from './samples/keys.ts';
import { attestLog, buildPushLog, cloneLog, signLog, staleAttestLog, stamped, timed, trivyLog, verifyBaseLog, type Weighted } from './samples/logs.ts';
import { baseManifest, imageManifest, type ImageManifest } from './samples/manifest.ts';
import { prng } from './samples/prng.ts';
import { buildSbom } from './samples/sbom.ts';
import {
  BASE_SIGNED,
  PREVIOUS_OPENMETADATA_ATTESTED,
  PREVIOUS_OPENMETADATA_BUILD,
  PREVIOUS_OPENMETADATA_SBOM,
  timelineFor,
  type Span,
  type Timeline,
} from './samples/timeline.ts';
import { renderPipeline, repoJson, type IdCounters, type PipelineSpec, type StepSpec } from './samples/woodpecker.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'akko');
/** What this script writes; anything else in samples/akko (e.g. expected.json) is not ours to delete. */
const GENERATED = ['README.md', 'auditpack.yaml', 'keys', 'evidence', 'woodpecker', 'waivers.yaml', 'manual'];
const FIRST_PIPELINE_NUMBER = 1201;
const AUTHORS = [
  { login: 'mleroy', email: 'm.leroy@akko-ai.com' },
  { login: 'jdurand', email: 'j.durand@akko-ai.com' },
];

/** Everything known about one image once it has been "built". */
interface Built {
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
}

/** The previous mcp-openmetadata build's attestation was logged in March (fault 2), long before this estate's entries. */
const PREVIOUS_ATTEST_LOG_INDEX = 104_317;
/** Images whose signature evidence is the `.sig` manifest and its payload blob (crane), not `cosign download signature`. */
const SIG_MANIFEST_IMAGES = new Set(['trino']);

function write(path: string, content: string | Buffer): void {
  const file = join(OUT, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Rekor log indexes grow with time; other projects' entries fill the gaps. */
function logIndexes(): () => number {
  const r = prng('rekor-log-index');
  let index = 118_200;
  return () => (index += r.int(3, 41));
}

function buildImage(spec: ImageSpec, index: number, keys: DemoKeys, nextLogIndex: () => number): Built {
  const layerCount = 2 + spec.extraLayers;
  const found = packagesFor(spec, layerCount);
  const weight = Math.min(found.length / 3000, 1);
  const manifest = imageManifest(spec.name, spec.extraLayers, weight, 'release-2026.04');
  const timeline = timelineFor(spec, index, found.length);
  const commit = prng(`commit:${spec.name}`).hex(40);
  const pkgs = withVcsVersion(found, timeline.commitTime, commit);
  const repo = imageRepo(spec.name);
  const signLogIndex = nextLogIndex();
  // Fault 1: the tlog entry exists but the registry refused the signature, so none is stored.
  const signature = spec.signFailed ? undefined : signImage(keys, repo, manifest.digest, timeline.signIntegrated, signLogIndex);
  // Fault 2: last build's attestation (its digest, its March SBOM) re-attached to this build.
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
  };
}

function writeEvidence(b: Built): void {
  const dir = `evidence/${b.spec.name}`;
  write(`${dir}/manifest.json`, b.manifest.bytes);
  if (b.signature) {
    if (SIG_MANIFEST_IMAGES.has(b.spec.name)) {
      // crane manifest <repo>:sha256-<hex>.sig, and crane blob of its one layer.
      write(`${dir}/signature-manifest.json`, signatureImageManifest('sig', [signatureImageLayer(b.signature)]));
      write(`${dir}/signature-payload.json`, b.signature.payload);
    } else {
      write(`${dir}/signature.jsonl`, `${downloadSignatureLine(b.signature)}\n`);
    }
    write(`${dir}/cosign-verify.json`, verifyStdout(imageRepo(b.spec.name), b.manifest.digest, [b.signature]));
  }
  write(`${dir}/attestation.jsonl`, `${b.attestation}\n`);
  // crane manifest <repo>:sha256-<hex>.att: the envelope's layer, with the Rekor entry cosign logged for it.
  write(
    `${dir}/attestation-manifest.json`,
    signatureImageManifest('att', [attestationImageLayer(b.attestation, b.attestationBundle, 'https://cyclonedx.org/bom')]),
  );
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

function pipelineSpec(b: Built, index: number, baseVerifyLine: string): PipelineSpec {
  const name = b.spec.name;
  const t = b.timeline;
  const digest = b.manifest.digest;
  const debCount = b.pkgs.filter((p) => p.ecosystem === 'deb').length;
  const attest = b.spec.staleAttestation
    ? staleAttestLog(name, digest, b.attestedDigest, PREVIOUS_OPENMETADATA_SBOM)
    : attestLog(name, digest, b.pkgs.length, b.attestLogIndex);
  const trivy = step('trivy', t.trivy.trivy, trivyLog(name, debCount, languageFiles(b)));
  return {
    number: FIRST_PIPELINE_NUMBER + index,
    commit: b.commit,
    author: prng(`author:${name}`).pick(AUTHORS),
    message: `release 2026.04: ${name}`,
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
          step('build-push', t.trivy.buildPush, buildPushLog(name, b.manifest, t.trivy.buildPush.end - t.trivy.buildPush.start)),
          { ...trivy, lines: stamped(trivy.lines, t.trivy.trivy.start) },
        ],
      },
      {
        name: '10-image-sign',
        span: t.signing.workflow,
        environ: { IMAGE: name },
        steps: [
          step('clone', t.signing.clone, cloneLog(b.commit)),
          step('sign', t.signing.sign, signLog(name, digest, b.signLogIndex, b.spec.signFailed === true)),
          step('attest', t.signing.attest, attest),
        ],
      },
    ],
  };
}

function writeWoodpecker(built: Built[], baseVerifyLine: string): void {
  write('woodpecker/repo.json', repoJson());
  const ids: IdCounters = { pipeline: 5_310, workflow: 10_621, step: 48_213, logEntry: 9_410_000, agent: 3 };
  built.forEach((b, index) => {
    const spec = pipelineSpec(b, index, baseVerifyLine);
    const rendered = renderPipeline(spec, ids);
    write(`woodpecker/pipelines/${spec.number}.json`, rendered.detail);
    for (const [stepId, log] of rendered.logs) write(`woodpecker/logs/${spec.number}/${stepId}.json`, log);
  });
}

function writeKeys(keys: DemoKeys, pdfCertificate: string): void {
  write('keys/cosign.pub', keys.cosign.publicPem);
  write('keys/DEMO-ONLY-cosign.key', keys.cosign.privatePem);
  write('keys/DEMO-ONLY-rekor.key', keys.rekor.privatePem);
  write('keys/DEMO-ONLY-trusted_root.json', trustedRootJson(keys.rekor.spkiDer));
  write('keys/DEMO-ONLY-report-signing.key', keys.report.privatePem);
  write('keys/report-signing.pub', keys.report.publicPem);
  write('keys/DEMO-ONLY-pdf-signing.key', keys.pdf.privatePem);
  write('keys/DEMO-ONLY-pdf-signing.crt', pdfCertificate);
}

async function selfCheck(keys: DemoKeys, built: Built[], base: CosignSignature): Promise<void> {
  const verifier = makeVerifier(keys);
  verifier.signature('base image', base);
  const problems: string[] = [];
  for (const b of built) {
    if (b.signature) verifier.signature(b.spec.name, b.signature);
    verifier.envelope(b.spec.name, b.attestation);
    const found = await checkSbom(b.spec.name, b.sbom);
    problems.push(...found);
    verifier.attestationEntry(b.spec.name, b.attestation, b.attestationBundle);
    const flags = [b.spec.signFailed && 'no signature', b.spec.staleAttestation && 'stale attestation', b.spec.sparseSbom && 'sparse SBOM'].filter(Boolean);
    console.log(
      `${found.length ? 'INVALID' : 'ok     '} ${b.spec.name.padEnd(17)} ${String(b.pkgs.length).padStart(5)} components  ${b.manifest.digest}${flags.length ? `  [fault: ${flags.join(', ')}]` : ''}`,
    );
  }
  checkReportKey(keys);
  if (problems.length) throw new Error(`invalid SBOMs:\n${problems.slice(0, 20).join('\n')}`);
  const c = verifier.counts;
  console.log(`verified ${c.signatures} image signatures, ${c.sets} signed entry timestamps, ${c.envelopes} DSSE envelopes, the report key`);
}

async function main(): Promise<void> {
  const keys = demoKeys();
  const nextLogIndex = logIndexes();
  const base = baseManifest();
  const baseSignature = signImage(keys, imageRepo('base'), base.digest, BASE_SIGNED, nextLogIndex());
  const baseVerifyLine = verifyJson(imageRepo('base'), base.digest, [baseSignature]);
  const built = IMAGES.map((spec, i) => buildImage(spec, i, keys, nextLogIndex));

  for (const entry of GENERATED) rmSync(join(OUT, entry), { recursive: true, force: true });
  const pdfCertificate = await demoPdfCertificate(keys);
  if (!new X509Certificate(pdfCertificate).checkPrivateKey(keys.pdf.privateKey)) throw new Error('the demo PDF certificate does not match its key');
  writeKeys(keys, pdfCertificate);
  for (const b of built) writeEvidence(b);
  writeWoodpecker(built, baseVerifyLine);
  write('auditpack.yaml', configYaml(built.map((b) => ({ name: b.spec.name, digest: b.manifest.digest }))));
  write('waivers.yaml', WAIVERS_YAML);
  write('manual/DEMO-change-management-policy.md', CHANGE_POLICY_MD);
  const largest = built.reduce((a, b) => (b.pkgs.length > a.pkgs.length ? b : a));
  const last = FIRST_PIPELINE_NUMBER + built.length - 1;
  write(
    'README.md',
    readme({ imageCount: built.length, pipelines: `${FIRST_PIPELINE_NUMBER}–${last}`, largest: `${largest.spec.name}'s (${largest.pkgs.length} components)` }),
  );
  console.log(`wrote ${OUT} (base image ${BASE_IMAGE} @ ${base.digest})`);
  await selfCheck(keys, built, baseSignature);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
