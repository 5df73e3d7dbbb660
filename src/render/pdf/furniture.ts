/**
 * Running header and footer, stamped on every page after the content is
 * laid out (pages are buffered), because "Page N of M" needs M.
 */
import type { Report } from '../../report/model.js';
import { fontPaths } from './fonts.js';
import { COLOUR, SIZE } from './style.js';
import { contentWidth, visible, type Doc } from './text.js';
import { asArtifact } from './tags.js';

export function stampHeadersAndFooters(doc: Doc, report: Report): void {
  const { regular } = fontPaths();
  doc.font(regular).fontSize(SIZE.furniture);
  const width = contentWidth(doc);
  const header = fitOneLine(doc, `auditpack — ${report.run.organisation} — ${report.run.period.label}`, width);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { left, bottom } = doc.page.margins;
    // Writing inside the bottom margin would otherwise make pdfkit add a page.
    doc.page.margins.bottom = 0;
    asArtifact(doc, () => {
      doc.font(regular).fontSize(SIZE.furniture).fillColor(COLOUR.muted);
      doc.text(header, left, 30, { width, lineBreak: false });
      doc
        .save()
        .moveTo(left, 41)
        .lineTo(left + width, 41)
        .lineWidth(0.5)
        .stroke(COLOUR.rule)
        .restore();
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, left, doc.page.height - 38, {
        width,
        align: 'center',
        lineBreak: false,
      });
    });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor(COLOUR.text);
}

/** Shortens `text` with "…" until it fits one line: a long organisation name must not wrap into the page. */
function fitOneLine(doc: Doc, text: string, width: number): string {
  const clean = visible(text);
  if (doc.widthOfString(clean) <= width) return clean;
  const chars = Array.from(clean);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (doc.widthOfString(`${chars.slice(0, mid).join('')}…`) <= width) low = mid;
    else high = mid - 1;
  }
  return `${chars.slice(0, low).join('')}…`;
}
