import { createRequire } from 'node:module';
import path from 'node:path';
import { AuditpackError } from '../../errors.js';

/**
 * Absolute paths of the embedded DejaVu fonts: Sans Condensed for text (a
 * dense report stays legible in fewer pages), Sans Mono for digests and
 * quoted evidence.
 *
 * PDF/A needs every font embedded, so the 14 standard fonts (Helvetica, …)
 * are never used. Fonts are always selected by absolute path, never by a
 * `registerFont()` name: a name-selected font is re-read and re-parsed from
 * disk whenever it is selected again (measured about 20× slower in tables).
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
    regular: path.join(dir, 'DejaVuSansCondensed.ttf'),
    bold: path.join(dir, 'DejaVuSansCondensed-Bold.ttf'),
    mono: path.join(dir, 'DejaVuSansMono.ttf'),
  };
}

/** The code points a font has a glyph for, read from the font pdfkit opened (its fontkit font). */
export type Coverage = (codePoint: number) => boolean;

const coverages = new Map<string, Coverage>();

/**
 * What `font` can draw. A character it has no glyph for would print as an
 * empty box (or nothing); text is escaped to `<U+XXXX>` instead (see
 * `visible`). It selects `font`: callers set their font after. `_font.font` is pdfkit's fontkit font: a unit test fails if an
 * upgrade moves it, rather than boxes silently coming back.
 */
export function fontCoverage(doc: PDFKit.PDFDocument, font: string): Coverage {
  let coverage = coverages.get(font);
  if (coverage === undefined) {
    doc.font(font);
    const fontkit = (doc as unknown as { _font?: { font?: { characterSet?: number[] } } })._font?.font;
    if (fontkit?.characterSet === undefined) throw new AuditpackError('RENDER_FAILED', `cannot read the character map of ${font}`);
    const set = new Set(fontkit.characterSet);
    coverage = (codePoint) => set.has(codePoint);
    coverages.set(font, coverage);
  }
  return coverage;
}
