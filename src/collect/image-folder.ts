import { relative, resolve } from 'node:path';
import { describeThrown } from '../errors.js';
import type { ImageConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import { classifyEvidence } from './classify.js';
import type { Evidence, SubjectEvidence } from './evidence.js';
import { listFiles, readEvidenceFile } from './read-file.js';

/**
 * Collects every file in an image's evidence folder. Files that cannot be
 * read or understood are still kept as evidence and reported as problems.
 */
export async function collectImageFolder(
  baseDir: string,
  pattern: string,
  image: ImageConfig,
): Promise<{ subject: SubjectEvidence; evidence: Evidence[] }> {
  const dir = resolve(baseDir, pattern.replaceAll('{image}', image.name));
  const subject: SubjectEvidence = { subject: image.name, items: [], problems: [] };
  const evidence: Evidence[] = [];
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (thrown) {
    subject.problems.push(problem('EVIDENCE_MISSING', relative(baseDir, dir), `no evidence folder (${describeThrown(thrown)})`, image.name));
    return { subject, evidence };
  }
  for (const file of files) {
    const read = await readEvidenceFile(baseDir, file, image.name);
    if (!read.ok) {
      subject.problems.push(problem('EVIDENCE_UNREADABLE', relative(baseDir, file), read.reason, image.name));
      continue;
    }
    const classified = classifyEvidence(read.evidence);
    if (classified.ok) {
      subject.items.push(classified.parsed);
      evidence.push(classified.parsed.evidence);
    } else {
      subject.problems.push(problem(classified.code, read.evidence.source, classified.reason, image.name));
      evidence.push(read.evidence);
    }
  }
  return { subject, evidence };
}

function problem(code: string, file: string, reason: string, subject: string): InputProblem {
  return { code, file, reason, subject };
}
