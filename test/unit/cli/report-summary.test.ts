import { describe, expect, it } from 'vitest';
import { reportSummary } from '../../../src/cli/report-summary.js';
import type { Report } from '../../../src/report/model.js';
import { outcomeOf } from '../../../src/report/outcome.js';
import type { ReportRun } from '../../../src/run-report.js';
import { makeReport } from '../../fixtures/report.js';
import { finding } from '../engine/inputs.js';

const run = (report: Report): ReportRun => ({
  outcome: outcomeOf(report),
  locale: 'en',
  outDir: 'out/bundle',
  files: ['report.json', 'manifest.json'],
  sealed: false,
});

describe('the JSON summary of a report run', () => {
  it("lists each image's failing checks, only its own, in the report's order, whatever order the images' findings come in", () => {
    const report = makeReport();
    report.findings = [
      finding('signature.verified', 'notebook', 'fail', 'EVIDENCE_MISSING'),
      finding('signature.verified', 'cockpit', 'pass'),
      finding('attestation.binds-digest', 'mcp', 'fail', 'DIGEST_MISMATCH'),
      finding('sbom.valid', 'notebook', 'error', 'SBOM_INVALID'),
      finding('sbom.valid', 'cockpit', 'pass'),
      finding('pipeline.built', 'notebook', 'not-applicable'),
      finding('sbom.quality', 'mcp', 'fail', 'SBOM_LOW_QUALITY'),
    ];
    const images = reportSummary(run(report), 1).images;
    expect(images.map((i) => i.id)).toEqual(report.subjects.map((s) => s.id));
    const failing = Object.fromEntries(images.map((i) => [i.id, i.failing]));
    expect(failing.cockpit).toEqual([]);
    expect(failing.notebook).toEqual([
      { check: 'signature.verified', status: 'fail', code: 'EVIDENCE_MISSING' },
      { check: 'sbom.valid', status: 'error', code: 'SBOM_INVALID' },
    ]);
    expect(failing.mcp).toEqual([
      { check: 'attestation.binds-digest', status: 'fail', code: 'DIGEST_MISMATCH' },
      { check: 'sbom.quality', status: 'fail', code: 'SBOM_LOW_QUALITY' },
    ]);
  });

  it('names the waiver in force on a failing check, and no waiver that has expired', () => {
    const report = makeReport();
    const waived = { ...finding('sbom.quality', 'notebook', 'fail', 'SBOM_LOW_QUALITY'), waiver: { id: 'WVR-1', inForce: true, expires: '2026-12-31' } };
    const expired = { ...finding('sbom.valid', 'notebook', 'fail', 'SBOM_INVALID'), waiver: { id: 'WVR-0', inForce: false, expires: '2026-05-31' } };
    report.findings = [waived, expired];
    const notebook = reportSummary(run(report), 1).images.find((i) => i.id === 'notebook');
    expect(notebook?.failing).toEqual([
      { check: 'sbom.quality', status: 'fail', code: 'SBOM_LOW_QUALITY', waiver: 'WVR-1' },
      { check: 'sbom.valid', status: 'fail', code: 'SBOM_INVALID' },
    ]);
  });
});
