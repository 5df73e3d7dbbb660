import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * `auditpack --help`, `--version` and the light commands start in about half
 * a second because the command modules load their machinery (sigstore-js,
 * the CycloneDX library, pdfkit, handlebars, the check registry) only when
 * their command runs, with import(). A static import added back to a module
 * the CLI's entry reaches would bring it all back at every start: this test
 * walks the static imports from src/cli/main.ts and fails then.
 */
const ROOT = resolve(import.meta.dirname, '../..');

/** The modules a source file imports statically (type-only imports are erased by the compiler). */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)([^;]*?)\s+from\s+'([^']+)';/gms)) {
    const clause = match[1] ?? '';
    // `import { type A, type B } from` is erased too.
    if (
      /^\{[^}]*\}$/s.test(clause.trim()) &&
      clause
        .replace(/[{}\s]/g, '')
        .split(',')
        .every((name) => name === '' || name.startsWith('type'))
    )
      continue;
    specifiers.push(match[2] ?? '');
  }
  for (const match of source.matchAll(/^import\s+'([^']+)';/gm)) specifiers.push(match[1] ?? '');
  return specifiers;
}

/** Every source file and package reached by static imports from `entry`. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) todo.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:'))
        packages.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  }
  return { files, packages };
}

describe('what every auditpack command loads before it runs', () => {
  const { files, packages } = staticGraph(join(ROOT, 'src/cli/main.ts'));
  const relativeFiles = [...files].map((f) => f.slice(ROOT.length + 1));

  it('is the command line itself: not sigstore-js, the CycloneDX library, pdfkit, handlebars, ajv or pkijs', () => {
    for (const heavy of ['sigstore', '@sigstore/verify', '@sigstore/bundle', '@cyclonedx/cyclonedx-library', 'pdfkit', 'handlebars', 'ajv', 'pkijs'])
      expect([...packages]).not.toContain(heavy);
  });

  it('is not the report pipeline, the checks, verification or rendering', () => {
    for (const heavy of [
      'src/run-report.ts',
      'src/checks/index.ts',
      'src/verify/bundle.ts',
      'src/frameworks/catalog.ts',
      'src/render/pdf.ts',
      'src/verify-deep.ts',
    ])
      expect(relativeFiles).not.toContain(heavy);
  });

  it('reaches the command modules themselves (the walk follows imports)', () => {
    expect(relativeFiles).toEqual(expect.arrayContaining(['src/cli/report-command.ts', 'src/cli/verify-command.ts', 'src/errors.ts']));
    expect([...packages]).toContain('yargs');
  });
});
