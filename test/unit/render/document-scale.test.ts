import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Block, ReportDocument } from '../../../src/render/content/blocks.js';
import { buildDocument } from '../../../src/render/content/document.js';
import { COMPACT_IMAGES, compactPdf, faultAndEstateEvidence } from '../../../src/render/content/scale.js';
import type { Report } from '../../../src/report/model.js';
import { scaledReport } from '../../../scripts/samples/scaled-report.ts';
import { blockLines, sectionById, sectionText } from './document-text.js';

/*
 * What a large estate's PDF says (content/scale.ts): the images that need
 * attention in full, the verified ones one line each, only the SBOMs and
 * evidence files that need a look, and where everything else is. The HTML
 * document keeps every row. On the golden sample report scaled up, so the
 * faults, SBOMs and evidence are the sample's.
 */

const golden = JSON.parse(readFileSync(new URL('../../../samples/akko/golden/report.json', import.meta.url), 'utf8')) as Report;
const report = scaledReport(golden, 200);
const attached = new Set(['report.json', 'report.html', 'attachments-manifest.json']);
const pdf = buildDocument(report, 'en', { compact: true, attached });
const html = buildDocument(report, 'en');

/** Rows of every table in a section, as text, with the table's column headers. */
function tables(doc: ReportDocument, id: string): { headers: string; rows: string[] }[] {
  const found: { headers: string; rows: string[] }[] = [];
  const walk = (blocks: readonly Block[]) => {
    for (const b of blocks) {
      if (b.type === 'table') {
        const [headers = '', ...rows] = blockLines(b).slice(b.caption === undefined ? 0 : 1);
        found.push({ headers, rows });
      }
      if (b.type === 'details') walk(b.blocks);
    }
  };
  walk(sectionById(doc, id).blocks);
  return found;
}

const attention = report.subjects.filter(
  (s) => s.status !== 'verified' || report.findings.some((f) => f.subject === s.id && (f.status === 'fail' || f.status === 'error')),
);

describe('a large estate’s PDF document', () => {
  it('is compact past COMPACT_IMAGES images only: the 16-image sample is laid out as before', () => {
    expect(compactPdf(scaledReport(golden, COMPACT_IMAGES))).toBe(false);
    expect(compactPdf(scaledReport(golden, COMPACT_IMAGES + 1))).toBe(true);
    const sample = scaledReport(golden, 16);
    const plain = (doc: ReportDocument) => JSON.stringify({ ...doc, pageLabel: undefined });
    expect(plain(buildDocument(sample, 'en', { compact: compactPdf(sample), attached: new Set(sample.evidence.map((e) => e.path)) }))).toBe(
      plain(buildDocument(sample, 'en')),
    );
  });

  it('keeps the full rows of the images that need attention and gives each verified image one line: every image once, none dropped', () => {
    const [full, lines] = tables(pdf, 'images');
    expect(full?.headers).toBe('Image | Signature | SBOM attestation and SBOM | Build (CI, unsigned)');
    expect(full?.rows).toHaveLength(attention.length);
    expect(lines?.headers).toBe('Image | Digest | Signature | SBOM attestation | Components | Grade | CI run, commit');
    expect(lines?.rows).toHaveLength(report.subjects.length - attention.length);
    const named = [...(full?.rows ?? []), ...(lines?.rows ?? [])].map((row) => row.split(/[ |]/)[0]).sort();
    expect(named).toEqual(report.subjects.map((s) => s.id).sort());
    // What each pass rests on: the key and log index of both signatures, the SBOM's components and grade, the run and commit.
    expect(lines?.rows).toContain(
      'cockpit-1 | sha256:0e1b99010772… | akko-cosign-2026, log 118226 | akko-cosign-2026, log 118251 | 504 | D | #1201 55409fe6ab',
    );
  });

  it('says NOT APPLICABLE on a verified image’s line where a check did not apply, never what it would rest on', () => {
    const changed = structuredClone(report);
    const built = changed.findings.find((f) => f.subject === 'cockpit-1' && f.checkId === 'pipeline.built');
    if (built === undefined) throw new Error('the scaled sample has no pipeline.built finding for cockpit-1');
    built.status = 'not-applicable';
    const [, lines] = tables(buildDocument(changed, 'en', { compact: true }), 'images');
    expect(lines?.rows.find((row) => row.startsWith('cockpit-1 |'))).toMatch(/\| NOT APPLICABLE$/);
  });

  it('says where the full rows of the verified images are: report.json and report.html, attached, and the bundle', () => {
    const text = sectionText(sectionById(pdf, 'images'));
    expect(text).toContain(
      `The images that need attention (${attention.length}) keep their full rows; the ${report.subjects.length - attention.length} verified images`,
    );
    expect(text).toContain('is in report.json and report.html (both attached to this PDF, and in the bundle).');
    const unattached = sectionText(sectionById(buildDocument(report, 'en', { compact: true }), 'images'));
    expect(unattached).toContain('is in report.json (in the bundle).');
  });

  it('keeps each custody link’s time and evidence for the images that need attention, and each link’s status for every verified image', () => {
    const rows = tables(pdf, 'custody')[0]?.rows ?? [];
    const byImage = new Map(rows.map((row) => [row.split(/[\s|]/)[0] ?? '', row]));
    expect(rows).toHaveLength(report.subjects.length);
    expect([...byImage.keys()].sort()).toEqual(report.subjects.map((s) => s.id).sort());
    const full = tables(html, 'custody')[0]?.rows ?? [];
    const fullByImage = new Map(full.map((row) => [row.split(/[\s|]/)[0] ?? '', row]));
    const stamped = /\d{4}-\d\d-\d\d \d\d:\d\d|[0-9a-f]{10}…/;
    for (const s of report.subjects) {
      const row = byImage.get(s.id) ?? '';
      if (attention.includes(s)) expect(row, s.id).toBe(fullByImage.get(s.id));
      else {
        expect(row, s.id).not.toMatch(stamped);
        // Each link keeps its status and whether it is signed: UNSIGNED where a CI export is all it rests on.
        expect(
          row
            .split(' | ')
            .slice(1)
            .map((cell) => cell.split('\n')[0]),
        ).toEqual(
          (fullByImage.get(s.id) ?? '')
            .split(' | ')
            .slice(1)
            .map((cell) => cell.split('\n')[0]),
        );
      }
    }
    expect(byImage.get('mlflow-1')).toBe(
      'mlflow-1\nUNSIGNED CI export | CLAIMED UNSIGNED | CLAIMED UNSIGNED | CLAIMED UNSIGNED | VERIFIED signed | VERIFIED signed | VERIFIED',
    );
    expect(sectionText(sectionById(pdf, 'custody'))).toContain(
      `The images that need attention (${attention.length}) keep each link’s time and evidence file; for the ${report.subjects.length - attention.length} verified images, each link gives its status and whether it is signed. Every link’s time and evidence file is in report.json and report.html (both attached to this PDF, and in the bundle).`,
    );
    expect(sectionText(sectionById(html, 'custody'))).not.toContain('verified images, each link gives its status');
  });

  it('keeps every image’s full row in the HTML document', () => {
    const [full] = tables(html, 'images');
    expect(full?.headers).toBe('Image | Signature | SBOM attestation and SBOM | Build (CI, unsigned)');
    expect(full?.rows).toHaveLength(report.subjects.length);
    expect(tables(html, 'sboms')[0]?.rows).toHaveLength(report.sboms.entries.length);
  });

  it('lists the SBOMs below the minimum grade or failing the licence and purl check, and counts the others', () => {
    const below = report.sboms.entries.filter(
      (e) => !e.meetsMinimum || report.findings.some((f) => f.subject === e.subject && f.checkId === 'sbom.quality' && f.status !== 'pass'),
    );
    expect(below.length).toBeGreaterThan(0);
    const [quality, contents] = tables(pdf, 'sboms');
    expect(quality?.rows).toHaveLength(below.length);
    expect(contents?.rows).toHaveLength(below.length);
    expect(sectionText(sectionById(pdf, 'sboms'))).toContain(
      `Listed here: the ${below.length} SBOMs below the minimum grade or not passing the licence and purl check. The other ${report.sboms.entries.length - below.length} meet`,
    );
  });

  it('states once the clauses that SBOMs below the minimum grade weaken, naming every such SBOM in the item of its clauses', () => {
    const below = report.sboms.entries.filter((e) => !e.meetsMinimum);
    const sets = new Set(below.map((e) => [...new Set(e.weakens)].join('|')));
    const list = sectionById(pdf, 'sboms').blocks.find((b) => b.type === 'list');
    const items = list ? blockLines(list) : [];
    expect(items).toHaveLength(sets.size);
    const named = (item: string) => item.replace(/^• /, '').split(':')[0]?.split(', ') ?? [];
    for (const e of below) expect(items.filter((item) => named(item).includes(e.subject))).toHaveLength(1);
    expect(items.join('\n')).toContain('they weaken');
  });

  it('lists in its inventory the files the faults rest on and the estate’s own, and says how many others report.json lists', () => {
    const listed = faultAndEstateEvidence(report);
    const [inventory] = tables(pdf, 'appendix-evidence');
    expect(inventory?.rows).toHaveLength(listed.length);
    expect(listed.length).toBeLessThan(report.evidence.length);
    const cited = new Set(report.findings.filter((f) => f.status === 'fail' || f.status === 'error').flatMap((f) => f.evidence));
    for (const sha of cited) if (report.evidence.some((e) => e.sha256 === sha)) expect(listed.some((e) => e.sha256 === sha)).toBe(true);
    expect(listed.filter((e) => e.kind === 'pipeline-log' && !cited.has(e.sha256))).toEqual([]);
    const text = sectionText(sectionById(pdf, 'appendix-evidence'));
    expect(text).toContain(`The other ${(report.evidence.length - listed.length).toLocaleString('en')}, on which only passing checks rest`);
    // Only report.json and report.html are attached here: the inventory does not claim the evidence is.
    expect(text).toContain(`0 of the ${listed.length} listed here are also attached to this PDF`);
  });

  it('names the images without a fault by their table, not in a paragraph of names', () => {
    const text = sectionText(sectionById(pdf, 'findings'));
    expect(text).toContain(`Images with no fault (${report.subjects.length - attention.length}): one line each in Evidence per image.`);
    expect(text).not.toContain('cockpit-1, ');
  });

  it('reads in French too', () => {
    const fr = buildDocument(report, 'fr', { compact: true, attached });
    expect(tables(fr, 'images')[1]?.headers).toBe('Image | Empreinte | Signature | Attestation SBOM | Composants | Note | Exécution CI, commit');
    expect(sectionText(sectionById(fr, 'images'))).toContain('report.json et report.html (tous deux joints à ce PDF, et dans le paquet d’audit)');
  });
});
