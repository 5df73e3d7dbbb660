import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Who made the report, and with which verification libraries (recorded for re-verification). */
export const GENERATOR = {
  name: 'auditpack',
  version: (require('../../package.json') as { version: string }).version,
  libraries: Object.fromEntries(
    ['@sigstore/verify', '@sigstore/bundle', '@sigstore/core', '@cyclonedx/cyclonedx-library', 'pdfkit', 'handlebars'].map((p) => [p, versionOf(p)]),
  ),
};
