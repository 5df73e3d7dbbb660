import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/render/content/blocks.js';
import { buildDocument } from '../../../src/render/content/document.js';
import { PLACES_SHOWN } from '../../../src/render/content/population.js';
import { renderHtml } from '../../../src/render/html.js';
import type { Report } from '../../../src/report/model.js';
import { makeReport } from '../../fixtures/report.js';
import { populationReport } from '../../fixtures/report-population.js';
import { poisonStrings } from '../../fixtures/report-shapes.js';
import { documentText, sectionById, sectionText } from './document-text.js';

/*
 * The population section, from a report whose population the collector read
 * from a real pods export and the engine shaped (see the fixture): what runs,
 * where, whether the configuration covers it, and the scope statement on
 * page 1 and in the limits, with and without a population export.
 */

let report: Report;
beforeAll(async () => {
  report = await populationReport();
});

/** The rows of the section's tables, each as its cells' text joined by " | ". */
function tableRows(r: Report, locale: 'en' | 'fr' = 'en'): string[] {
  return sectionById(buildDocument(r, locale), 'population').blocks.flatMap((b) =>
    b.type === 'table' ? b.rows.map((row) => row.cells.map(plainText).join(' | ')) : [],
  );
}
const rowOf = (rows: string[], start: string) => rows.find((r) => r.startsWith(start)) ?? '';

describe('the population section', () => {
  it('counts what was read and what runs, and says what the counts mean', () => {
    const text = sectionText(sectionById(buildDocument(report, 'en'), 'population'));
    expect(text).toContain('Population: what runs');
    expect(text).toContain('The exports are unsigned operator evidence: whoever writes one can list any image.');
    expect(text).toContain(
      '11 containers read; 3 distinct digests running: 1 covered by the configuration, 1 NOT covered, 1 running another digest than the configuration names; 1 container without a registry digest; 2 configured images not found running.',
    );
  });

  it('lists each export with its pods and containers, and says which one was not read whole, with its code', () => {
    const rows = tableRows(report);
    expect(rowOf(rows, 'cluster/pods.json')).toMatch(/^cluster\/pods\.json\nsha256:[0-9a-f]{12}… \| 11 \| 11 \| read whole \(unsigned\)$/);
    expect(rowOf(rows, 'cluster/other.json')).toMatch(/^cluster\/other\.json\nsha256:[0-9a-f]{12}… \| 0 \| 0 \| NOT read whole EVIDENCE_MALFORMED: /);
    const text = sectionText(sectionById(buildDocument(report, 'en'), 'population'));
    expect(text).toContain('Not every export was read whole: an image not found running may still run');
  });

  it('marks every digest running covered, not covered, or another digest than configured', () => {
    const rows = tableRows(report);
    expect(rowOf(rows, 'cockpit')).toContain(' | COVERED | ');
    expect(rowOf(rows, 'coredns-cccccccccccc')).toContain(
      '\nregistry.k8s.io/coredns/coredns:v1.11.1 | NOT COVERED | in 1 container:\nkube-system/coredns-x · coredns',
    );
    expect(rowOf(rows, 'notebook-eeeeeeeeeeee')).toContain(' | OTHER DIGEST THAN CONFIGURED\nthe configuration names notebook at sha256:bbbbbbbbbbbb… | ');
  });

  it('lists where an image runs up to a bound, init containers said so, and counts the rest', () => {
    const cell = rowOf(tableRows(report), 'cockpit').split(' | ')[2] ?? '';
    const lines = cell.split('\n');
    expect(lines[0]).toBe('in 8 containers:');
    expect(lines.slice(1, 1 + PLACES_SHOWN)).toEqual([
      'prod/cockpit-0 · web',
      'prod/cockpit-1 · web',
      'prod/cockpit-2 · web',
      'prod/cockpit-3 · web',
      'prod/cockpit-4 · web',
    ]);
    expect(lines.at(-1)).toBe('… and 3 more');
    const all = { ...report, population: { ...report.population!, images: report.population!.images.map((i) => ({ ...i, runsIn: i.runsIn.slice(-1) })) } };
    expect(rowOf(tableRows(all), 'cockpit')).toContain('prod/cockpit-migrate · migrate (init container)');
  });

  it('names the containers without a digest and why, and the configured images not found running', () => {
    const rows = tableRows(report);
    expect(rowOf(rows, 'prod/mcp-0 · mcp')).toMatch(/^prod\/mcp-0 · mcp \| registry\.example\/app\/mcp:1\.0 \| .+/);
    const text = sectionText(sectionById(buildDocument(report, 'en'), 'population'));
    expect(text).toContain('Configured images not found running (2)\nnotebook, mcp\nNot every export was read whole: these images may still run.');
  });

  it('states on page 1 and in the limits that the population comes from the exports, unsigned, and that one was not read whole', () => {
    const doc = buildDocument(report, 'en');
    expect(sectionText(doc.cover)).toContain(
      'Population: what runs, read from cluster/pods.json and cluster/other.json (unsigned operator export, NOT read whole): 3 digests running, 1 covered by the configuration, 1 not covered, 1 running another digest than configured, 1 container without a known digest. Every image found running is in scope; one without evidence is a fault. More in Population: what runs',
    );
    expect(sectionText(doc.cover)).not.toContain('No population export was given');
    expect(sectionText(sectionById(doc, 'trust'))).toContain('The population is what the exports show: unsigned operator evidence, as of when each was made.');
  });

  it('says plainly, without an export, that the population is the configuration’s list and nothing checked it against what runs', () => {
    const doc = buildDocument(makeReport(), 'en');
    expect(doc.sections.map((s) => s.id)).not.toContain('population');
    expect(sectionText(doc.cover)).toContain(
      'No population export was given. Nothing checks that list against what actually runs: the organisation vouches for it.',
    );
    expect(sectionText(sectionById(doc, 'trust'))).toContain('no population export was given (config population)');
  });

  it('reads in French', () => {
    const text = documentText(buildDocument(report, 'fr'));
    expect(text).toContain('Population : ce qui s’exécute');
    expect(text).toContain('NON COUVERTE');
    expect(text).toContain('AUTRE EMPREINTE QUE CELLE CONFIGURÉE');
    expect(text).toContain('dans 8 conteneurs :\nprod/cockpit-0 · web');
    expect(text).toContain('PAS lu en entier');
    expect(documentText(buildDocument(makeReport(), 'fr'))).toContain('Aucun export de population n’a été fourni');
  });
});

describe('the order of the digests running', () => {
  it('puts the gaps first: not covered, then another digest than configured, then covered', () => {
    const images = tableRows(report).filter((r) => / \| (COVERED|NOT COVERED|OTHER DIGEST THAN CONFIGURED)\b/.test(r));
    expect(images.map((r) => r.split('\n')[0])).toEqual(['coredns-cccccccccccc', 'notebook-eeeeeeeeeeee', 'cockpit']);
  });
});

describe('hostile strings in the population and the custody chains', () => {
  it('injects no markup into the HTML from any of their strings, and never links to another scheme', () => {
    const payload = `"'><img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">`;
    const golden = JSON.parse(readFileSync(new URL('../../../samples/akko/golden/report.json', import.meta.url), 'utf8')) as Report;
    const withChains = structuredClone(report);
    withChains.subjects.forEach((s, i) => {
      const custody = golden.subjects[i]?.custody;
      if (custody !== undefined) s.custody = custody;
    });
    const html = renderHtml(poisonStrings(withChains, payload));
    expect(html).toContain('Population: what runs');
    expect(html).toContain('Chain of custody');
    expect(html).not.toMatch(/<img|<script|<iframe/i);
    expect(html).not.toMatch(/\sonerror=/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });
});
