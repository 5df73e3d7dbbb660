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
 */
export function buildSbomSection(input: SbomSectionInput): { section: SbomSection; csv: string | undefined } {
  const weakened = sbomControls(input.frameworks);
  const entries: SbomEntry[] = [];
  const inventories: SbomInventory[] = [];
  for (const [subject, { evidence, document }] of input.attested) {
    const score = scoreSbom(document);
    const inventory = inventorySbom(subject, document);
    inventories.push(inventory);
    const meetsMinimum = meetsGrade(score.grade, input.minGrade);
    entries.push({
      subject,
      evidence,
      specVersion: specVersionOf(document),
      components: score.components,
      grade: score.grade,
      score: score.score,
      ntia: score.frameworks.ntia,
      cisa: score.frameworks.cisa,
      bsi: score.frameworks.bsi,
      meetsMinimum,
      fields: score.fields.map((f) => ({ id: f.id, framework: f.framework, label: f.label, requirement: f.requirement, percent: f.percent })),
      byType: inventory.byType,
      byEcosystem: inventory.byEcosystem,
      licences: licenceSummary(inventory),
      copyleft: inventory.copyleft,
      weakens: meetsMinimum ? [] : weakened,
    });
  }
  const distinct = new Set(inventories.flatMap((i) => i.entries.map(identityOf))).size;
  const shared = sharedComponents(inventories)
    .slice(0, 25)
    .map((s) => ({ component: s.key, images: s.images }));
  const components = inventories.reduce((n, i) => n + i.components, 0);
  const csv = inventories.length > 0 ? toCsv(inventories) : undefined;
  return {
    section: { minGrade: input.minGrade, entries, estate: { components, distinct, shared, ...(csv ? { inventoryCsv: INVENTORY_CSV } : {}) } },
    csv,
  };
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
