/**
 * auditpack's linear CycloneDX validator against the third-party corpus in
 * ../shared/testdata/external/cyclonedx/ (never copied into this repo):
 * every file must get the verdict its SOURCES.md lists, and for every file
 * the verdict of @cyclonedx/cyclonedx-library's own JsonStrictValidator,
 * whose first error must be among ours.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validation, type Spec } from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/sbom/schemas.js';
import { validateCycloneDx } from '../../src/sbom/validate.js';

const ROOT = fileURLToPath(new URL('../../../shared/testdata/external/cyclonedx/', import.meta.url));

/**
 * Files whose schema verdict is "valid" but which break a rule of the spec
 * that the schema cannot express. The 1.6 copy of this test has it fixed.
 */
const KNOWN_INTEGRITY_FAULTS: Record<string, string> = {
  'spec-tests/1.5/valid-formulation-1.5.json': "bom-ref 'workspace-1' is already used",
};

interface Expected {
  file: string;
  specVersion: string;
  verdict: 'valid' | 'invalid';
}

/** Rows of the SOURCES.md tables: | `file` | source | specVersion | components | verdict | reason? | (`\|` escapes a pipe). */
function readSources(): Expected[] {
  const rows: Expected[] = [];
  for (const line of readFileSync(join(ROOT, 'SOURCES.md'), 'utf8').split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const file = /^`([^`]+\.json)`$/.exec(cells[1] ?? '')?.[1];
    const verdict = cells[5];
    if (file !== undefined && (verdict === 'valid' || verdict === 'invalid')) rows.push({ file, specVersion: cells[3] ?? '', verdict });
  }
  return rows;
}

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFilesUnder(path);
    return path.endsWith('.json') ? [relative(ROOT, path)] : [];
  });
}

const libraryValidators = new Map<string, Validation.JsonStrictValidator>();
async function libraryErrors(version: string, text: string): Promise<{ instancePath: string; keyword: string }[] | null> {
  let validator = libraryValidators.get(version);
  if (!validator) libraryValidators.set(version, (validator = new Validation.JsonStrictValidator(version as Spec.Version)));
  return (await validator.validate(text)) as { instancePath: string; keyword: string }[] | null;
}

type BuiltValidator = ((document: unknown) => boolean) & { errors?: unknown[] | null };

/** The validator scripts/build-validators.mjs built into dist/ for `version` (`npm run test:conformance` builds first). */
async function builtValidator(version: string): Promise<BuiltValidator> {
  const url = new URL(`../../dist/sbom/validators/bom-${version}.js`, import.meta.url);
  return ((await import(url.href)) as { validate: BuiltValidator }).validate;
}

describe('CycloneDX conformance (../shared/testdata/external/cyclonedx)', () => {
  if (!existsSync(join(ROOT, 'SOURCES.md'))) {
    it('has the shared CycloneDX corpus', () => {
      throw new Error(`the CycloneDX test corpus is missing: expected ${ROOT}SOURCES.md (shared/testdata/external/cyclonedx beside the repository)`);
    });
    return;
  }
  const expected = readSources();

  it('SOURCES.md lists every JSON file in the folder, and every listed file exists', () => {
    expect(expected.map((e) => e.file).sort()).toEqual(jsonFilesUnder(ROOT).sort());
    const specTests = expected.filter((e) => e.file.startsWith('spec-tests/'));
    expect(specTests.filter((e) => e.specVersion === '1.5')).toHaveLength(58);
    expect(specTests.filter((e) => e.specVersion === '1.6')).toHaveLength(70);
  });

  it.each(expected.map((e) => [e.file, e] as const))('%s', async (_file, e) => {
    const text = readFileSync(join(ROOT, e.file), 'utf8');
    const document = JSON.parse(text) as Record<string, unknown>;
    expect(document.specVersion, 'specVersion as SOURCES.md gives it').toBe(e.specVersion);

    const ours = await validateCycloneDx(document, { maxIssues: 1000 });
    const schemaVerdict = ours.status === 'valid' || (ours.status === 'invalid' && ours.schemaValid) ? 'valid' : 'invalid';
    expect(ours.status, 'never could-not-validate for a supported version').not.toBe('could-not-validate');
    expect(schemaVerdict, `schema verdict per SOURCES.md: ${JSON.stringify(ours)}`).toBe(e.verdict);

    const library = await libraryErrors(e.specVersion, text);
    expect(schemaVerdict, 'same verdict as the library JsonStrictValidator').toBe(library === null ? 'valid' : 'invalid');
    if (library !== null) {
      const first = library[0] as { instancePath: string; keyword: string };
      const raw = checkSchema(document, e.specVersion).map((r) => `${r.instancePath} ${r.keyword}`);
      expect(raw, "the library's first error is among ours").toContain(`${first.instancePath} ${first.keyword}`);
    }

    // The validator built ahead into dist/ (what a run of the built CLI uses) gives the same errors as the one compiled here.
    const built = await builtValidator(e.specVersion);
    const compiled = checkSchema(document, e.specVersion);
    expect(JSON.stringify(built(document) ? [] : built.errors), 'the built validator agrees, error for error').toBe(JSON.stringify(compiled));

    const fault = KNOWN_INTEGRITY_FAULTS[e.file];
    if (e.verdict === 'valid' && fault === undefined) expect(ours).toMatchObject({ status: 'valid' });
    if (fault !== undefined) {
      expect(ours.status).toBe('invalid');
      expect(ours.status === 'invalid' ? ours.errors.join('\n') : '').toContain(fault);
    }
  });
});
