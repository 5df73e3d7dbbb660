import type { CheckId } from '../checks/index.js';
import type { FrameworkResult, SbomEntry, SbomSection } from '../report/model.js';
import { identityOf, inventorySbom, sharedComponents, toCsv, type SbomInventory } from '../sbom/inventory.js';
import { meetsGrade, scoreSbom, type Grade } from '../sbom/score.js';
import { specVersionOf } from '../sbom/validate.js';

export const INVENTORY_CSV = 'inventory.csv';
const SBOM_CHECKS: ReadonlySet<string> = new Set<CheckId>(['sbom.valid', 'sbom.quality', 'attestation.binds-digest', 'attestation.verified']);

export interface SbomSectionInput {
  /** Subject → the SBOM of its verified attestation, in subject order (from the verify stage). */
  attested: Map<string, { evidence: string; document: unknown }>;
  frameworks: FrameworkResult[];
  minGrade: Grade;
}

/**
 * Scores and inventories the SBOM of every subject whose attestation verified,
 * and says which clauses an SBOM below the minimum grade weakens. Pure: it
 * reads the documents the verify stage already parsed, never the bytes again.
 * A streaming run does the same one image at a time (summariseSbom), writes
 * the inventory as it goes (src/sbom/inventory-writer.ts) and assembles the
 * section from the summaries (sbomSection).
 */
export function buildSbomSection(input: SbomSectionInput): { section: SbomSection; csv: string | undefined } {
  const summaries = [...input.attested].map(([subject, attested]) => summariseSbom(subject, attested, input.minGrade));
  const inventories = summaries.map((s) => s.inventory);
  const csv = inventories.length > 0 ? toCsv(inventories) : undefined;
  const estate = {
    components: inventories.reduce((n, i) => n + i.components, 0),
    distinct: new Set(inventories.flatMap((i) => i.entries.map(identityOf))).size,
    shared: sharedComponents(inventories)
      .slice(0, SHARED_SHOWN)
      .map((s) => ({ component: s.key, images: s.images })),
    ...(csv ? { inventoryCsv: INVENTORY_CSV } : {}),
  };
  return {
    section: sbomSection(
      summaries.map((s) => s.entry),
      estate,
      input.frameworks,
      input.minGrade,
    ),
    csv,
  };
}

/** How many of the most shared components the report lists. */
export const SHARED_SHOWN = 25;

/**
 * One image's SBOM: its report entry (the clauses it weakens are filled in
 * by sbomSection, once the frameworks are mapped) and its inventory. The
 * document itself can be dropped afterwards.
 */
export function summariseSbom(
  subject: string,
  attested: { evidence: string; document: unknown },
  minGrade: Grade,
): { entry: SbomEntry; inventory: SbomInventory } {
  const { evidence, document } = attested;
  const score = scoreSbom(document);
  const inventory = inventorySbom(subject, document);
  const entry: SbomEntry = {
    subject,
    evidence,
    specVersion: specVersionOf(document),
    components: score.components,
    grade: score.grade,
    score: score.score,
    ntia: score.frameworks.ntia,
    cisa: score.frameworks.cisa,
    bsi: score.frameworks.bsi,
    meetsMinimum: meetsGrade(score.grade, minGrade),
    fields: score.fields.map((f) => ({ id: f.id, framework: f.framework, label: f.label, requirement: f.requirement, percent: f.percent })),
    byType: inventory.byType,
    byEcosystem: inventory.byEcosystem,
    licences: licenceSummary(inventory),
    copyleft: inventory.copyleft,
    weakens: [],
  };
  return { entry, inventory };
}

/** The report's SBOM section from per-image entries and estate totals: an entry below the minimum grade names the clauses it weakens. */
export function sbomSection(entries: readonly SbomEntry[], estate: SbomSection['estate'], frameworks: FrameworkResult[], minGrade: Grade): SbomSection {
  const weakened = sbomControls(frameworks);
  return { minGrade, entries: entries.map((e) => ({ ...e, weakens: e.meetsMinimum ? [] : weakened })), estate };
}

function licenceSummary(inventory: SbomInventory): SbomEntry['licences'] {
  const top = Object.entries(inventory.licences.spdxIds)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, 8)
    .map(([licence, components]) => ({ licence, components }));
  return {
    distinctSpdxIds: Object.keys(inventory.licences.spdxIds).length,
    expressions: Object.keys(inventory.licences.expressions).length,
    named: Object.keys(inventory.licences.named).length,
    unknown: inventory.licences.unknown,
    top,
  };
}

/** Citations of every control an SBOM check supports: what a poor SBOM weakens. */
function sbomControls(frameworks: FrameworkResult[]): string[] {
  return frameworks.flatMap((fw) => fw.controls.filter((c) => c.support.some((s) => SBOM_CHECKS.has(s.checkId))).map((c) => c.citation));
}
