/**
 * Facts about this program: its name and version, and the versions of the
 * verification and rendering libraries it runs with, read once from the
 * installed packages' package.json when first imported. Recorded in every
 * report (for re-verification) and sent as the collectors' User-Agent. It
 * reads files, so the engine never imports it: the composition root passes
 * GENERATOR to buildReport.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * A dependency's version from its package.json. Some packages (pdfkit) do not
 * export package.json, so walk up from the resolved entry point instead.
 */
function versionOf(pkg: string): string {
  try {
    let dir = dirname(require.resolve(pkg));
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (json.name === pkg && json.version) return json.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through: an unknown version is reported as such, never guessed
  }
  return 'unknown';
}

/** Who made the report, and with which verification libraries (recorded for re-verification). */
export const GENERATOR = {
  name: 'auditpack',
  version: (require('../../package.json') as { version: string }).version,
  libraries: Object.fromEntries(
    ['@sigstore/verify', '@sigstore/bundle', '@sigstore/core', '@cyclonedx/cyclonedx-library', 'pdfkit', 'handlebars'].map((p) => [p, versionOf(p)]),
  ),
};
