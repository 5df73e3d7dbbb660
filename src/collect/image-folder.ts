import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { describeThrown, type ErrorCode } from '../errors.js';
import type { ImageConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import { classifyEvidence, type Classified } from './classify.js';
import type { Evidence, SubjectEvidence } from './evidence.js';
import { collectOciLayout, isOciLayout } from './oci-layout.js';
import { FileRefused, assertContained, fileType, listDirs, readEvidenceFile } from './read-file.js';
import { mapLimited } from './remote/limiter.js';

/** Files of an OCI layout that the layout collector reads, not the per-file classifier. */
const LAYOUT_FILES = new Set(['oci-layout', 'index.json']);

/** How much of a file is looked at to tell text evidence from a binary file. */
const PREFIX = 8192;

/**
 * Collects every file in an image's evidence folder. Files that cannot be
 * read or understood are still kept as evidence and reported as problems.
 * An OCI image layout (`cosign save --dir`), as the folder itself or as a
 * sub-folder of it, is read by the layout collector. A link leading out of
 * the configuration's folder, a FIFO or a device is reported, never read.
 */
export async function collectImageFolder(baseDir: string, pattern: string, image: ImageConfig): Promise<{ subject: SubjectEvidence; evidence: Evidence[] }> {
  const dir = resolve(baseDir, pattern.replaceAll('{image}', image.name));
  const subject: SubjectEvidence = { subject: image.name, items: [], problems: [] };
  const evidence: Evidence[] = [];
  const report = (code: ErrorCode, path: string, reason: string) => subject.problems.push(problem(code, relative(baseDir, path), reason, image.name));
  let entries: Dirent[];
  try {
    await assertContained(baseDir, dir);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (thrown) {
    if (thrown instanceof FileRefused) report(thrown.code, dir, thrown.message);
    else report('EVIDENCE_MISSING', dir, `no evidence folder (${describeThrown(thrown)})`);
    return { subject, evidence };
  }
  const layouts = await findLayouts(dir);
  const sorted = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Files are read a few at a time (reading is waiting on the disk), then taken in name order as before.
  const reads = await mapLimited(sorted, FILES_AT_ONCE, (entry) => readEntry(baseDir, join(dir, entry.name), entry, layouts.includes(dir), image.name));
  for (const read of reads) {
    for (const p of read.problems) report(p.code, p.file, p.reason);
    if (read.evidence === undefined) continue;
    const classified = classifyByContent(read.evidence);
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

const FILES_AT_ONCE = 8;

/** One entry of an image folder: read when it is a file to read (links followed only inside), or the problems that kept it unread. */
async function readEntry(
  baseDir: string,
  file: string,
  entry: Dirent,
  inLayout: boolean,
  subject: string,
): Promise<{ problems: { code: ErrorCode; file: string; reason: string }[]; evidence?: Evidence }> {
  if (entry.isDirectory() || (inLayout && LAYOUT_FILES.has(basename(file)))) return { problems: [] };
  if (entry.isSymbolicLink()) {
    const refused = await linkRefusal(baseDir, file);
    if (refused !== undefined) return { problems: [{ ...refused, file }] };
    if (await isLinkToFolder(file)) return { problems: [] };
  }
  if (!entry.isFile() && !entry.isSymbolicLink())
    return { problems: [{ code: 'EVIDENCE_UNREADABLE', file, reason: `not a regular file (${fileType(entry)}): not read` }] };
  const read = await readEvidenceFile(baseDir, file, subject);
  return read.ok ? { problems: [], evidence: read.evidence } : { problems: [{ code: read.code, file, reason: read.reason }] };
}

/**
 * Evidence auditpack reads is text (JSON, JSON lines, cosign output): a NUL
 * byte near the start means a binary file, told apart from its prefix
 * without decoding the whole file as a string.
 */
function classifyByContent(evidence: Evidence): Classified {
  if (evidence.bytes.subarray(0, PREFIX).includes(0)) {
    return { ok: false, code: 'EVIDENCE_UNRECOGNISED', reason: 'a binary file, not a kind of evidence auditpack reads' };
  }
  return classifyEvidence(evidence);
}

/** Why a link in an image folder is not followed, if it is not: it leads outside, or nowhere. */
async function linkRefusal(baseDir: string, link: string): Promise<{ code: ErrorCode; reason: string } | undefined> {
  try {
    await assertContained(baseDir, link);
    return undefined;
  } catch (thrown) {
    if (thrown instanceof FileRefused) return { code: thrown.code, reason: thrown.message };
    return { code: 'EVIDENCE_UNREADABLE', reason: `a symbolic link that cannot be followed (${describeThrown(thrown)})` };
  }
}

/** A link to a folder is skipped like a folder (only OCI layouts are read from sub-folders). */
async function isLinkToFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
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
