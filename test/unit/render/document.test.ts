import { describe, expect, it } from 'vitest';
import { definedAnchors } from '../../../src/render/content/blocks.js';
import { COVER_IMAGE_LIMIT } from '../../../src/render/content/cover.js';
import { buildDocument } from '../../../src/render/content/document.js';
import type { Finding, Report } from '../../../src/report/model.js';
import { makeReport } from '../../fixtures/report.js';
import { emptyReport, largeReport, richReport, sbomReport, schema11Report } from '../../fixtures/report-shapes.js';
import { documentText, linkTargets, occurrences, sectionById, sectionText } from './document-text.js';

/*
 * What the report says, whatever the renderer: the PDF and the HTML lay out
 * this one document (src/render/content), so its words and order are tested
 * here once; test/unit/render/pdf.test.ts and html.test.ts test the layout.
 */

const en = (report: Report) => buildDocument(report, 'en');

describe('page 1', () => {
  it('names the organisation, the period in words, the generator, the frameworks and the seal key', () => {
    const report = makeReport();
    report.seal = { keyFingerprint: '5'.repeat(64), algorithm: 'Ed25519' };
    const cover = sectionText(en(report).cover);
    for (const s of [
      'Organisation: Example Bank <Ops & Risk>',
      'Reporting period: 2026-Q2: 1 April 2026 to 30 June 2026 inclusive (UTC)',
      'Generated: 1 July 2026, 08:00 UTC by auditpack 0.1.0',
      'Frameworks: Digital Operational Resilience Act',
      `Seal key (SHA-256): ${'5'.repeat(64)} (Ed25519) How to verify: Appendix C.`,
    ]) {
      expect(cover).toContain(s);
    }
  });

  it('says in words, on page 1, that a bundle without a seal key is not sealed', () => {
    expect(sectionText(en(makeReport()).cover)).toContain(
      'Seal key (SHA-256): NOT sealed: nothing shows that the bundle’s files are the ones this run produced.',
    );
  });

  it('gives the verdict, then one row per image: its status and the one-line reason of its first fault, waiver included', () => {
    const cover = sectionText(en(makeReport()).cover);
    expect(cover).toContain('Overall verdict: FAIL — 2 of 3 images in scope need attention');
    expect(cover).toContain('cockpit | sha256:aaaaaaaaaaaa… | VERIFIED | all 1 check passed');
    expect(cover).toContain('notebook | sha256:bbbbbbbbbbbb… | FAILED | Image signature: expected evidence was not found (waived: W-1)');
    expect(cover).toContain('mcp | sha256:dddddddddddd… | FAILED | SBOM attestation subject: signed content names another image digest');
    expect(cover.indexOf('Overall verdict')).toBeLessThan(cover.indexOf('cockpit |'));
  });

  it('states the population source and the limits, and that evidence supports clauses without satisfying them', () => {
    const cover = sectionText(en(makeReport()).cover);
    expect(cover).toContain('Population: the 3 images the configuration lists by digest');
    expect(cover).toContain('Nothing checks that list against what actually runs');
    expect(cover).toContain('Evidence supports clauses; it never satisfies them on its own.');
  });

  it('lists, for a large estate, only the images that need attention, and says how many more there are', () => {
    const report = largeReport(1000, 7);
    const doc = en(report);
    const cover = sectionText(doc.cover);
    const rows = cover.split('\n').filter((line) => /^img-\d+ \|/.test(line));
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row).toContain('FAILED');
    expect(cover).toContain('993 more images in scope, all listed in Evidence per image');
    const moreThanLimit = en(largeReport(1000, COVER_IMAGE_LIMIT + 5));
    expect(
      sectionText(moreThanLimit.cover)
        .split('\n')
        .filter((line) => /^img-\d+ \|/.test(line)),
    ).toHaveLength(COVER_IMAGE_LIMIT);
  });
});

describe('each fault once', () => {
  it('states every failing or undecided finding exactly once, in the faults section, with its code and message', () => {
    const report = schema11Report();
    const doc = en(report);
    const all = documentText(doc);
    const faults = sectionText(sectionById(doc, 'findings'));
    for (const finding of report.findings.filter((f) => f.status === 'fail' || f.status === 'error')) {
      expect(occurrences(all, finding.message), finding.id).toBe(1);
      expect(faults).toContain(finding.message);
      expect(faults).toContain(finding.code);
    }
    expect(faults).not.toContain('signature verified with key cosign-2026');
  });

  it('groups the checks that fail because of one root cause under it, and quotes each evidence line once', () => {
    const report = makeReport();
    const quote = 'attestation: cosign attest failed; continuing';
    const mcp = (checkId: string, status: Finding['status'], code: Finding['code']): Finding => ({
      id: `${checkId}:mcp`,
      checkId,
      checkTitle: `title of ${checkId}`,
      subject: 'mcp',
      status,
      ...(code === undefined ? {} : { code }),
      message: `message of ${checkId}`,
      quotes: [quote],
      details: {},
      evidence: ['2'.repeat(64)],
    });
    report.findings.push(mcp('sbom.valid', 'fail', 'EVIDENCE_MISSING'), mcp('sbom.quality', 'error', 'EVIDENCE_MISSING'));
    const faults = sectionText(sectionById(en(report), 'findings'));
    expect(faults).toContain('Also failing because of this (2):');
    expect(faults).toMatch(/title of sbom\.valid \(sbom\.valid\) \| FAIL \| EVIDENCE_MISSING/);
    expect(faults).toMatch(/title of sbom\.quality \(sbom\.quality\) \| ERROR \| EVIDENCE_MISSING/);
    expect(occurrences(faults, quote)).toBe(1);
    expect(occurrences(faults, 'message of sbom.valid')).toBe(0);
  });

  it('keeps a waived finding FAIL, beside its waiver, and says an expired or not yet started waiver waives nothing', () => {
    const faults = sectionText(sectionById(en(schema11Report()), 'findings'));
    expect(faults).toContain('Waiver: W-1 IN FORCE — waived until 2026-09-30; still counted as a failure.');
    expect(faults).toContain('Waiver: W-OLD EXPIRED');
    expect(faults).toContain('Waiver: W-LATER NOT YET IN FORCE');
    expect(faults).toMatch(/FAIL {2}Image signature verifies with a trusted key/);
    expect(faults).not.toMatch(/\bPASS\b/);
  });

  it('lists the images with no fault by name, and says so when nothing failed', () => {
    expect(sectionText(sectionById(en(makeReport()), 'findings'))).toContain('Images with no fault (1): cockpit');
    expect(sectionText(sectionById(en(emptyReport()), 'findings'))).toContain('No check failed and none was left undecided.');
  });
});

describe('reading order and links', () => {
  it('puts the sections in an auditor’s reading order, the changes after the faults, the appendices and the sign-off last', () => {
    const report = makeReport();
    report.changes = diffFixture();
    expect(en(report).sections.map((s) => s.id)).toEqual([
      'findings',
      'changes',
      'claims',
      'waivers',
      'images',
      'sboms',
      'frameworks',
      'crosswalk',
      'manual',
      'trust',
      'appendix-controls',
      'appendix-evidence',
      'appendix-verify',
      'signoff',
    ]);
    expect(en(makeReport()).sections.map((s) => s.id)).not.toContain('changes');
  });

  it('ends with the sign-off, on a page of its own', () => {
    const doc = en(makeReport());
    expect(doc.sections.at(-1)?.id).toBe('signoff');
    expect(sectionById(doc, 'signoff').newPage).toBe(true);
  });

  it('links only to anchors the document defines, for every report shape', () => {
    for (const report of [makeReport(), richReport(), schema11Report(), sbomReport(), emptyReport(), largeReport(50, 3)]) {
      const doc = en(report);
      const anchors = definedAnchors(doc);
      const dangling = linkTargets(doc).filter((target) => !anchors.has(target));
      expect(dangling).toEqual([]);
    }
  });

  it('links each image of page 1 to its row in "Evidence per image" and each reason to its fault', () => {
    const doc = en(makeReport());
    const targets = new Set(linkTargets({ ...doc, sections: [] }));
    for (const id of ['image-cockpit', 'image-notebook', 'image-mcp', 'issues-notebook', 'issues-mcp']) expect(targets, id).toContain(id);
  });
});

describe('frameworks', () => {
  it('counts each framework’s clauses per status in one matrix, each count matching the clauses listed', () => {
    const report = schema11Report();
    const text = sectionText(sectionById(en(report), 'frameworks'));
    expect(text).toContain(
      'Framework | Supported by evidence | Partially supported by evidence | Evidence relevant but not sufficient | Not supported by evidence | Not assessed | Not applicable | Clauses',
    );
    expect(text).toContain('Digital Operational Resilience Act | — | 1 | — | — | 2 | — | 3');
    expect(text).toContain('NIS2 Directive | — | — | — | 1 | — | — | 1');
  });

  it('gives every clause a row with its citation, status and coverage, and its text in Appendix A', () => {
    const report = makeReport();
    const doc = en(report);
    const text = sectionText(sectionById(doc, 'frameworks'));
    expect(text).toContain('Regulation (EU) 2022/2554, Art. 9(2) | Protection and prevention | Partially supported by evidence | 1 of 3 | partial');
    const appendix = sectionText(sectionById(doc, 'appendix-controls'));
    expect(appendix).toContain('In our words: Security tools keep data authentic and intact.');
    expect(appendix).toContain('Not covered by this evidence: The documented ICT security policy.');
  });
});

describe('the other sections', () => {
  it('checks each claimed citation: verdict, where it was made, what it is, what to cite instead', () => {
    const text = sectionText(sectionById(en(schema11Report()), 'claims'));
    expect(text).toContain('2. “NIS2 Annex II”  WRONG');
    expect(text).toContain('Where it was claimed: docs/platform.md');
    expect(text).toContain('What it actually is: Annex II — other critical sectors');
    expect(text).toContain('Directive (EU) 2022/2555, Art. 21(2)(d) (Not supported by evidence)');
    expect(text).toContain('Regulation (EU) 2024/2847, Annex I Part II(1) (Not in this report)');
  });

  it('lists every waiver with its scope, justification, approver, dates, state and the findings it covers', () => {
    const text = sectionText(sectionById(en(schema11Report()), 'waivers'));
    expect(text).toContain(
      'W-1\nIN FORCE | image notebook\ncheck signature.verified | Re-signing scheduled | John Roe\nticket SEC-42 | 2026-04-01\nuntil 2026-09-30',
    );
    expect(text).toContain('W-OLD\nEXPIRED');
    expect(text).toContain('W-LATER\nNOT YET IN FORCE');
  });

  it('keeps manual statements apart, as not verified, and out of the evidence inventory', () => {
    const doc = en(makeReport());
    expect(sectionText(sectionById(doc, 'manual'))).toContain('auditpack has not verified them and they change no status.');
    expect(sectionText(sectionById(doc, 'manual'))).toContain('ICT asset policy v3 approved by the board <CISO & CRO>');
    expect(sectionText(sectionById(doc, 'appendix-evidence'))).not.toContain('ICT asset policy');
  });

  it('lists every evidence file with its SHA-256, and flags the one dated outside the period, only that one', () => {
    const report = makeReport();
    const text = sectionText(sectionById(en(report), 'appendix-evidence'));
    for (const e of report.evidence) {
      expect(text).toContain(e.sha256);
      expect(text).toContain(e.source);
    }
    expect(occurrences(text, 'OUTSIDE THE PERIOD')).toBe(1);
    expect(text.split('\n').find((line) => line.includes('OUTSIDE THE PERIOD'))).toContain('SBOM timestamp: 20 March 2026');
  });

  it('gives the trust material, the limits and every input problem with its file, code and reason', () => {
    const report = makeReport();
    const text = sectionText(sectionById(en(report), 'trust'));
    expect(text).toContain('f'.repeat(64));
    expect(text).toContain('e'.repeat(64));
    expect(text).toContain('evidence/x/attestation.jsonl | EVIDENCE_MALFORMED | line 1: Unexpected end of JSON input | x');
  });

  it('has a sign-off page with prepared, reviewed and approved by, with dates, and the digests it signs for', () => {
    const report = makeReport();
    report.seal = { keyFingerprint: '5'.repeat(64), algorithm: 'Ed25519' };
    const text = sectionText(sectionById(en(report), 'signoff'));
    expect(text).toContain('Role | Name and function | Date | Signature\nPrepared by\nReviewed by\nApproved by');
    expect(text).toContain(`Configuration SHA-256: ${'c'.repeat(64)}`);
    expect(text).toContain(`Seal key SHA-256: ${'5'.repeat(64)}`);
  });

  it('ends with how to verify the bundle and what produced the report', () => {
    const text = sectionText(sectionById(en(makeReport()), 'appendix-verify'));
    expect(text).toContain('$ auditpack verify <bundle> --key-fingerprint <sha256>');
    expect(text).toContain('Generator: auditpack 0.1.0');
    expect(text).toContain('Libraries: @sigstore/verify 4.1.3');
    expect(text).toContain('Clock of the run: 2026-07-01T08:00:00.000Z');
  });

  it('says in words that there is nothing to show, for an empty report', () => {
    const text = documentText(en(emptyReport()));
    for (const s of ['No image was in scope.', 'No framework was selected for this run.', 'No public key was configured.']) expect(text).toContain(s);
  });
});

describe('changes since the previous period', () => {
  it('shows both periods, images added, removed and rebuilt, new failures, fixes, clause and waiver changes', () => {
    const report = makeReport();
    report.changes = diffFixture();
    const text = sectionText(sectionById(en(report), 'changes'));
    for (const s of [
      'Previous report: 2026-Q1, generated 1 April 2026, 08:00 UTC, verdict PASS, 2 of 3 images verified',
      'Something got worse since the previous period.',
      'Images (2)',
      'ghost | absent | registry.example/app/ghost:1.0@sha256:',
      'old-api | registry.example/app/old-api:2.0@sha256:',
      'notebook: signature.verified | PASS | FAIL',
      'mcp: sbom.valid | FAIL | PASS',
      'Regulation (EU) 2022/2554, Art. 9(2) (dora) | Supported by evidence 3 of 3 | Partially supported by evidence 1 of 3',
      'W-0 |',
      'EXPIRED 2026-05-31',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('says on page 1 what changed, in one line linked to the section', () => {
    const report = makeReport();
    report.changes = diffFixture();
    const doc = en(report);
    expect(sectionText(doc.cover)).toContain(
      'Since 2026-Q1: 1 image added, 1 removed, 1 new failure, 1 fixed; 1 waiver expired. Changes since the previous period',
    );
    expect(linkTargets({ ...doc, sections: [] })).toContain('changes');
    expect(sectionText(en(makeReport()).cover)).not.toContain('Since ');
  });

  it('cuts a long list and says how many more are in report.json', () => {
    const report = makeReport();
    const diff = diffFixture();
    diff.findings.newFailures = Array.from({ length: 55 }, (_, i) => ({
      id: `c:i${i}`,
      checkId: 'c',
      subject: `i${i}`,
      old: 'pass',
      new: 'fail',
      message: 'm',
    }));
    report.changes = diff;
    const text = sectionText(sectionById(en(report), 'changes'));
    expect(text).toContain('New failures (55)');
    expect(text).toContain('… and 15 more, all in report.json.');
  });
});

function diffFixture(): NonNullable<Report['changes']> {
  const side = (period: string, verdict: 'pass' | 'fail') => ({
    organisation: 'Example Bank',
    period,
    start: '2026-01-01T00:00:00.000Z',
    end: '2026-04-01T00:00:00.000Z',
    generatedAt: '2026-04-01T08:00:00.000Z',
    schemaVersion: '1.2.0',
    configSha256: 'c'.repeat(64),
    verdict,
    images: 3,
    verified: 2,
  });
  return {
    old: side('2026-Q1', 'pass'),
    new: side('2026-Q2', 'fail'),
    images: {
      added: [{ id: 'ghost', ref: 'registry.example/app/ghost:1.0', digest: `sha256:${'7'.repeat(64)}`, status: 'verified' }],
      removed: [{ id: 'old-api', ref: 'registry.example/app/old-api:2.0', digest: `sha256:${'8'.repeat(64)}`, status: 'verified' }],
      changed: [],
      status: [],
    },
    findings: {
      newFailures: [
        { id: 'signature.verified:notebook', checkId: 'signature.verified', subject: 'notebook', old: 'pass', new: 'fail', message: 'no signature' },
      ],
      fixed: [{ id: 'sbom.valid:mcp', checkId: 'sbom.valid', subject: 'mcp', old: 'fail', new: 'pass', message: 'valid' }],
      otherChanges: [],
    },
    controls: [
      {
        framework: 'dora',
        control: 'dora-9-2',
        citation: 'Regulation (EU) 2022/2554, Art. 9(2)',
        old: { status: 'supported', passed: 3, total: 3 },
        new: { status: 'partially-supported', passed: 1, total: 3 },
        worse: true,
      },
    ],
    waivers: {
      added: [],
      removed: [],
      expired: [{ id: 'W-0', scope: { image: 'mcp' }, start: '2026-01-01', expires: '2026-05-31', inForce: false, expired: true, covers: 1 }],
      changed: [],
    },
    catalogs: { added: [], removed: [], changed: [] },
    regression: true,
    changed: true,
  };
}
