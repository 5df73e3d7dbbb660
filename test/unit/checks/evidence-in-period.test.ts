import { describe, expect, it } from 'vitest';
import { evidenceInPeriod } from '../../../src/checks/evidence-in-period.js';
import { parsePeriod } from '../../../src/config/period.js';
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
// The log's key is valid from 2020, so that stale evidence verifies and is judged by its age, not refused by the log's window.
const trust = { keys: [trustedKey(signer)], trustedRoot: trustedRootFor(rekor, '2020-01-01T00:00:00Z') };
const hex = IMAGE.digest.slice(7);
const OTHER = `sha256:${'cd'.repeat(32)}`;
const at = (iso: string) => Date.parse(iso) / 1000;
const MARCH = at('2026-03-20T08:00:00Z');

interface Options {
  sbomTimestamp?: string;
  integratedTime?: number;
  attestedAt?: number;
  finishedAt?: string;
  maxAge?: string;
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
    ...(opts.maxAge ? { maxAge: opts.maxAge } : {}),
  });
}

describe('evidence.in-period', () => {
  it('passes when signing time, attestation time, SBOM timestamp and build run are all in 2026-Q2', async () => {
    const outcome = await evidenceInPeriod.run(ctx({}));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe('4 dated items, all within 2026-Q2');
    expect(Object.keys(outcome.details ?? {})).toEqual([
      'signing time (transparency log)',
      'attestation time (transparency log)',
      'SBOM timestamp',
      'pipeline run #1201 finished',
    ]);
  });

  it('judges an image that runs unchanged into the next quarter on the evidence of its build: Q2 evidence passes for 2026-Q3', async () => {
    const outcome = await evidenceInPeriod.run({ ...ctx({}), period: parsePeriod('2026-Q3', 'UTC') });
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('none after 2026-Q3 nor older than P1Y at its end (2025-10-01); 4 made before the period');
    expect(Object.values(outcome.details ?? {}).every((v) => v.endsWith(' (before the period)'))).toBe(true);
    expect(new Set(outcome.evidence).size).toBe(3);
  });

  it('accepts an attestation signed in the previous quarter, marking it as made before the period', async () => {
    const outcome = await evidenceInPeriod.run(ctx({ attestedAt: MARCH, sbomTimestamp: '2026-03-20T07:59:00Z' }));
    expect(outcome).toMatchObject({ status: 'pass', message: expect.stringContaining('2 made before the period') });
    expect(outcome.details?.['attestation time (transparency log)']).toBe('2026-03-20T08:00:00.000Z (before the period)');
  });

  it('flags (EVIDENCE_STALE) evidence older than the maximum age at the end of the period, whatever else is current', async () => {
    const outcome = await evidenceInPeriod.run(ctx({ attestedAt: at('2025-06-30T23:59:59Z') }));
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_STALE',
      message: 'evidence older than P1Y at the end of 2026-Q2: attestation time (transparency log) 2025-06-30T23:59:59.000Z',
    });
    expect(outcome.details?.['attestation time (transparency log)']).toContain("older than P1Y at the period's end: flagged");
    expect(outcome.evidence).toHaveLength(1);
  });

  it('measures the maximum age back from the end of the period: exactly P1Y before it still counts', async () => {
    expect(await evidenceInPeriod.run(ctx({ attestedAt: at('2025-07-01T00:00:00Z') }))).toMatchObject({ status: 'pass' });
  });

  it('applies a configured maximum age: with P3M, March evidence is stale in a 2026-Q2 report', async () => {
    expect(await evidenceInPeriod.run(ctx({ attestedAt: MARCH, maxAge: 'P3M' }))).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_STALE',
      message: expect.stringContaining('older than P3M'),
    });
  });

  it('treats the quarter as half-open: a run finished 1 July 00:00 UTC post-dates 2026-Q2 (EVIDENCE_OUT_OF_PERIOD)', async () => {
    expect(await evidenceInPeriod.run(ctx({ finishedAt: '2026-07-01T00:00:00.000Z' }))).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_OUT_OF_PERIOD',
      message: 'evidence dated after 2026-Q2: pipeline run #1201 finished 2026-07-01T00:00:00.000Z',
    });
  });

  it('flags (EVIDENCE_OUT_OF_PERIOD) a signing time after the period, and names stale evidence beside it', async () => {
    const outcome = await evidenceInPeriod.run(ctx({ integratedTime: at('2026-08-01T00:00:00Z'), attestedAt: at('2024-01-01T00:00:00Z') }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'EVIDENCE_OUT_OF_PERIOD' });
    expect(outcome.message).toMatch(
      /^evidence dated after 2026-Q2: signing time .* 2026-08-01.*; evidence older than P1Y at the end of 2026-Q2: attestation time .* 2024-01-01/,
    );
  });

  it('never counts a time it cannot read: an unreadable run finish time is flagged (EVIDENCE_STALE)', async () => {
    const outcome = await evidenceInPeriod.run(ctx({ finishedAt: 'last Tuesday' }));
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_STALE',
      message: 'evidence with an unreadable time: pipeline run #1201 finished last Tuesday',
    });
  });

  it("does not let another image's in-period signature, replayed first in the folder, hide this image's late one", async () => {
    const replayed = evidenceFrom('0-signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(OTHER), rekor)]));
    const outcome = await evidenceInPeriod.run(ctx({ integratedTime: at('2026-07-10T00:00:00Z') }, [replayed]));
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_OUT_OF_PERIOD',
      message: expect.stringContaining('signing time (transparency log) 2026-07-10'),
    });
  });

  it("dates nothing from an attestation bound to another digest: its stale SBOM is not this image's", async () => {
    const foreign = dsseBundle(statement(OTHER.slice(7), sbom(1, { timestamp: '2024-01-05T00:00:00Z' })), {
      signer,
      rekor,
      version: '0.1',
      integratedTime: at('2024-01-05T00:00:00Z'),
    });
    const outcome = await evidenceInPeriod.run(ctx({}, [evidenceFrom('0-attestation.sigstore.json', JSON.stringify(foreign))]));
    expect(outcome).toMatchObject({ status: 'pass' });
    expect(outcome.message).toContain('4 dated items');
  });

  it('fails (EVIDENCE_MISSING) when nothing can be dated', async () => {
    expect(await evidenceInPeriod.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
