import { basename, relative, resolve } from 'node:path';
import { describeThrown, type ErrorCode } from '../errors.js';
import type { ImageConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import { classifyEvidence } from './classify.js';
import type { Evidence, SubjectEvidence } from './evidence.js';
import { collectOciLayout, isOciLayout } from './oci-layout.js';
import { listDirs, listFiles, readEvidenceFile } from './read-file.js';

/** Files of an OCI layout that the layout collector reads, not the per-file classifier. */
const LAYOUT_FILES = new Set(['oci-layout', 'index.json']);

/**
 * Collects every file in an image's evidence folder. Files that cannot be
 * read or understood are still kept as evidence and reported as problems.
 * An OCI image layout (`cosign save --dir`), as the folder itself or as a
 * sub-folder of it, is read by the layout collector.
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
  const layouts = await findLayouts(dir);
  for (const file of files) {
    if (layouts.includes(dir) && LAYOUT_FILES.has(basename(file))) continue;
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
  for (const layoutDir of layouts) {
    const layout = await collectOciLayout(baseDir, layoutDir, image);
    if (layout.item) subject.items.push(layout.item);
    evidence.push(...layout.evidence);
    subject.problems.push(...layout.problems);
  }
  return { subject, evidence };
}

async function findLayouts(dir: string): Promise<string[]> {
  const candidates = [dir, ...(await listDirs(dir))];
  const found: string[] = [];
  for (const candidate of candidates) if (await isOciLayout(candidate)) found.push(candidate);
  return found;
}

function problem(code: ErrorCode, file: string, reason: string, subject: string): InputProblem {
  return { code, file, reason, subject };
}
