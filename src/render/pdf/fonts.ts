import { createRequire } from 'node:module';
import path from 'node:path';
import { AuditpackError } from '../../errors.js';

/**
 * Absolute paths of the embedded DejaVu fonts.
 *
 * PDF/A needs every font embedded, so the 14 standard fonts (Helvetica, …)
 * are never used. Fonts are always selected by absolute path, never by a
 * `registerFont()` name: `doc.table()` restores the font after every cell by
 * its source, and a name-selected font is then re-read and re-parsed from
 * disk for each cell (measured about 20× slower).
 */
export interface FontPaths {
  regular: string;
  bold: string;
  mono: string;
}

let cached: FontPaths | undefined;

export function fontPaths(): FontPaths {
  cached ??= resolveFontPaths();
  return cached;
}

function resolveFontPaths(): FontPaths {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  } catch (cause) {
    throw new AuditpackError('RENDER_FAILED', 'the PDF fonts are missing: install the dejavu-fonts-ttf package', { cause });
  }
  const dir = path.join(path.dirname(packageJson), 'ttf');
  return {
    regular: path.join(dir, 'DejaVuSans.ttf'),
    bold: path.join(dir, 'DejaVuSans-Bold.ttf'),
    mono: path.join(dir, 'DejaVuSansMono.ttf'),
  };
}
