/**
 * The generator's self-check: every SBOM must be valid CycloneDX 1.5 with
 * unique bom-refs and resolvable dependencies, and every signature, signed
 * entry timestamp and DSSE signature must verify with node:crypto. Any
 * failure fails `npm run samples`.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { canonicalJson } from './json.ts';
import { IN_TOTO, pae, type CosignSignature, type RekorBundle } from './cosign.ts';
import type { DemoKeys } from './keys.ts';

type Json = Record<string, unknown>;

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot5);

/** Schema validity plus what the schema cannot see: duplicate and dangling references. */
export async function checkSbom(image: string, sbom: Json): Promise<string[]> {
  const problems: string[] = [];
  const errors: unknown = await validator.validate(JSON.stringify(sbom));
  if (errors !== null) problems.push(`schema: ${JSON.stringify(errors).slice(0, 400)}`);
  const components = sbom.components as Json[];
  const refs = new Set(components.map((c) => String(c['bom-ref'])));
  if (refs.size !== components.length) problems.push(`${components.length - refs.size} duplicate bom-refs`);
  for (const dep of sbom.dependencies as { ref: string; dependsOn: string[] }[]) {
    for (const ref of [dep.ref, ...dep.dependsOn]) if (!refs.has(ref)) problems.push(`dangling dependency ref ${ref}`);
  }
  return problems.map((p) => `${image}: ${p}`);
}

export interface CryptoChecks {
  signatures: number;
  sets: number;
  envelopes: number;
}

/** Verifies with node:crypto, independently of the @noble/curves code that signed. */
export function makeVerifier(keys: DemoKeys) {
  const cosign = createPublicKey(keys.cosign.publicPem);
  const rekor = createPublicKey({ key: keys.rekor.spkiDer, format: 'der', type: 'spki' });
  const counts: CryptoChecks = { signatures: 0, sets: 0, envelopes: 0 };
  const must = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`self-check failed: ${what}`);
  };
  return {
    counts,
    signature(what: string, sig: CosignSignature): void {
      must(verify('sha256', sig.payload, cosign, Buffer.from(sig.base64Signature, 'base64')), `${what}: image signature`);
      counts.signatures++;
      const p = sig.bundle.Payload;
      const set = Buffer.from(canonicalJson({ body: p.body, integratedTime: p.integratedTime, logID: p.logID, logIndex: p.logIndex }));
      must(verify('sha256', set, rekor, Buffer.from(sig.bundle.SignedEntryTimestamp, 'base64')), `${what}: signed entry timestamp`);
      counts.sets++;
    },
    /** The attestation's Rekor entry: a dsse/0.0.1 body naming this envelope's signature and payload, and a valid SET. */
    attestationEntry(what: string, line: string, bundle: RekorBundle): void {
      const env = JSON.parse(line) as { payload: string; signatures: { sig: string }[] };
      const body = JSON.parse(Buffer.from(bundle.Payload.body, 'base64').toString('utf8')) as { kind: string; spec: { signatures: { signature: string }[] } };
      must(body.kind === 'dsse' && body.spec.signatures[0]?.signature === env.signatures[0]?.sig, `${what}: attestation log entry names the envelope's signature`);
      const p = bundle.Payload;
      const set = Buffer.from(canonicalJson({ body: p.body, integratedTime: p.integratedTime, logID: p.logID, logIndex: p.logIndex }));
      must(verify('sha256', set, rekor, Buffer.from(bundle.SignedEntryTimestamp, 'base64')), `${what}: attestation signed entry timestamp`);
      counts.sets++;
    },
    envelope(what: string, line: string): void {
      const env = JSON.parse(line) as { payloadType: string; payload: string; signatures: { sig: string }[] };
      const signed = pae(env.payloadType, Buffer.from(env.payload, 'base64'));
      must(env.payloadType === IN_TOTO && env.signatures.every((s) => verify('sha256', signed, cosign, Buffer.from(s.sig, 'base64'))), `${what}: DSSE signature`);
      counts.envelopes++;
    },
  };
}

export function checkReportKey(keys: DemoKeys): void {
  const message = Buffer.from('auditpack demo report seal self-check');
  const publicKey: KeyObject = createPublicKey(keys.report.publicPem);
  if (!verify(null, message, publicKey, keys.report.sign(message))) throw new Error('self-check failed: report signing key');
}
