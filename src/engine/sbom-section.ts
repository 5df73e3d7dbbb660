import type { Evidence } from '../collect/evidence.js';
import type { Finding, FrameworkResult, SbomEntry, SbomSection } from '../report/model.js';
import { SbomReader } from '../sbom/extract.js';
import { identityOf, inventorySbom, sharedComponents, toCsv, type SbomInventory } from '../sbom/inventory.js';
import { meetsGrade, scoreSbom, type Grade } from '../sbom/score.js';

export const INVENTORY_CSV = 'inventory.csv';
const SBOM_CHECKS = new Set(['sbom.valid', 'sbom.quality', 'attestation.binds-digest', 'attestation.verified']);

export interface SbomSectionInput {
  findings: Finding[];
  evidence: Evidence[];
  frameworks: FrameworkResult[];
  digests: Map<string, string>;
  minGrade: Grade;
  reader?: SbomReader;
}

/**
 * Scores and inventories the SBOM of every subject whose attestation verified
 * (the evidence behind its passing or failing `sbom.valid` finding), and
 * says which clauses an SBOM below the minimum grade weakens. Pure apart from
 * parsing, which the reader memoises by SHA-256.
 */
export function buildSbomSection(input: SbomSectionInput): { section: SbomSection; csv: string | undefined } {
  const reader = input.reader ?? new SbomReader();
  const bySha = new Map(input.evidence.map((e) => [e.sha256, e]));
  const weakened = sbomControls(input.frameworks);
  const entries: SbomEntry[] = [];
  const inventories: SbomInventory[] = [];
  for (const finding of input.findings.filter((f) => f.checkId === 'sbom.valid' && f.evidence.length > 0)) {
    const document = attestedDocument(reader, bySha.get(finding.evidence[0] ?? ''), input.digests.get(finding.subject));
    if (document === undefined) continue;
    const score = scoreSbom(document);
    const inventory = inventorySbom(finding.subject, document);
    inventories.push(inventory);
    const meetsMinimum = meetsGrade(score.grade, input.minGrade);
    entries.push({
      subject: finding.subject,
      evidence: finding.evidence[0] ?? '',
      specVersion: String((document as { specVersion?: unknown }).specVersion ?? ''),
      components: score.components,
      grade: score.grade,
      score: score.score,
      ntia: score.frameworks.ntia,
      bsi: score.frameworks.bsi,
      meetsMinimum,
      fields: score.fields.map((f) => ({ id: f.id, framework: f.framework, label: f.label, percent: f.percent })),
      byType: inventory.byType,
      byEcosystem: inventory.byEcosystem,
      licences: licenceSummary(inventory),
      copyleft: inventory.copyleft,
      weakens: meetsMinimum ? [] : weakened,
    });
  }
  const distinct = new Set(inventories.flatMap((i) => i.entries.map(identityOf))).size;
  const shared = sharedComponents(inventories).slice(0, 25).map((s) => ({ component: s.key, images: s.images }));
  const components = inventories.reduce((n, i) => n + i.components, 0);
  const csv = inventories.length > 0 ? toCsv(inventories) : undefined;
  return {
    section: { minGrade: input.minGrade, entries, estate: { components, distinct, shared, ...(csv ? { inventoryCsv: INVENTORY_CSV } : {}) } },
    csv,
  };
}

function attestedDocument(reader: SbomReader, evidence: Evidence | undefined, digest: string | undefined): unknown {
  if (!evidence) return undefined;
  const sboms = reader.read(evidence.bytes).items.filter((i) => i.kind === 'sbom' && i.format === 'cyclonedx');
  const bound = sboms.find((i) => i.kind === 'sbom' && digest !== undefined && i.subjectDigests.includes(digest)) ?? sboms[0];
  return bound?.kind === 'sbom' ? bound.document : undefined;
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
