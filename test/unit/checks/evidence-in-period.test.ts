import { describe, expect, it } from 'vitest';
import { evidenceInPeriod } from '../../../src/checks/evidence-in-period.js';
import { IMAGE, context, envelope, evidenceFrom, jsonLines, makeKeyPair, pipelineRun, sbom, signatureLine, simpleSigningPayload, statement, trustedKey, trustedRootFor } from '../../helpers/estate.js';

const signer = makeKeyPair();
const rekor = makeKeyPair();
const trust = { keys: [trustedKey(signer)], trustedRoot: trustedRootFor(rekor) };
const hex = IMAGE.digest.slice(7);

function ctx(opts: { sbomTimestamp?: string; integratedTime?: number; finishedAt?: string }) {
  return context({
    trust,
    items: [
      evidenceFrom('signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(IMAGE.digest), rekor, opts.integratedTime)])),
      evidenceFrom('attestation.jsonl', jsonLines([envelope(signer, statement(hex, sbom(1, opts.sbomTimestamp ? { timestamp: opts.sbomTimestamp } : {})))])),
    ],
    runs: [pipelineRun(opts.finishedAt ? { finishedAt: opts.finishedAt } : {})],
  });
}

describe('evidence.in-period', () => {
  it('passes when signing time, SBOM timestamp and run are all in 2026-Q2', async () => {
    const outcome = await evidenceInPeriod.run(ctx({}));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('3 dated items');
  });

  it('flags an SBOM dated in the previous quarter', async () => {
    const outcome = await evidenceInPeriod.run(ctx({ sbomTimestamp: '2026-03-20T08:00:00Z' }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'EVIDENCE_OUT_OF_PERIOD' });
    expect(outcome.message).toContain('SBOM timestamp 2026-03-20T08:00:00.000Z');
  });

  it('treats the quarter as half-open: 1 July 00:00 UTC is outside 2026-Q2', async () => {
    expect((await evidenceInPeriod.run(ctx({ finishedAt: '2026-07-01T00:00:00.000Z' }))).status).toBe('fail');
  });

  it('flags a signing time after the period', async () => {
    expect((await evidenceInPeriod.run(ctx({ integratedTime: Date.parse('2026-08-01T00:00:00Z') / 1000 }))).status).toBe('fail');
  });

  it('fails when nothing can be dated', async () => {
    expect(await evidenceInPeriod.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
