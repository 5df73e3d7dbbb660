import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/checks/index.js';
import type { CheckContext } from '../../../src/checks/types.js';
import { draftCustody, gateLink } from '../../../src/engine/custody.js';
import type { Finding } from '../../../src/report/model.js';
import {
  KEY_ONLY,
  IMAGE,
  context,
  envelope,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  pipelineRun,
  sbom,
  signatureLine,
  simpleSigningPayload,
  statement,
  trustedKey,
  type ContextInput,
} from '../../helpers/estate.js';
import { BUILDER, COMMIT, EXPECTED, provenanceStatement, slsaV1 } from '../../helpers/provenance.js';

const signer = makeKeyPair();
const HEX = IMAGE.digest.slice(7);
const trust = { keys: [trustedKey(signer)] };
const signature = () => evidenceFrom('signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(IMAGE.digest))]));
const attestations = (...statements: Buffer[]) => evidenceFrom('attestation.jsonl', jsonLines(statements.map((s) => envelope(signer, s))));
const manifest = evidenceFrom(
  'manifest.json',
  JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }),
);

/** Every registered check on the context, as run-checks turns outcomes into findings. */
async function judged(input: Partial<ContextInput>): Promise<{ ctx: CheckContext; findings: Finding[] }> {
  const ctx: CheckContext = { ...context({ trust, verification: KEY_ONLY, ...input }), provenance: EXPECTED };
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const o = await check.run(ctx);
    findings.push({
      id: `${check.id}:${IMAGE.name}`,
      checkId: check.id,
      checkTitle: check.title,
      subject: IMAGE.name,
      status: o.status,
      ...(o.code ? { code: o.code } : {}),
      message: o.message,
      details: o.details ?? {},
      evidence: [...new Set(o.evidence ?? [])].sort(),
    });
  }
  return { ctx, findings };
}

const statusOf = (draft: ReturnType<typeof draftCustody>) => Object.fromEntries(draft.links.map((l) => [l.step, `${l.status}${l.signed ? ' signed' : ''}`]));

describe('custody timeline', () => {
  it('rests on signed provenance when provenance.verified passed: commit, build and push verified and signed', async () => {
    // The image whose manifest was saved: its digest is the SHA-256 of the manifest's bytes.
    const hex = manifest.evidence.sha256;
    const image = { ...IMAGE, digest: `sha256:${hex}` };
    const signed = evidenceFrom('signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(image.digest))]));
    const { ctx, findings } = await judged({
      image,
      items: [signed, attestations(statement(hex, sbom(2)), provenanceStatement(hex, slsaV1())), manifest],
      runs: [pipelineRun({ digest: image.digest })],
    });
    const draft = draftCustody(ctx.analysis, findings);
    expect(draft.basis).toBe('signed-provenance');
    expect(statusOf(draft)).toEqual({
      commit: 'verified signed',
      build: 'verified signed',
      push: 'verified signed',
      sign: 'verified signed',
      attest: 'verified signed',
    });
    const [commit, build, push, , attest] = draft.links;
    expect(commit?.summary).toBe(`commit ${COMMIT} of https://github.com/acme/app (refs/heads/main)`);
    expect(build).toMatchObject({ summary: expect.stringContaining(BUILDER), at: '2026-04-10T09:08:00.000Z', datedBy: 'provenance (signed)' });
    expect(push?.evidence).toContain(manifest.evidence.sha256);
    expect(commit?.findings).toEqual(['provenance.verified:app']);
    expect(attest?.summary).toBe('attested: https://cyclonedx.org/bom, https://slsa.dev/provenance/v1');
  });

  it('falls back to the unsigned CI export, labelled claimed and unsigned, without provenance', async () => {
    const { ctx, findings } = await judged({ items: [signature(), attestations(statement(HEX, sbom(2)))], runs: [pipelineRun()] });
    const draft = draftCustody(ctx.analysis, findings);
    expect(draft.basis).toBe('unsigned-ci-export');
    expect(statusOf(draft)).toMatchObject({ commit: 'claimed', build: 'claimed', push: 'claimed', sign: 'verified signed' });
    expect(draft.links[1]).toMatchObject({
      summary: 'run #1201 (push, success), per the unsigned CI export',
      datedBy: 'CI export (unsigned): the run finished',
      findings: ['pipeline.built:app'],
    });
  });

  it('names the disagreement when the unsigned CI export reports another commit than the signed provenance', async () => {
    const { ctx, findings } = await judged({
      items: [attestations(provenanceStatement(HEX, slsaV1({ commit: 'ab'.repeat(20) })))],
      runs: [pipelineRun()],
    });
    expect(draftCustody(ctx.analysis, findings).links[0]?.summary).toMatch(/the unsigned CI export names commit c0ffee$/);
  });

  it('marks the build links failed when provenance exists but does not count, and missing when there is nothing', async () => {
    const copied = await judged({ items: [attestations(provenanceStatement('cd'.repeat(32), slsaV1()))] });
    const failed = draftCustody(copied.ctx.analysis, copied.findings);
    expect(failed.basis).toBe('none');
    expect(statusOf(failed)).toEqual({ commit: 'failed', build: 'failed', push: 'failed', sign: 'missing', attest: 'failed' });
    const empty = await judged({});
    expect(statusOf(draftCustody(empty.ctx.analysis, empty.findings))).toEqual({
      commit: 'missing',
      build: 'missing',
      push: 'missing',
      sign: 'missing',
      attest: 'missing',
    });
  });

  it('never marks a link verified on a signature by an untrusted key', async () => {
    const forged = evidenceFrom('signature.jsonl', jsonLines([signatureLine(makeKeyPair(), simpleSigningPayload(IMAGE.digest))]));
    const { ctx, findings } = await judged({ items: [forged] });
    expect(draftCustody(ctx.analysis, findings).links[3]).toMatchObject({ step: 'sign', status: 'failed', signed: false });
  });

  it("ends with the gate: this report's verdict, dated by its clock, naming the findings that failed", () => {
    const failing = {
      id: 'sbom.valid:app',
      checkId: 'sbom.valid',
      checkTitle: '',
      subject: 'app',
      status: 'fail' as const,
      message: '',
      details: {},
      evidence: [],
    };
    expect(gateLink('verified', '2026-07-01T08:00:00.000Z', [])).toMatchObject({ status: 'verified', at: '2026-07-01T08:00:00.000Z', datedBy: 'report clock' });
    expect(gateLink('failed', '2026-07-01T08:00:00.000Z', [failing])).toMatchObject({
      status: 'failed',
      summary: 'auditpack: 1 check failed or could not decide (sbom.valid)',
      findings: ['sbom.valid:app'],
    });
  });
});
