import { describe, expect, it } from 'vitest';
import { deriveControlResult } from '../../../src/engine/control-status.js';

const CTX = { periodEnd: '2026-07-01' };
import type { CatalogControl } from '../../../src/frameworks/catalog.js';
import type { ErrorCode, Finding, FindingStatus } from '../../../src/report/model.js';

const control: CatalogControl = {
  id: 'x-1',
  citation: 'Regulation (EU) 0000/0000, Art. 1(1)',
  title: 'Title',
  paraphrase: ' Words. ',
  source: 'https://example.invalid',
  support: [
    { check: 'signature.verified', strength: 'partial', reasoning: 'r' },
    { check: 'signature.binds-digest', strength: 'partial', reasoning: 'r' },
  ],
  notCovered: ['policies'],
};

function finding(checkId: string, subject: string, status: FindingStatus, code?: ErrorCode): Finding {
  return { id: `${checkId}:${subject}`, checkId, checkTitle: checkId, subject, status, ...(code ? { code } : {}), message: '', details: {}, evidence: [] };
}
const both = (subject: string, a: FindingStatus, b: FindingStatus, code?: ErrorCode) => [finding('signature.verified', subject, a, code), finding('signature.binds-digest', subject, b, code)];

describe('deriveControlResult', () => {
  it('is supported only when every supporting check passed for every subject', () => {
    const r = deriveControlResult(control, ['a', 'b'], [...both('a', 'pass', 'pass'), ...both('b', 'pass', 'pass')], CTX);
    expect(r).toMatchObject({ status: 'supported', coverage: { passed: 2, total: 2 } });
  });

  it('is partially supported with the coverage when some subjects fail', () => {
    const r = deriveControlResult(control, ['a', 'b', 'c'], [...both('a', 'pass', 'pass'), ...both('b', 'pass', 'fail'), ...both('c', 'pass', 'pass')], CTX);
    expect(r).toMatchObject({ status: 'partially-supported', coverage: { passed: 2, total: 3 } });
  });

  it('is not supported when every subject fails', () => {
    expect(deriveControlResult(control, ['a'], both('a', 'fail', 'fail', 'SIGNATURE_INVALID'), CTX).status).toBe('not-supported');
  });

  it('is not assessed when the only failures are missing evidence', () => {
    expect(deriveControlResult(control, ['a'], both('a', 'fail', 'fail', 'EVIDENCE_MISSING'), CTX).status).toBe('not-assessed');
  });

  it('never passes a subject with an error finding', () => {
    const r = deriveControlResult(control, ['a'], both('a', 'pass', 'error', 'INTERNAL'), CTX);
    expect(r.status).toBe('not-supported');
    expect(r.coverage.passed).toBe(0);
  });

  it('never passes a subject for which a supporting check produced no finding', () => {
    const r = deriveControlResult(control, ['a'], [finding('signature.verified', 'a', 'pass')], CTX);
    expect(r).toMatchObject({ status: 'not-assessed', coverage: { passed: 0, total: 1 } });
  });

  it('is not applicable when the clause applies only after the period', () => {
    const r = deriveControlResult({ ...control, appliesFrom: '2027-12-11' }, ['a'], both('a', 'pass', 'pass'), CTX);
    expect(r).toMatchObject({ status: 'not-applicable', statusReason: 'applies from 2027-12-11, after the period' });
  });

  it('applies from a date inside the period', () => {
    expect(deriveControlResult({ ...control, appliesFrom: '2026-05-01' }, ['a'], both('a', 'pass', 'pass'), CTX).status).toBe('supported');
  });

  it('is not assessed when it is manual-only, whatever the findings', () => {
    const r = deriveControlResult({ ...control, support: [], manualOnly: true }, ['a'], both('a', 'pass', 'pass'), CTX);
    expect(r).toMatchObject({ status: 'not-assessed', manualOnly: true, coverage: { passed: 0 } });
  });

  it('is not applicable when there are no subjects', () => {
    expect(deriveControlResult(control, [], [], CTX).status).toBe('not-applicable');
  });

  it('lists the findings behind the status and trims the paraphrase', () => {
    const r = deriveControlResult(control, ['a'], [...both('a', 'pass', 'pass'), finding('sbom.valid', 'a', 'fail')], CTX);
    expect(r.findings).toEqual(['signature.binds-digest:a', 'signature.verified:a']);
    expect(r.paraphrase).toBe('Words.');
  });
});
