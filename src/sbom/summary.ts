import type { ErrorCode } from '../errors.js';
import type { ExtractedItem } from './extract.js';
import type { SbomFile } from './read.js';
import type { FieldScore, SbomScore } from './score.js';
import type { SbomValidation } from './validate.js';

/** What `auditpack sbom validate|score` reports for one item of a file (never the document itself). */
export interface ItemResult {
  location: string;
  kind: ExtractedItem['kind'];
  format?: string;
  wrapping?: string[];
  predicateType?: string;
  subjectDigests?: string[];
  reason?: string;
  code?: ErrorCode;
  validation?: SbomValidation;
  score?: SbomScore;
  /** Whether this item counts as a success for the command's exit code. */
  ok: boolean;
}

export interface FileResult {
  file: string;
  sha256?: string;
  size?: number;
  items: ItemResult[];
}

/** Item fields common to both commands; the command adds validation or score and decides `ok`. */
export function describeItem(item: ExtractedItem): Omit<ItemResult, 'ok'> {
  switch (item.kind) {
    case 'sbom':
      return {
        location: item.location,
        kind: item.kind,
        format: item.format,
        wrapping: item.wrapping,
        ...(item.predicateType === undefined ? {} : { predicateType: item.predicateType }),
        subjectDigests: item.subjectDigests,
      };
    case 'other':
      return { location: item.location, kind: item.kind, reason: item.reason };
    case 'unreadable':
      return { location: item.location, kind: item.kind, reason: item.reason, code: item.code };
  }
}

/**
 * The items worth a line: SBOMs and unreadable parts. Attestations of other
 * predicate types (provenance next to the SBOM) are only named when a file
 * holds nothing else.
 */
export function reportableItems(file: SbomFile): ExtractedItem[] {
  const relevant = file.items.filter((i) => i.kind !== 'other');
  return relevant.length > 0 ? relevant : file.items;
}

/** `file` or `file (line 3)`, plus the wrapping when there is one. */
export function itemLabel(file: string, result: ItemResult): string {
  const where = result.location === '' ? file : `${file} (${result.location})`;
  const layers = result.wrapping && result.wrapping.length > 0 ? ` [${result.wrapping.join(' > ')}]` : '';
  return `${where}${layers}`;
}

/** One readable line for `sbom validate`. */
export function validationLine(file: string, result: ItemResult): string {
  const label = itemLabel(file, result);
  if (result.kind !== 'sbom')
    return `${label}: ${result.kind === 'other' ? 'no SBOM' : 'UNREADABLE'}: ${result.reason ?? ''}${result.code ? ` [${result.code}]` : ''}`;
  if (result.format === 'spdx') return `${label}: SPDX, not validated (auditpack validates CycloneDX only)`;
  const v = result.validation;
  if (v === undefined) return `${label}: not validated`;
  switch (v.status) {
    case 'valid':
      return `${label}: valid CycloneDX ${v.specVersion} (${v.components} top-level components)`;
    case 'invalid': {
      const shown = v.errors.slice(0, 3).join('; ');
      const more = v.issueCount - Math.min(3, v.errors.length);
      return `${label}: INVALID CycloneDX ${v.specVersion || '(no specVersion)'}, ${v.issueCount} problem${v.issueCount === 1 ? '' : 's'}: ${shown}${more > 0 ? `; … ${more} more (--format json)` : ''}`;
    }
    case 'could-not-validate':
      return `${label}: NOT VALIDATED: ${v.reason}`;
  }
}

/** One readable line for `sbom score`. */
export function scoreLine(file: string, result: ItemResult, minGrade: string | undefined): string {
  const label = itemLabel(file, result);
  const s = result.score;
  if (s === undefined) return `${label}: NOT SCORED: ${result.reason ?? 'no CycloneDX SBOM'}${result.code ? ` [${result.code}]` : ''}`;
  const gaps = weakestFields(s.fields);
  const verdict = minGrade !== undefined && !result.ok ? `; below --min-grade ${minGrade}` : '';
  return `${label}: grade ${s.grade} (${s.score}: CISA 2025 ${s.frameworks.cisa} %, BSI TR-03183-2 v2.1.0 ${s.frameworks.bsi} %; NTIA 2021 ${s.frameworks.ntia} % for reference), ${s.components} components${gaps === '' ? '' : `; weakest: ${gaps}`}${verdict}`;
}

/**
 * The three least-covered graded fields under 100 %, each with the
 * requirement it belongs to, so the grade says what is missing and where it
 * is asked for. Fields of the same label (name, version, timestamp) merged.
 */
function weakestFields(fields: FieldScore[]): string {
  const seen = new Set<string>();
  return fields
    .filter((f) => f.framework !== 'ntia' && f.percent < 100)
    .sort((a, b) => a.percent - b.percent)
    .filter((f) => !seen.has(f.label) && seen.add(f.label))
    .slice(0, 3)
    .map((f) => `${f.label} ${f.percent} % (${f.requirement})`)
    .join('; ');
}
