import { describe, expect, it } from 'vitest';
import { deriveControlResult } from '../../../src/engine/control-status.js';
import type { CatalogControl } from '../../../src/frameworks/catalog.js';
import type { Finding, FindingStatus } from '../../../src/report/model.js';

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

function finding(checkId: string, subject: string, status: FindingStatus, code?: string): Finding {
  return { id: `${checkId}:${subject}`, checkId, checkTitle: checkId, subject, status, ...(code ? { code } : {}), message: '', details: {}, evidence: [] };
}
const both = (subject: string, a: FindingStatus, b: FindingStatus, code?: string) => [finding('signature.verified', subject, a, code), finding('signature.binds-digest', subject, b, code)];

describe('deriveControlResult', () => {
  it('is supported only when every supporting check passed for every subject', () => {
    const r = deriveControlResult(control, ['a', 'b'], [...both('a', 'pass', 'pass'), ...both('b', 'pass', 'pass')]);
    expect(r).toMatchObject({ status: 'supported', coverage: { passed: 2, total: 2 } });
  });

  it('is partially supported with the coverage when some subjects fail', () => {
    const r = deriveControlResult(control, ['a', 'b', 'c'], [...both('a', 'pass', 'pass'), ...both('b', 'pass', 'fail'), ...both('c', 'pass', 'pass')]);
    expect(r).toMatchObject({ status: 'partially-supported', coverage: { passed: 2, total: 3 } });
  });

  it('is not supported when every subject fails', () => {
    expect(deriveControlResult(control, ['a'], both('a', 'fail', 'fail', 'SIGNATURE_INVALID')).status).toBe('not-supported');
  });

  it('is not assessed when the only failures are missing evidence', () => {
    expect(deriveControlResult(control, ['a'], both('a', 'fail', 'fail', 'EVIDENCE_MISSING')).status).toBe('not-assessed');
  });

  it('never passes a subject with an error finding', () => {
    const r = deriveControlResult(control, ['a'], both('a', 'pass', 'error', 'INTERNAL'));
    expect(r.status).toBe('not-supported');
    expect(r.coverage.passed).toBe(0);
  });

  it('never passes a subject for which a supporting check produced no finding', () => {
    const r = deriveControlResult(control, ['a'], [finding('signature.verified', 'a', 'pass')]);
    expect(r).toMatchObject({ status: 'not-assessed', coverage: { passed: 0, total: 1 } });
  });

  it('is not applicable when there are no subjects', () => {
    expect(deriveControlResult(control, [], []).status).toBe('not-applicable');
  });

  it('lists the findings behind the status and trims the paraphrase', () => {
    const r = deriveControlResult(control, ['a'], [...both('a', 'pass', 'pass'), finding('sbom.valid', 'a', 'fail')]);
    expect(r.findings).toEqual(['signature.binds-digest:a', 'signature.verified:a']);
    expect(r.paraphrase).toBe('Words.');
  });
});
