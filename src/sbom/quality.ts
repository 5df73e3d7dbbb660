import { isRecord } from '../util/wire.js';

export interface SbomCoverage {
  components: number;
  withLicence: number;
  withPurl: number;
}

/** Counts components (nested ones included) that carry a licence and a package URL. */
export function measureCoverage(document: unknown): SbomCoverage {
  const coverage: SbomCoverage = { components: 0, withLicence: 0, withPurl: 0 };
  const stack: unknown[] = isRecord(document) && Array.isArray(document.components) ? [...(document.components as unknown[])] : [];
  while (stack.length > 0) {
    const component = stack.pop();
    if (!isRecord(component)) continue;
    coverage.components += 1;
    if (Array.isArray(component.licenses) && component.licenses.length > 0) coverage.withLicence += 1;
    if (typeof component.purl === 'string' && component.purl.startsWith('pkg:')) coverage.withPurl += 1;
    if (Array.isArray(component.components)) stack.push(...(component.components as unknown[]));
  }
  return coverage;
}

export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function percent(part: number, whole: number): string {
  return `${(ratio(part, whole) * 100).toFixed(1)} %`;
}
