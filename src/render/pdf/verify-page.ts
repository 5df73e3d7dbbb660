import type { Report } from '../../report/model.js';
import { SIZE } from './style.js';
import { heading, monoBlock, paragraph, startSection, type Doc } from './text.js';

/**
 * The last page: how an auditor checks, independently of whoever handed
 * over the bundle, that this report and its evidence are the sealed ones.
 * The report cannot say whether its own bundle was sealed (the seal is made
 * after the report), so the page explains both cases.
 */
export function writeVerifyPage(doc: Doc, report: Report): void {
  startSection(doc, 'How to verify this bundle', { newPage: true });
  paragraph(
    doc,
    'This report is one file of an audit bundle: a folder that also holds the same report as report.json ' +
      '(and report.html), a verbatim copy of every file listed in the evidence inventory, and manifest.json, ' +
      'which lists the size and SHA-256 of every file. A sealed bundle also holds manifest.sigstore.json, ' +
      'a signature over manifest.json, and manifest.pub, the public key it was made with.',
  );
  doc.moveDown(0.5);
  paragraph(doc, 'To check that nothing in the bundle changed after it was sealed, run, offline:');
  doc.moveDown(0.3);
  monoBlock(doc, 'auditpack verify <bundle>', 0);
  monoBlock(doc, 'auditpack verify <bundle> --key <signer-public-key.pem>', 0);
  doc.moveDown(0.3);
  paragraph(
    doc,
    'where <bundle> is the bundle folder. The command checks the signature over manifest.json, then the size and ' +
      'SHA-256 of every listed file, then that no file was added; any changed byte makes it fail and names the file. ' +
      'Without --key it uses the key stored in the bundle and prints its fingerprint: pass --key with the key you ' +
      'obtained from the organisation to be sure who sealed the bundle. Exit code 0 means the bundle is intact.',
  );

  heading(doc, 'Checking by hand', SIZE.h3);
  paragraph(
    doc,
    'The SHA-256 of each evidence file (for example with sha256sum) must equal the one in the evidence inventory, ' +
      'and the SHA-256 of the configuration file the run used must equal the one on the first page:',
  );
  doc.moveDown(0.3);
  monoBlock(doc, report.run.configSha256, 0);
  doc.moveDown(0.3);
  paragraph(
    doc,
    `This report was generated at ${report.run.generatedAt} by ${report.generator.name} ${report.generator.version} ` +
      `(${report.reportFormat} ${report.schemaVersion}).`,
    { size: SIZE.small },
  );
}
