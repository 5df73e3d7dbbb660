/**
 * Generates samples/akko/: the AKKO sample estate (16 images, their cosign
 * signatures and SBOM attestations, Woodpecker CI exports, demo keys and the
 * auditpack configuration). Deterministic: two runs write identical bytes.
 *
 *   npm run samples
 */
import { X509Certificate } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkReportKey, checkSbom, makeVerifier } from './samples/check.ts';
import type { CosignSignature } from './samples/cosign.ts';
import { BASE_IMAGE, IMAGES } from './samples/estate.ts';
import { readme } from './samples/files.ts';
import { demoKeys, demoPdfCertificate, type DemoKeys } from './samples/keys.ts';
import { FIRST_PIPELINE_NUMBER, writeEstate, type Built } from './samples/write-estate.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'akko');
/** What this script writes; anything else in samples/akko (e.g. expected.json) is not ours to delete. */
const GENERATED = ['README.md', 'auditpack.yaml', 'keys', 'evidence', 'woodpecker', 'waivers.yaml', 'manual'];

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
    if (b.provenance) {
      verifier.envelope(`${b.spec.name} provenance`, b.provenance.envelope);
      verifier.attestationEntry(`${b.spec.name} provenance`, b.provenance.envelope, b.provenance.bundle);
    }
    const flags = [b.spec.signFailed && 'no signature', b.spec.staleAttestation && 'stale attestation', b.spec.sparseSbom && 'sparse SBOM'].filter(Boolean);
    console.log(
      `${found.length ? 'INVALID' : 'ok     '} ${b.spec.name.padEnd(17)} ${String(b.pkgs.length).padStart(5)} components  ${b.manifest.digest}${b.provenance ? '  +provenance' : ''}${flags.length ? `  [fault: ${flags.join(', ')}]` : ''}`,
    );
  }
  checkReportKey(keys);
  if (problems.length) throw new Error(`invalid SBOMs:\n${problems.slice(0, 20).join('\n')}`);
  const c = verifier.counts;
  console.log(`verified ${c.signatures} image signatures, ${c.sets} signed entry timestamps, ${c.envelopes} DSSE envelopes, the report key`);
}

async function main(): Promise<void> {
  const keys = demoKeys();
  for (const entry of GENERATED) rmSync(join(OUT, entry), { recursive: true, force: true });
  const pdfCertificate = await demoPdfCertificate(keys);
  if (!new X509Certificate(pdfCertificate).checkPrivateKey(keys.pdf.privateKey)) throw new Error('the demo PDF certificate does not match its key');
  const built: Built[] = [];
  const estate = writeEstate({ out: OUT, keys, pdfCertificate, images: IMAGES, onImage: (b) => built.push(b) });
  const largest = built.reduce((a, b) => (b.pkgs.length > a.pkgs.length ? b : a));
  const last = FIRST_PIPELINE_NUMBER + built.length - 1;
  writeFileSync(
    join(OUT, 'README.md'),
    readme({ imageCount: built.length, pipelines: `${FIRST_PIPELINE_NUMBER}–${last}`, largest: `${largest.spec.name}'s (${largest.pkgs.length} components)` }),
  );
  console.log(`wrote ${OUT} (base image ${BASE_IMAGE} @ ${estate.baseDigest})`);
  await selfCheck(keys, built, estate.baseSignature);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
