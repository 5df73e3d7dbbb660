import type { Report } from '../../report/model.js';
import { StreamingTable } from './table.js';
import { subjectLabel } from './style.js';
import { paragraph, shortDigest, startSection, type Doc } from './text.js';

/** One row per image in scope: which image, which digest, its status and why. */
export function writeImages(doc: Doc, report: Report): void {
  startSection(doc, 'Images', { newPage: true });
  paragraph(
    doc,
    'Every image in scope for the period. An image is VERIFIED only when every check for it passed. ' +
      'Digests are shortened here; the findings and the evidence inventory give them in full.',
  );
  doc.moveDown(0.5);
  if (report.subjects.length === 0) {
    paragraph(doc, 'No images were in scope.');
    return;
  }
  // Widths in points on A4: the shortened digest and the longest status fit on one line.
  const table = new StreamingTable(doc, [
    { header: 'Image', share: 150 },
    { header: 'Digest', share: 101, mono: true },
    { header: 'Status', share: 64 },
    { header: 'What is wrong', share: 180 },
  ]);
  for (const subject of report.subjects) {
    const label = subjectLabel(subject.status);
    table.row([
      `${subject.id}\n${subject.ref}`,
      shortDigest(subject.digest),
      { text: label.text, colour: label.colour, bold: true },
      subject.headlines.length > 0 ? subject.headlines.map((h) => `• ${h}`).join('\n') : '—',
    ]);
  }
  table.end();
}
