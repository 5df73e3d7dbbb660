import { isRecord } from '../util/wire.js';
import { checkLicenceExpression } from './licences.js';
import { readPurl } from './purl.js';
import type { SbomIssue } from './schema-errors.js';
import { list, visitJson } from './walk.js';

/**
 * What the CycloneDX specification requires but its JSON schema cannot
 * express: every `bom-ref` unique in the BOM, every dependency `ref`,
 * `dependsOn` and `provides` naming a `bom-ref` of this BOM, every `purl` a
 * valid package URL, every licence `expression` a valid SPDX expression.
 * One pass over the document, sets for lookups: linear in its size.
 * Empty strings are left to the schema (`minLength`), which reports them.
 */
export function integrityIssues(document: Record<string, unknown>): SbomIssue[] {
  const issues: SbomIssue[] = [];
  const refs = new Set<string>();
  const duplicates: { ref: string; path: string }[] = [];
  visitJson(document, ({ value, parentKey, pointer }) => {
    if (Array.isArray(value)) return;
    const ref = value['bom-ref'];
    if (typeof ref === 'string' && ref !== '') {
      if (refs.has(ref)) duplicates.push({ ref, path: pointer() });
      else refs.add(ref);
    }
    if (typeof value.purl === 'string' && value.purl !== '') {
      const problem = purlProblem(value.purl);
      if (problem !== undefined)
        issues.push({ path: `${pointer()}/purl`, rule: 'malformed-purl', message: `'${value.purl}' is not a valid package URL: ${problem}` });
    }
    if (parentKey === 'licenses' && typeof value.expression === 'string' && value.expression !== '') {
      const parsed = checkLicenceExpression(value.expression);
      if (!parsed.ok)
        issues.push({
          path: `${pointer()}/expression`,
          rule: 'invalid-licence-expression',
          message: `'${value.expression}' is not a valid SPDX licence expression: ${parsed.reason}`,
        });
    }
  });
  issues.push(...duplicateIssues(document, duplicates), ...dependencyIssues(document, refs));
  return issues;
}

/** Where each duplicated bom-ref was first used: found by a second pass, only when there are duplicates. */
function duplicateIssues(document: Record<string, unknown>, duplicates: { ref: string; path: string }[]): SbomIssue[] {
  if (duplicates.length === 0) return [];
  const wanted = new Set(duplicates.map((d) => d.ref));
  const first = new Map<string, string>();
  visitJson(document, ({ value, pointer }) => {
    const ref = Array.isArray(value) ? undefined : value['bom-ref'];
    if (typeof ref === 'string' && wanted.has(ref) && !first.has(ref)) first.set(ref, pointer());
  });
  return duplicates.map(({ ref, path }) => ({
    path: `${path}/bom-ref`,
    rule: 'duplicate-bom-ref',
    message: `bom-ref '${ref}' is already used at ${first.get(ref) || '/'}`,
  }));
}

function dependencyIssues(document: Record<string, unknown>, refs: Set<string>): SbomIssue[] {
  const issues: SbomIssue[] = [];
  list(document.dependencies).forEach((dependency, index) => {
    if (!isRecord(dependency)) return;
    const at = `/dependencies/${index}`;
    const check = (ref: unknown, path: string) => {
      if (typeof ref === 'string' && ref !== '' && !refs.has(ref)) {
        issues.push({ path, rule: 'unknown-dependency-ref', message: `'${ref}' is not the bom-ref of anything in this SBOM` });
      }
    };
    check(dependency.ref, `${at}/ref`);
    for (const field of ['dependsOn', 'provides']) list(dependency[field]).forEach((ref, i) => check(ref, `${at}/${field}/${i}`));
  });
  return issues;
}

function purlProblem(purl: string): string | undefined {
  const reading = readPurl(purl);
  return reading.ok ? undefined : reading.problem;
}
