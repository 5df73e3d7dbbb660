/**
 * Running header and footer, stamped on every page after the content is
 * laid out (pages are buffered), because "Page N of M" needs M.
 */
import type { ReportDocument } from '../content/blocks.js';
import { fitOneLine } from './contents.js';
import { fontPaths } from './fonts.js';
import { COLOUR, SIZE } from './style.js';
import { asArtifact } from './tags.js';
import { contentWidth, visible, type Doc } from './text.js';

export function stampHeadersAndFooters(doc: Doc, document: ReportDocument): void {
  const { regular } = fontPaths();
  const width = contentWidth(doc);
  // A long organisation name must not wrap into the page.
  const header = fitOneLine(doc, visible(document.runningHeader), regular, SIZE.furniture, width);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { left, bottom } = doc.page.margins;
    // Writing inside the bottom margin would otherwise make pdfkit add a page.
    doc.page.margins.bottom = 0;
    asArtifact(
      doc,
      () => {
        doc.font(regular).fontSize(SIZE.furniture).fillColor(COLOUR.muted);
        doc.text(header, left, 30, { width, lineBreak: false });
        doc
          .save()
          .moveTo(left, 41)
          .lineTo(left + width, 41)
          .lineWidth(0.5)
          .stroke(COLOUR.rule)
          .restore();
        doc.text(document.pageLabel(i - range.start + 1, range.count), left, doc.page.height - 38, { width, align: 'center', lineBreak: false });
      },
      'Pagination',
    );
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor(COLOUR.text);
}
