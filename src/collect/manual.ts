import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import type { ManualEvidenceConfig } from '../config/schema.js';
import { AuditpackError, describeThrown } from '../errors.js';
import type { ManualEvidence } from '../report/model.js';
import { evidencePath } from '../report/bundle-paths.js';
import type { Evidence } from './evidence.js';
import { readContainedFile } from './read-file.js';

/**
 * Reads manual evidence: statements a person gives (a policy's approver, a
 * contract reference) with the documents they point to, hashed and kept.
 * They are recorded with who and when, and never verified by auditpack.
 * A document is read like evidence: no link out of the config's folder, no
 * FIFO, nothing over the evidence size limit.
 */
export async function collectManualEvidence(baseDir: string, entries: ManualEvidenceConfig[]): Promise<{ records: ManualEvidence[]; evidence: Evidence[] }> {
  const records: ManualEvidence[] = [];
  const evidence: Evidence[] = [];
  for (const entry of entries) {
    const record: ManualEvidence = {
      id: entry.id,
      controls: entry.controls,
      statement: entry.statement,
      givenBy: entry.givenBy,
      givenAt: entry.givenAt,
      ...(entry.reference === undefined ? {} : { reference: entry.reference }),
    };
    if (entry.document !== undefined) {
      const source = relative(baseDir, resolve(baseDir, entry.document));
      let bytes: Buffer;
      try {
        bytes = await readContainedFile(baseDir, resolve(baseDir, entry.document));
      } catch (thrown) {
        throw new AuditpackError('CONFIG_INVALID', `manual evidence '${entry.id}': cannot read its document: ${describeThrown(thrown)}`, {
          file: entry.document,
        });
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      evidence.push({ sha256, kind: 'manual-document', source, bytes });
      record.document = { source, path: evidencePath(source), sha256 };
    }
    records.push(record);
  }
  return { records, evidence };
}
