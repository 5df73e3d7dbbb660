import { describe, expect, it } from 'vitest';
import { evidenceInPeriod } from '../../../src/checks/evidence-in-period.js';
import { dsseBundle } from '../../helpers/bundles.js';
import {
  IMAGE,
  context,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  pipelineRun,
  sbom,
  signatureLine,
  simpleSigningPayload,
  statement,
  trustedKey,
  trustedRootFor,
} from '../../helpers/estate.js';

const signer = makeKeyPair();
const rekor = makeKeyPair();
const trust = { keys: [trustedKey(signer)], trustedRoot: trustedRootFor(rekor) };
const hex = IMAGE.digest.slice(7);
const OTHER = `sha256:${'cd'.repeat(32)}`;
const MARCH = Date.parse('2026-03-20T08:00:00Z') / 1000;

interface Options {
  sbomTimestamp?: string;
  integratedTime?: number;
  attestedAt?: number;
  finishedAt?: string;
}

function ctx(opts: Options, extra: ReturnType<typeof evidenceFrom>[] = []) {
  const attestation = dsseBundle(statement(hex, sbom(1, opts.sbomTimestamp ? { timestamp: opts.sbomTimestamp } : {})), {
    signer,
    rekor,
    version: '0.1',
    integratedTime: opts.attestedAt ?? 1776000100,
  });
  return context({
    trust,
    items: [
      ...extra,
      evidenceFrom('signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(IMAGE.digest), rekor, opts.integratedTime)])),
      evidenceFrom('attestation.sigstore.json', JSON.stringify(attestation)),
    ],
    runs: [pipelineRun(opts.finishedAt ? { finishedAt: opts.finishedAt } : {})],
  });
}

describe('evidence.in-period', () => {
  it('passes when signing time, attestation time, SBOM timestamp and build run are all in 2026-Q2', async () => {
    const outcome = await evidenceInPeriod.run(ctx({}));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('4 dated items');
    expect(Object.keys(outcome.details ?? {})).toEqual([
      'signing time (transparency log)',
      'attestation time (transparency log)',
      'SBOM timestamp',
      'pipeline run #1201 finished',
    ]);
  });

  it('flags (EVIDENCE_OUT_OF_PERIOD) an SBOM dated in the previous quarter', async () => {
    const outcome = await evidenceInPeriod.run(ctx({ sbomTimestamp: '2026-03-20T08:00:00Z' }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'EVIDENCE_OUT_OF_PERIOD' });
    expect(outcome.message).toContain('SBOM timestamp 2026-03-20T08:00:00.000Z');
  });

  it('flags (EVIDENCE_OUT_OF_PERIOD) an attestation signed in the previous quarter', async () => {
    expect(await evidenceInPeriod.run(ctx({ attestedAt: MARCH }))).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_OUT_OF_PERIOD',
      message: expect.stringContaining('attestation time (transparency log) 2026-03-20'),
    });
  });

  it('treats the quarter as half-open: 1 July 00:00 UTC is outside 2026-Q2 (EVIDENCE_OUT_OF_PERIOD)', async () => {
    expect(await evidenceInPeriod.run(ctx({ finishedAt: '2026-07-01T00:00:00.000Z' }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_OUT_OF_PERIOD' });
  });

  it('flags (EVIDENCE_OUT_OF_PERIOD) a signing time after the period', async () => {
    expect(await evidenceInPeriod.run(ctx({ integratedTime: Date.parse('2026-08-01T00:00:00Z') / 1000 }))).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_OUT_OF_PERIOD',
    });
  });

  it("does not let another image's in-period signature, replayed first in the folder, hide this image's out-of-period one", async () => {
    const replayed = evidenceFrom('0-signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(OTHER), rekor)]));
    const outcome = await evidenceInPeriod.run(ctx({ integratedTime: MARCH }, [replayed]));
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_OUT_OF_PERIOD',
      message: expect.stringContaining('signing time (transparency log) 2026-03-20'),
    });
  });

  it("dates nothing from an attestation bound to another digest: its SBOM is not this image's", async () => {
    const foreign = dsseBundle(statement(OTHER.slice(7), sbom(1, { timestamp: '2026-01-05T00:00:00Z' })), {
      signer,
      rekor,
      version: '0.1',
      integratedTime: MARCH,
    });
    const outcome = await evidenceInPeriod.run(ctx({}, [evidenceFrom('0-attestation.sigstore.json', JSON.stringify(foreign))]));
    expect(outcome).toMatchObject({ status: 'pass' });
    expect(outcome.message).toContain('4 dated items');
  });

  it('fails (EVIDENCE_MISSING) when nothing can be dated', async () => {
    expect(await evidenceInPeriod.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
