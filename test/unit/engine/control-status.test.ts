import { describe, expect, it } from 'vitest';
import { deriveControlResult, type ControlContext } from '../../../src/engine/control-status.js';
import type { CatalogControl, CatalogSupport } from '../../../src/frameworks/catalog.js';
import type { ProfileCondition } from '../../../src/frameworks/conditions.js';
import type { ErrorCode, Finding, FindingStatus, Strength } from '../../../src/report/model.js';

const CTX: ControlContext = { periodEnd: '2026-07-01', conditions: new Set() };
const withConditions = (...conditions: ProfileCondition[]): ControlContext => ({ ...CTX, conditions: new Set(conditions) });

function mapping(strength: Strength, extra: Partial<CatalogSupport> = {}): CatalogSupport[] {
  return [
    { check: 'signature.verified', strength, reasoning: 'r', ...extra },
    { check: 'signature.binds-digest', strength, reasoning: 'r', ...extra },
  ];
}

const control = (strength: Strength, extra: Partial<CatalogControl> = {}): CatalogControl => ({
  id: 'x-1',
  citation: 'Regulation (EU) 0000/0000, Art. 1(1)',
  title: 'Title',
  paraphrase: ' Words. ',
  source: 'https://example.invalid',
  support: mapping(strength),
  notCovered: ['policies'],
  ...extra,
});

function finding(checkId: string, subject: string, status: FindingStatus, code?: ErrorCode): Finding {
  return { id: `${checkId}:${subject}`, checkId, checkTitle: checkId, subject, status, ...(code ? { code } : {}), message: '', details: {}, evidence: [] };
}
const both = (subject: string, a: FindingStatus, b: FindingStatus, code?: ErrorCode) => [
  finding('signature.verified', subject, a, code),
  finding('signature.binds-digest', subject, b, code),
];
const allPass = (...subjects: string[]) => subjects.flatMap((s) => both(s, 'pass', 'pass'));

describe('deriveControlResult: coverage', () => {
  it('is supported only when a full mapping passed for every subject', () => {
    const r = deriveControlResult(control('full'), ['a', 'b'], allPass('a', 'b'), CTX);
    expect(r).toMatchObject({ status: 'supported', strength: 'full', coverage: { passed: 2, total: 2 } });
  });

  it('is partially supported with the coverage when some subjects fail a full mapping', () => {
    const r = deriveControlResult(
      control('full'),
      ['a', 'b', 'c'],
      [...both('a', 'pass', 'pass'), ...both('b', 'pass', 'fail'), ...both('c', 'pass', 'pass')],
      CTX,
    );
    expect(r).toMatchObject({ status: 'partially-supported', coverage: { passed: 2, total: 3 } });
    expect(r.statusReason).toBe('Partially supported by evidence: a full mapping, but every check it is mapped to passed for 2 of 3 images');
  });

  it('is not supported when every subject fails', () => {
    expect(deriveControlResult(control('full'), ['a'], both('a', 'fail', 'fail', 'SIGNATURE_INVALID'), CTX).status).toBe('not-supported');
  });

  it('is not assessed when the only failures are missing evidence', () => {
    expect(deriveControlResult(control('full'), ['a'], both('a', 'fail', 'fail', 'EVIDENCE_MISSING'), CTX).status).toBe('not-assessed');
  });

  it('never passes a subject with an error finding', () => {
    const r = deriveControlResult(control('full'), ['a'], both('a', 'pass', 'error', 'INTERNAL'), CTX);
    expect(r.status).toBe('not-supported');
    expect(r.coverage.passed).toBe(0);
  });

  it('never passes a subject for which a supporting check produced no finding', () => {
    const r = deriveControlResult(control('full'), ['a'], [finding('signature.verified', 'a', 'pass')], CTX);
    expect(r).toMatchObject({ status: 'not-assessed', coverage: { passed: 0, total: 1 } });
  });

  it('never passes, nor drops from scope, a subject whose check was not applicable for want of evidence (EVIDENCE_MISSING)', () => {
    const missing = [finding('signature.verified', 'a', 'pass'), finding('signature.binds-digest', 'a', 'not-applicable', 'EVIDENCE_MISSING')];
    const r = deriveControlResult(control('full'), ['a', 'b'], [...missing, ...allPass('b')], CTX);
    expect(r).toMatchObject({ status: 'partially-supported', coverage: { passed: 1, total: 2 } });
    const onlyMissing = both('a', 'not-applicable', 'not-applicable', 'EVIDENCE_MISSING');
    expect(deriveControlResult(control('full'), ['a'], onlyMissing, CTX)).toMatchObject({ status: 'not-assessed', coverage: { passed: 0, total: 1 } });
    expect(deriveControlResult(control('full'), ['a'], both('a', 'not-applicable', 'not-applicable'), CTX).status).toBe('not-applicable');
  });

  it('is not applicable when there are no subjects', () => {
    expect(deriveControlResult(control('full'), [], [], CTX).status).toBe('not-applicable');
  });

  it('lists the findings behind the status and trims the paraphrase', () => {
    const r = deriveControlResult(control('full'), ['a'], [...allPass('a'), finding('sbom.valid', 'a', 'fail')], CTX);
    expect(r.findings).toEqual(['signature.binds-digest:a', 'signature.verified:a']);
    expect(r.paraphrase).toBe('Words.');
  });
});

describe('deriveControlResult: a mapping never reads stronger than it is', () => {
  it('caps a partial mapping at partially supported, even when every image passed', () => {
    const r = deriveControlResult(control('partial'), ['a', 'b'], allPass('a', 'b'), CTX);
    expect(r).toMatchObject({ status: 'partially-supported', strength: 'partial', coverage: { passed: 2, total: 2 } });
    expect(r.statusReason).toBe('Partially supported by evidence: the strongest mapping is partial; every check it is mapped to passed for 2 of 2 images');
  });

  it('gives supporting-only mappings a status of their own that never reads as support', () => {
    const r = deriveControlResult(control('supporting'), ['a'], allPass('a'), CTX);
    expect(r).toMatchObject({ status: 'relevant-not-sufficient', strength: 'supporting', coverage: { passed: 1, total: 1 } });
    expect(r.statusReason).toMatch(/^Evidence relevant but not sufficient: the strongest mapping is supporting/);
    expect(r.statusReason).not.toMatch(/\bsupported\b/i);
  });

  it('takes the strongest mapping: a supporting check beside a full one does not lower it', () => {
    const support = [...mapping('full'), { check: 'pipeline.built' as const, strength: 'supporting' as const, reasoning: 'r' }];
    const findings = [...allPass('a'), finding('pipeline.built', 'a', 'pass')];
    expect(deriveControlResult(control('full', { support }), ['a'], findings, CTX)).toMatchObject({ status: 'supported', strength: 'full' });
  });

  it('still counts a subject only when every check passed, whatever the strengths', () => {
    const support = [...mapping('full'), { check: 'pipeline.built' as const, strength: 'supporting' as const, reasoning: 'r' }];
    const findings = [...allPass('a'), finding('pipeline.built', 'a', 'fail', 'PIPELINE_NOT_FOUND')];
    expect(deriveControlResult(control('full', { support }), ['a'], findings, CTX)).toMatchObject({ status: 'not-supported', coverage: { passed: 0 } });
  });

  it('never turns a gap into a pass, whatever the strength', () => {
    for (const strength of ['full', 'partial', 'supporting'] as const) {
      const r = deriveControlResult(control(strength), ['a'], both('a', 'fail', 'pass', 'SIGNATURE_INVALID'), CTX);
      expect(r.status, strength).toBe('not-supported');
    }
  });
});

describe('deriveControlResult: entity-profile conditions', () => {
  const conditional = control('partial', { support: mapping('partial', { fullWhen: 'critical-or-important-functions' }) });

  it('reads a conditional full mapping at its cautious strength when the profile does not state the condition', () => {
    const r = deriveControlResult(conditional, ['a'], allPass('a'), CTX);
    expect(r).toMatchObject({ status: 'partially-supported', strength: 'partial' });
    expect(r.support[0]).toMatchObject({ strength: 'partial', fullWhen: { condition: 'critical-or-important-functions', met: false } });
  });

  it('reads it as full, and can support, when the profile states the condition', () => {
    const r = deriveControlResult(conditional, ['a'], allPass('a'), withConditions('critical-or-important-functions'));
    expect(r).toMatchObject({ status: 'supported', strength: 'full' });
    expect(r.support[0]).toMatchObject({ strength: 'full', fullWhen: { condition: 'critical-or-important-functions', met: true } });
  });

  it('is not applicable, with the reason, when the profile states an exclusion', () => {
    const scoped = control('partial', { exceptFor: [{ condition: 'simplified-framework', why: 'DORA Art. 16(1)' }] });
    expect(deriveControlResult(scoped, ['a'], allPass('a'), CTX).status).toBe('partially-supported');
    const r = deriveControlResult(scoped, ['a'], allPass('a'), withConditions('simplified-framework'));
    expect(r.status).toBe('not-applicable');
    expect(r.statusReason).toContain('entity.simplifiedFramework');
    expect(r.statusReason).toContain('DORA Art. 16(1)');
  });

  it('applies an onlyFor clause only when the profile states its condition', () => {
    const scoped = control('partial', { onlyFor: { condition: 'simplified-framework', why: 'Title III' } });
    expect(deriveControlResult(scoped, ['a'], allPass('a'), CTX)).toMatchObject({ status: 'not-applicable' });
    expect(deriveControlResult(scoped, ['a'], allPass('a'), withConditions('simplified-framework')).status).toBe('partially-supported');
  });
});

describe('deriveControlResult: dates and manual-only clauses', () => {
  it('is not applicable when the clause applies only after the period', () => {
    const r = deriveControlResult(control('full', { appliesFrom: '2027-12-11' }), ['a'], allPass('a'), CTX);
    expect(r).toMatchObject({ status: 'not-applicable', statusReason: 'applies from 2027-12-11, after the period', appliesFrom: '2027-12-11' });
  });

  it('applies from a date inside the period', () => {
    expect(deriveControlResult(control('full', { appliesFrom: '2026-05-01' }), ['a'], allPass('a'), CTX).status).toBe('supported');
  });

  it('is not assessed when it is manual-only, whatever the findings, with no strength', () => {
    const r = deriveControlResult(control('full', { support: [], manualOnly: true }), ['a'], allPass('a'), CTX);
    expect(r).toMatchObject({ status: 'not-assessed', manualOnly: true, strength: null, coverage: { passed: 0 } });
  });
});
