import type { Report } from '../../report/model.js';
import { SIZE } from './style.js';
import { heading, monoBlock, paragraph, startSection, type Doc } from './text.js';

const PREDICATE = 'https://auditpack.dev/attestation/bundle-seal/v1';

/**
 * The last page: how an auditor checks, independently of whoever handed
 * over the bundle, that this report and its evidence are the sealed ones.
 * The report is rendered before the seal is made, so it names the seal key
 * (known already) rather than the signature.
 */
export function writeVerifyPage(doc: Doc, report: Report): void {
  startSection(doc, 'How to verify this bundle', { newPage: true });
  paragraph(
    doc,
    'This report is one file of an audit bundle: a folder (or its .tar.gz archive) that also holds the same report as ' +
      'report.json (and report.html), a verbatim copy of every file listed in the evidence inventory, the configuration ' +
      'the run used, and manifest.json, which lists the size and SHA-256 of every file. A sealed bundle also holds ' +
      'manifest.sigstore.json, a signature over manifest.json (a Sigstore bundle), and manifest.pub, the public key it was made with.',
  );
  writeSealKey(doc, report);
  heading(doc, 'With auditpack', SIZE.h3);
  paragraph(doc, 'Offline, with the seal key pinned (the key file the organisation gave you, or the fingerprint above):');
  doc.moveDown(0.3);
  monoBlock(doc, `auditpack verify <bundle> --key-fingerprint ${report.seal?.keyFingerprint ?? '<sha256>'}`, 0);
  monoBlock(doc, 'auditpack verify <bundle> --key <signer-public-key.pem> --deep', 0);
  doc.moveDown(0.3);
  paragraph(
    doc,
    'The command checks the signature over manifest.json with the key you pinned, then the size and SHA-256 of every ' +
      'listed file, then that nothing (file, folder or link) was added; any changed byte makes it fail and names the file. ' +
      'Exit code 0 means intact. Without --key or --key-fingerprint it exits 4 and says NOT VERIFIED: the key stored in the ' +
      'bundle proves nothing, since anyone can re-seal a bundle with their own key. --deep also verifies every signature, ' +
      "attestation and SBOM again from the bundle's own evidence and trust material, and fails if any finding differs from this report.",
  );
  heading(doc, 'With standard Sigstore tools', SIZE.h3);
  paragraph(doc, 'The seal is an in-toto attestation about manifest.json, so it can also be checked without auditpack:');
  doc.moveDown(0.3);
  monoBlock(doc, 'auditpack verify-bundle --bundle manifest.sigstore.json --key signer.pub --insecure-ignore-tlog manifest.json', 0);
  monoBlock(doc, `cosign verify-blob-attestation --bundle manifest.sigstore.json --key signer.pub --insecure-ignore-tlog --type ${PREDICATE} manifest.json`, 0);
  doc.moveDown(0.3);
  paragraph(doc, "Then compare each file's SHA-256 (for example with sha256sum) with manifest.json.");
  heading(doc, 'Checking by hand', SIZE.h3);
  paragraph(
    doc,
    'The SHA-256 of each evidence file must equal the one in the evidence inventory, and the SHA-256 of the configuration ' +
      'file the run used (kept in the bundle under config/) must equal the one on the first page:',
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

function writeSealKey(doc: Doc, report: Report): void {
  heading(doc, 'The seal key', SIZE.h3);
  const seal = report.seal;
  if (seal === undefined) {
    paragraph(doc, 'The run that wrote this report had no seal key: its bundle is NOT sealed, and nothing shows that its files are the ones it produced.');
    return;
  }
  paragraph(
    doc,
    `The bundle is sealed with this ${seal.algorithm} key (SHA-256 of its public key). Compare it with the fingerprint the organisation gave you, through another channel than the bundle itself:`,
  );
  doc.moveDown(0.3);
  monoBlock(doc, seal.keyFingerprint, 0);
  doc.moveDown(0.3);
  paragraph(
    doc,
    seal.timestampAuthority === undefined
      ? `Sealing time: ${report.run.generatedAt}, the signer's own claim (the run's clock). No timestamp authority dated the seal.`
      : `Sealing time: dated by the RFC 3161 timestamp authority ${seal.timestampAuthority}; auditpack verify checks that timestamp when given --trusted-root naming the authority (otherwise the time is the signer's claim).`,
  );
}
