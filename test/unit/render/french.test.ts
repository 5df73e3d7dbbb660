import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { buildDocument } from '../../../src/render/content/document.js';
import { createI18n } from '../../../src/report/i18n.js';
import type { Report } from '../../../src/report/model.js';
import { UIStrings, type UIStringKey } from '../../../src/report/ui-strings.js';
import { UIStringsFr } from '../../../src/report/ui-strings.fr.js';
import { richReport, sbomReport, schema11Report } from '../../fixtures/report-shapes.js';
import { populationReport } from '../../fixtures/report-population.js';
import { documentText } from './document-text.js';
import { argumentsOf, literalText } from './icu.js';

/*
 * The French report reads as French throughout: every UI string has its
 * French twin, and a French document keeps no English word of the UI. What
 * stays English is the evidence itself (messages the checks wrote, catalog
 * titles, file names): the test takes every string of the report out of the
 * text before it looks.
 */

const KEYS = Object.keys(UIStrings) as UIStringKey[];

/** Every string value in the report, longest first, so that a longer one is removed before a string it contains. */
function reportStrings(report: Report): string[] {
  const out = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') out.add(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        out.add(k);
        visit(v);
      }
    }
  };
  visit(report);
  return [...out].filter((s) => s.length > 2).sort((a, b) => b.length - a.length);
}

/** `text` where it stands as a whole (not inside a longer word). */
function asWord(text: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'gu');
}

/** Words of four letters or more that the English catalog uses and the French one never does: English UI words. */
function englishOnlyWords(): Set<string> {
  const words = (messages: readonly string[]) =>
    new Set(
      messages.flatMap(
        (m) =>
          literalText(m)
            .toLowerCase()
            .match(/\p{L}{4,}/gu) ?? [],
      ),
    );
  const french = words(Object.values(UIStringsFr));
  return new Set([...words(Object.values(UIStrings))].filter((w) => !french.has(w)));
}

describe('the French catalog', () => {
  it('has every key of the English one, none empty, with the same arguments', () => {
    for (const key of KEYS) {
      const fr = UIStringsFr[key];
      expect(fr, key).toBeTruthy();
      expect(argumentsOf(fr), key).toEqual(argumentsOf(UIStrings[key]));
    }
    expect(Object.keys(UIStringsFr).sort()).toEqual([...KEYS].sort());
  });

  it('translates every message, but for the few that read the same in French', () => {
    const same = KEYS.filter((key) => UIStrings[key] === UIStringsFr[key]);
    expect(same.sort()).toEqual(
      [
        'doc.runningHeader',
        'cli.archive',
        'common.plusMore',
        'checkShort.sbom.valid',
        'column.image',
        'column.images',
        'column.code',
        'column.sha256',
        'column.signature',
        'column.justification',
        'column.scores',
        'column.licences',
        'column.document',
        'cover.organisation',
        'findings.code',
        'waivers.ticket',
        'waivers.scopeImage',
        'claims.source',
        'images.commit',
        'changes.images',
        'changes.absent',
        'custodyStep.sign',
        'column.pods',
        'custodyStep.attest',
        'signoff.date',
        'signoff.signature',
      ].sort(),
    );
  });

  it('parses as ICU MessageFormat in both languages', () => {
    for (const key of KEYS) {
      expect(() => new IntlMessageFormat(UIStrings[key], 'en', undefined, { ignoreTag: true }), key).not.toThrow();
      expect(() => new IntlMessageFormat(UIStringsFr[key], 'fr', undefined, { ignoreTag: true }), key).not.toThrow();
    }
  });

  it('formats numbers, lists and dates the French way', () => {
    const fr = createI18n('fr');
    expect(fr.count(1234567)).toBe('1\u202f234\u202f567');
    expect(fr.decimal(57.66)).toBe('57,7');
    expect(fr.list(['a', 'b', 'c'])).toBe('a, b et c');
    expect(fr.day('2026-04-01T00:00:00.000Z')).toBe('1 avril 2026');
  });
});

describe('a French report', () => {
  const english = englishOnlyWords();

  it('knows enough English-only words for the check to mean something', () => {
    for (const word of ['checks', 'passed', 'failed', 'waived', 'supported', 'clauses']) expect(english, word).toContain(word);
  });

  /** The sample estate's report cut to four images (signed provenance, CI exports only, a missing signature, a failed attestation): the whole one takes seconds to scan. */
  const golden = (): Report => {
    const report = JSON.parse(readFileSync(new URL('../../../samples/akko/golden/report.json', import.meta.url), 'utf8')) as Report;
    const kept = new Set(['cockpit', 'mlflow', 'notebook-full', 'mcp-openmetadata']);
    const ours = (subject: string | undefined) => subject === undefined || kept.has(subject);
    return {
      ...report,
      subjects: report.subjects.filter((s) => kept.has(s.id)),
      findings: report.findings.filter((f) => kept.has(f.subject)),
      evidence: report.evidence.filter((e) => ours(e.subject)),
      sboms: { ...report.sboms, entries: report.sboms.entries.filter((e) => kept.has(e.subject)) },
    };
  };
  for (const [name, make] of [
    ['with every schema 1.1 part', schema11Report],
    ['with more waivers, claims and statements', richReport],
    ['with more SBOMs', sbomReport],
    ['of the sample estate (chains of custody, evidence timing)', golden],
    ['with a population export', populationReport],
  ] as const) {
    it(`leaves no English UI word, ${name}`, async () => {
      const report = await make();
      // Commands are literal syntax (`auditpack verify <bundle> --key …`), not prose.
      let text = documentText(buildDocument(report, 'fr'))
        .split('\n')
        .filter((line) => !line.startsWith('$ '))
        .join('\n');
      for (const s of reportStrings(report)) text = text.replace(asWord(s), ' ');
      const leftovers = [...new Set(text.toLowerCase().match(/\p{L}{4,}/gu) ?? [])].filter((w) => english.has(w));
      expect(leftovers).toEqual([]);
    });
  }
});
