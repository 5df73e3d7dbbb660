/**
 * SBOM quality and inventory: how complete each image's attested SBOM is,
 * whether it meets the run's minimum grade and which clauses it weakens when
 * it does not, what it lists, and the estate across all SBOMs.
 */
import type { Report, SbomEntry } from '../../report/model.js';
import { anchor, compareText } from './anchors.js';
import { evidenceLink, subjectLink, type ControlRef, type Lookups } from './lookups.js';

/** Frameworks the fields are scored against, in words; one the table does not know is shown as given. */
const FRAMEWORK_WORDS: Record<string, string> = {
  ntia: 'NTIA minimum elements',
  cisa: 'CISA 2025 minimum elements (draft)',
  bsi: 'BSI TR-03183-2 v2.1.0',
};

/** Copyleft kinds in a fixed order, strongest obligation first; kinds outside it follow, by name. */
const COPYLEFT_ORDER = ['network', 'strong', 'weak'];

export function viewSboms(report: Report, lookups: Lookups) {
  const { sboms } = report;
  const byCitation = controlsByCitation(lookups);
  const anchors = new Map<string, number>();
  const entries = sboms.entries.map((entry) => viewEntry(entry, entryAnchor(entry.subject, anchors), byCitation, lookups));
  const below = entries.filter((e) => !e.meetsMinimum).length;
  return {
    minGrade: sboms.minGrade,
    entries,
    meeting: entries.length - below,
    below,
    estate: {
      components: sboms.estate.components,
      distinct: sboms.estate.distinct,
      shared: sboms.estate.shared.map((item) => ({
        component: item.component,
        images: item.images.map((id) => subjectLink(id, lookups)),
      })),
      inventoryCsv: sboms.estate.inventoryCsv ?? null,
    },
  };
}

/**
 * One anchor per entry. An image normally has one SBOM; should it have more,
 * later ones get a number (`sbom-x/2`), which no image id can produce since
 * `anchor` encodes a `/` inside a part.
 */
function entryAnchor(subject: string, seen: Map<string, number>): string {
  const n = (seen.get(subject) ?? 0) + 1;
  seen.set(subject, n);
  return n === 1 ? anchor('sbom', subject) : anchor('sbom', subject, String(n));
}

function viewEntry(entry: SbomEntry, entryId: string, byCitation: ReadonlyMap<string, ControlRef>, lookups: Lookups) {
  return {
    anchor: entryId,
    subject: subjectLink(entry.subject, lookups),
    ref: lookups.subjects.get(entry.subject)?.ref ?? null,
    evidence: evidenceLink(entry.evidence, lookups),
    specVersion: entry.specVersion === '' ? null : entry.specVersion,
    components: entry.components,
    grade: entry.grade,
    score: entry.score,
    ntia: entry.ntia,
    cisa: entry.cisa,
    bsi: entry.bsi,
    meetsMinimum: entry.meetsMinimum,
    fields: entry.fields.map((field) => ({
      id: field.id,
      label: field.label,
      framework: Object.hasOwn(FRAMEWORK_WORDS, field.framework) ? (FRAMEWORK_WORDS[field.framework] ?? field.framework) : field.framework,
      requirement: field.requirement,
      percent: field.percent,
    })),
    byEcosystem: counts(entry.byEcosystem),
    byType: counts(entry.byType),
    licences: {
      distinctSpdxIds: entry.licences.distinctSpdxIds,
      expressions: entry.licences.expressions,
      named: entry.licences.named,
      unknown: entry.licences.unknown,
      // The report gives the most used first; keep its order.
      top: entry.licences.top.map((t) => ({ name: t.licence, count: t.components })),
    },
    copyleft: copyleft(entry.copyleft),
    // Only an SBOM below the minimum weakens anything; each citation once, linked to its control when the report has it.
    weakens: entry.meetsMinimum ? [] : [...new Set(entry.weakens)].map((citation) => ({ citation, anchor: byCitation.get(citation)?.anchor ?? null })),
  };
}

/**
 * Controls by citation, the form `weakens` uses. Should two controls share a
 * citation, the first in the report's order is the one linked.
 */
function controlsByCitation(lookups: Lookups): Map<string, ControlRef> {
  const byCitation = new Map<string, ControlRef>();
  for (const control of lookups.controls.values()) {
    if (!byCitation.has(control.citation)) byCitation.set(control.citation, control);
  }
  return byCitation;
}

/** Most first, then by name (code-unit order, not the locale's). */
function counts(record: Readonly<Record<string, number>>) {
  return Object.entries(record)
    .sort(([a, x], [b, y]) => y - x || compareText(a, b))
    .map(([name, count]) => ({ name, count }));
}

function copyleft(record: Readonly<Record<string, number>>) {
  const known = COPYLEFT_ORDER.filter((kind) => Object.hasOwn(record, kind));
  const others = Object.keys(record)
    .filter((kind) => !COPYLEFT_ORDER.includes(kind))
    .sort(compareText);
  return [...known, ...others].map((kind) => ({ kind, count: record[kind] ?? 0 }));
}
