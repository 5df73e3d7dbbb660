import type { Report } from '../../report/model.js';
import { trustNotes } from '../trust-notes.js';
import { StreamingTable, keyValueTable } from './table.js';
import { SIZE } from './style.js';
import { formatCount, heading, paragraph, startSection, type Doc } from './text.js';

/**
 * The trust material signatures were checked against, identified by digest
 * so that an auditor can compare it with the organisation's own records.
 */
export function writeTrust(doc: Doc, report: Report): void {
  startSection(doc, 'Trust material', { newPage: true });
  const { keys, trustedRoot } = report.trust;

  heading(doc, 'Trusted public keys', SIZE.h2);
  if (keys.length === 0) {
    paragraph(doc, 'No public key was configured.');
  } else {
    paragraph(doc, 'Fingerprint: SHA-256 of the key’s SubjectPublicKeyInfo (DER), hex.', { size: SIZE.small });
    doc.moveDown(0.3);
    const table = new StreamingTable(doc, [
      // Widths in points on A4: the fingerprint column holds 2 lines of 32 hex digits.
      { header: 'Key', share: 78 },
      { header: 'Algorithm', share: 66 },
      { header: 'Fingerprint', share: 156, mono: true },
      { header: 'Valid', share: 112 },
      { header: 'Copy in the bundle', share: 83 },
    ]);
    for (const key of keys) {
      table.row([key.id, key.algorithm, key.fingerprint, validity(key.validFrom, key.validUntil), key.path]);
    }
    table.end();
  }

  heading(doc, 'Trusted root', SIZE.h2);
  if (!trustedRoot) {
    paragraph(doc, 'No trusted root (Sigstore transparency log and certificate authorities) was configured.');
  } else {
    keyValueTable(doc, [
      ['Copy in the bundle', trustedRoot.path],
      ['SHA-256', { text: trustedRoot.sha256, mono: true }],
      ['Transparency logs', formatCount(trustedRoot.tlogs)],
    ]);
  }
  const notes = trustNotes(report);
  if (notes.length === 0) return;
  heading(doc, 'Signing times and CI evidence', SIZE.h2);
  for (const note of notes) paragraph(doc, note);
}

function validity(from: string | undefined, until: string | undefined): string {
  if (from === undefined && until === undefined) return 'no limits given';
  return `from ${from ?? '(no start)'}\nuntil ${until ?? '(no end)'}`;
}
