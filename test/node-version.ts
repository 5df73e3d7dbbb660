import { readFileSync } from 'node:fs';

/**
 * The tests exercise the runtime auditpack supports (package.json `engines`).
 * `npm test` runs them on the repository's pinned Node; started otherwise
 * (`npx vitest`, an editor), vitest runs on whichever `node` comes first on
 * the PATH, perhaps an older one on which Node's own modules behave
 * differently (Node 20's stream.pipeline settles a failed read with an
 * AbortError of its own): failures that are the runtime's, not the code's.
 * Both vitest configurations refuse such a runtime at once, saying why.
 */
export function assertSupportedNode(version: string = process.versions.node, engines: string = enginesNode()): void {
  if (!atLeast(version, engines.replace(/^>=\s*/, ''))) {
    throw new Error(`the tests need Node ${engines} (package.json engines), not ${version}: run them with npm test, which uses the repository's pinned Node`);
  }
}

/** True when `version` (x.y.z) is `minimum` or later. */
export function atLeast(version: string, minimum: string): boolean {
  const [a = [], b = []] = [version, minimum].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

function enginesNode(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
  return pkg.engines.node;
}
