import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definedAnchors, plainText } from '../../../src/render/content/blocks.js';
import { compactInstant } from '../../../src/render/content/custody.js';
import { buildDocument } from '../../../src/render/content/document.js';
import type { CustodyLink, CustodyTimeline, Report } from '../../../src/report/model.js';
import { makeReport } from '../../fixtures/report.js';
import { linkTargets, sectionById, sectionText } from './document-text.js';

/*
 * The chain of custody per image, as the report document says it (PDF and
 * HTML alike): from the sample estate's golden report (four images with
 * signed SLSA provenance, twelve on unsigned CI exports) and from hand-made
 * chains for the links the sample does not have.
 */

const golden = (): Report => JSON.parse(readFileSync(new URL('../../../samples/akko/golden/report.json', import.meta.url), 'utf8')) as Report;
const custodyText = (report: Report, locale: 'en' | 'fr' = 'en') => sectionText(sectionById(buildDocument(report, locale), 'custody'));

/** The custody table's rows, each as its cells' text joined by " | ", by image name. */
function custodyRows(report: Report, locale: 'en' | 'fr' = 'en'): Map<string, string> {
  const table = sectionById(buildDocument(report, locale), 'custody').blocks.find((b) => b.type === 'table');
  if (table?.type !== 'table') throw new Error('no custody table');
  return new Map(table.rows.map((r) => [plainText(r.cells[0] ?? '').split('\n')[0] ?? '', r.cells.map(plainText).join(' | ')]));
}

function link(step: CustodyLink['step'], status: CustodyLink['status'], signed: boolean, extra: Partial<CustodyLink> = {}): CustodyLink {
  return { step, status, signed, summary: `${step} summary`, evidence: [], findings: [], ...extra };
}

describe('the chain of custody (sample estate)', () => {
  it('gives every image one row, and says what its chain rests on: signed provenance for four, unsigned CI exports for twelve', () => {
    const report = golden();
    const text = custodyText(report);
    const rows = custodyRows(report);
    expect(text).toContain('16 images: 4 with signed provenance as custody record, 12 resting on unsigned CI exports only, 0 with no custody record.');
    expect(text).toContain('Image | Commit | Build | Push (digest) | Signature | Attestations | Gate (this run)');
    for (const s of report.subjects) expect(rows.get(s.id), s.id).toBeDefined();
    expect(rows.get('cockpit')).toMatch(/^cockpit\nsigned provenance \| VERIFIED signed/);
    expect(rows.get('mlflow')).toMatch(/^mlflow\nUNSIGNED CI export \| CLAIMED UNSIGNED/);
  });

  it('labels every link a CI export claims as UNSIGNED, and every verified signed link as signed, with its time and evidence digest', () => {
    const report = golden();
    const mlflow = report.subjects.find((s) => s.id === 'mlflow');
    const build = mlflow?.custody?.links.find((l) => l.step === 'build');
    const sign = mlflow?.custody?.links.find((l) => l.step === 'sign');
    if (build?.at === undefined || sign?.at === undefined) throw new Error('sample changed');
    const cells = (custodyRows(report).get('mlflow') ?? '').split(' | ');
    expect(cells[2]).toBe(`CLAIMED UNSIGNED\n${compactInstant(build.at)}\n${build.evidence[0]?.sha256.slice(0, 10)}…`);
    expect(cells[4]).toBe(`VERIFIED signed\n${compactInstant(sign.at)}\n${sign.evidence[0]?.sha256.slice(0, 10)}…`);
    expect(compactInstant(build.at)).toBe('2026-04-14 12:15');
  });

  it('links each evidence digest to its row in the inventory, keeping the full SHA-256 for hover', () => {
    const report = golden();
    const doc = buildDocument(report, 'en');
    const section = sectionById(doc, 'custody');
    const table = section.blocks.find((b) => b.type === 'table');
    if (table?.type !== 'table') throw new Error('no table');
    const spans = table.rows.flatMap((r) => r.cells.flatMap((c) => (typeof c === 'string' ? [] : c.filter((p) => typeof p !== 'string'))));
    const digests = spans.filter((s) => s.full !== undefined);
    expect(digests.length).toBeGreaterThan(16 * 4);
    for (const d of digests) {
      expect(d.full).toMatch(/^[0-9a-f]{64}$/);
      expect(d.text).toBe(`${d.full?.slice(0, 10)}…`);
      expect(d.link).toBe(`evidence-${d.full}`);
    }
    const anchors = definedAnchors(doc);
    for (const target of linkTargets(doc)) expect(anchors.has(target), target).toBe(true);
  });

  it('marks a failed or missing link, and links a failed gate to the image’s faults', () => {
    const rows = custodyRows(golden());
    expect(rows.get('notebook-full')?.split(' | ')[4]).toBe('MISSING');
    expect(rows.get('notebook-full')?.split(' | ')[6]).toBe('FAILED\nsee its faults');
    expect(rows.get('mcp-openmetadata')?.split(' | ')[5]).toMatch(/^FAILED\n/);
    expect(rows.get('cockpit')?.split(' | ')[6]).toBe('VERIFIED');
  });

  it('reads in French', () => {
    const text = custodyText(golden(), 'fr');
    const rows = custodyRows(golden(), 'fr');
    expect(text).toContain('Chaîne de traçabilité');
    expect(rows.get('mlflow')).toMatch(/^mlflow\nexport CI NON SIGNÉ \| DÉCLARÉ NON SIGNÉ/);
    expect(rows.get('cockpit')).toMatch(/^cockpit\nprovenance signée \| VÉRIFIÉ signé/);
  });
});

describe('the chain of custody (other shapes)', () => {
  it('is absent for a report written before chains existed', () => {
    expect(buildDocument(makeReport(), 'en').sections.map((s) => s.id)).not.toContain('custody');
  });

  it('says an image without any custody record has none, and shows a time that is no instant as given', () => {
    const report = makeReport();
    const none: CustodyTimeline = {
      basis: 'none',
      links: [
        link('commit', 'missing', false),
        link('build', 'failed', false, { at: 'not a time', evidence: [{ path: 'evidence/w/1.json', sha256: '9'.repeat(64) }] }),
        link('push', 'missing', false),
        link('sign', 'missing', false),
        link('attest', 'missing', false),
        link('gate', 'failed', false, { at: report.run.generatedAt }),
      ],
    };
    const [first] = report.subjects;
    if (first === undefined) throw new Error('fixture changed');
    first.custody = none;
    const text = custodyText(report);
    expect(text).toContain('1 image: 0 with signed provenance as custody record, 0 resting on unsigned CI exports only, 1 with no custody record.');
    // The failed build is not labelled unsigned (its status says it); its digest is not in the inventory, so it links nowhere.
    expect(custodyRows(report).get('cockpit')).toBe(
      `cockpit\nNO custody record | MISSING | FAILED\nnot a time\n${'9'.repeat(10)}… | MISSING | MISSING | MISSING | FAILED`,
    );
  });
});
