import { isRecord } from '../util/wire.js';
import { GRADES, type Grade } from './grades.js';
import { FIELDS, type FieldDefinition, type Framework, type ScoreContext } from './score-fields.js';
import { list, listComponents } from './walk.js';

export { FIELDS } from './score-fields.js';
// Kept here too: the rest of auditpack reads grades from the scorer.
export { GRADES, meetsGrade, type Grade } from './grades.js';

export interface ScorePolicy {
  /** The lowest overall score (0–100) that earns each grade; anything lower is F. */
  grades: Record<Exclude<Grade, 'F'>, number>;
  /** Which frameworks the overall score averages. */
  frameworks: Framework[];
}

/**
 * Defaults: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 45, E ≥ 30, else F; the overall score
 * is the mean of the current texts' scores, CISA 2025 minimum elements and BSI
 * TR-03183-2 v2.1.0, each the mean of its fields' coverage (NTIA 2021 is
 * scored for reference, not graded). A typical tool-generated CycloneDX 1.5
 * SBOM with names, versions, purls, licences and a dependency graph, but no
 * suppliers, hashes or BSI properties, lands around D–E: the missing fields
 * are what the current texts ask for, and each names its requirement.
 */
export const DEFAULT_SCORE_POLICY: ScorePolicy = {
  grades: { A: 90, B: 75, C: 60, D: 45, E: 30 },
  frameworks: ['cisa', 'bsi'],
};

export interface FieldScore {
  id: string;
  framework: Framework;
  label: string;
  /** The requirement the field belongs to (document, section, field). */
  requirement: string;
  scope: 'document' | 'component';
  /** How many components (or 1 for the document) have the field, of how many it is required of. */
  covered: number;
  required: number;
  /** Coverage in percent, one decimal. */
  percent: number;
}

export interface SbomScore {
  components: number;
  fields: FieldScore[];
  frameworks: Record<Framework, number>;
  score: number;
  grade: Grade;
}

/** Per-field coverage, per-framework scores and a grade. Linear: one pass per field over the components. */
export function scoreSbom(document: unknown, policy: ScorePolicy = DEFAULT_SCORE_POLICY): SbomScore {
  const bom = isRecord(document) ? document : {};
  const components = listComponents(bom).map((e) => e.component);
  const context = dependencyContext(bom);
  const fields = FIELDS.map((f) => scoreField(f, bom, components, context));
  const frameworks = { ntia: frameworkScore(fields, 'ntia'), cisa: frameworkScore(fields, 'cisa'), bsi: frameworkScore(fields, 'bsi') };
  const score = round(mean(policy.frameworks.map((f) => frameworks[f])));
  return { components: components.length, fields, frameworks, score, grade: gradeFor(score, policy) };
}

export function gradeFor(score: number, policy: ScorePolicy = DEFAULT_SCORE_POLICY): Grade {
  return GRADES.find((g) => g === 'F' || score >= policy.grades[g]) ?? 'F';
}

function scoreField(field: FieldDefinition, bom: Record<string, unknown>, components: Record<string, unknown>[], context: ScoreContext): FieldScore {
  const base = { id: field.id, framework: field.framework, label: field.label, requirement: field.requirement };
  if (field.document) {
    const covered = field.document(bom) ? 1 : 0;
    return { ...base, scope: 'document', covered, required: 1, percent: covered * 100 };
  }
  const has = field.component ?? (() => false);
  const covered = components.filter((c) => has(c, context)).length;
  // No components at all is a failure of every component field, not a vacuous pass.
  const percent = components.length > 0 ? round((covered / components.length) * 100) : 0;
  return { ...base, scope: 'component', covered, required: components.length, percent };
}

function dependencyContext(bom: Record<string, unknown>): ScoreContext {
  const withDependencyEntry = new Set<string>();
  const inGraph = new Set<string>();
  for (const d of list(bom.dependencies)) {
    if (!isRecord(d)) continue;
    if (typeof d.ref === 'string' && d.ref !== '') {
      withDependencyEntry.add(d.ref);
      inGraph.add(d.ref);
    }
    for (const r of list(d.dependsOn)) if (typeof r === 'string' && r !== '') inGraph.add(r);
  }
  return { withDependencyEntry, inGraph };
}

function frameworkScore(fields: FieldScore[], framework: Framework): number {
  return round(mean(fields.filter((f) => f.framework === framework).map((f) => f.percent)));
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
