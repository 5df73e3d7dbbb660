import { describe, expect, it } from 'vitest';
import { diffReports } from '../../../src/history/diff.js';
import { outcomeOf } from '../../../src/report/outcome.js';
import { makeReport } from '../../fixtures/report.js';
import { finding } from '../engine/inputs.js';

describe('the outcome a report run returns', () => {
  it('keeps every failing and erring finding, waived ones included, in the report order, and no pass', () => {
    const report = makeReport();
    report.findings = [
      finding('signature.verified', 'notebook', 'fail', 'EVIDENCE_MISSING'),
      finding('signature.verified', 'cockpit', 'pass'),
      finding('sbom.valid', 'notebook', 'error', 'SBOM_INVALID'),
      finding('pipeline.built', 'notebook', 'not-applicable'),
      { ...finding('sbom.quality', 'cockpit', 'fail', 'SBOM_LOW_QUALITY'), waiver: { id: 'W-1', expires: '2026-09-30', inForce: true } },
    ];
    const { faults } = outcomeOf(report);
    expect(faults).toEqual([report.findings[0], report.findings[2], report.findings[4]]);
  });

  it('gives every image in order with its status and headlines, not its chain of custody', () => {
    const report = makeReport();
    const first = report.subjects[0]!;
    first.custody = { links: [] } as unknown as NonNullable<typeof first.custody>;
    const { subjects } = outcomeOf(report);
    expect(subjects.map((s) => s.id)).toEqual(report.subjects.map((s) => s.id));
    expect(subjects[0]).toEqual({ id: first.id, ref: first.ref, digest: first.digest, status: first.status, headlines: first.headlines });
  });

  it('counts the evidence files, and keeps the summary, problems, waivers, claims and seal as the report has them', () => {
    const report = makeReport();
    const outcome = outcomeOf(report);
    expect(outcome.evidenceFiles).toBe(report.evidence.length);
    expect(outcome.summary).toEqual(report.summary);
    expect(outcome.problems).toEqual(report.problems);
    expect(outcome.waivers).toEqual(report.waivers);
    expect(outcome.claims).toEqual(report.claims);
    expect(outcome.run).toEqual(report.run);
    expect('seal' in outcome).toBe(report.seal !== undefined);
    expect('changes' in outcome).toBe(false);
  });

  it('counts the changes since the previous period as the report lists them', () => {
    const old = makeReport();
    const report = makeReport();
    report.subjects = report.subjects.slice(1);
    report.findings = report.findings.filter((f) => report.subjects.some((s) => s.id === f.subject));
    old.run = { ...old.run, period: { ...old.run.period, label: '2026-Q1' } };
    report.changes = diffReports({ old, new: report });
    const changes = outcomeOf(report).changes;
    expect(changes).toEqual({
      period: '2026-Q1',
      regression: report.changes.regression,
      imagesAdded: 0,
      imagesRemoved: 1,
      imagesChanged: 0,
      newFailures: report.changes.findings.newFailures.length,
      fixed: report.changes.findings.fixed.length,
      waiversExpired: report.changes.waivers.expired.length,
    });
  });
});
