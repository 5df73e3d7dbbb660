/**
 * The golden sample report (samples/akko/golden/report.json) scaled to N
 * images, for the render bench (bench/render.mjs) and the tests of a large
 * estate's PDF: the 16 images copied in turn with new names, digests and
 * evidence digests, with their findings, SBOMs and evidence, so that a
 * 1,000-image report has the sample's mix of faults (3 images in 16 fail)
 * and the shape of its evidence. Copy k of image X is `X` (k = 0) or `X-k`,
 * and every evidence file of a copy has a path of its own.
 */
import { createHash } from 'node:crypto';
import type { Report } from '../../src/report/model.ts';

/** `origins`, when given, receives each evidence file's bundle path → the path of the sample file it copies (its source in the sample). */
export function scaledReport(golden: Report, n: number, origins?: Map<string, string>): Report {
  const base = golden.subjects;
  const copies = Math.ceil(n / base.length);
  const rename = (id: string, k: number) => (k === 0 ? id : `${id}-${k}`);
  const sha = (hex: string, k: number) => (k === 0 ? hex : createHash('sha256').update(`${hex}/${k}`).digest('hex'));
  const digest = (d: string, k: number) => `sha256:${sha(d.slice('sha256:'.length), k)}`;
  const report = structuredClone(golden);
  report.subjects = [];
  report.findings = [];
  report.evidence = golden.evidence.filter((e) => e.subject === undefined);
  for (const e of report.evidence) origins?.set(e.path, e.source);
  report.sboms.entries = [];
  for (let k = 0; k < copies; k++) {
    for (const subject of base) {
      if (report.subjects.length === n) break;
      const id = rename(subject.id, k);
      report.subjects.push({ ...subject, id, digest: digest(subject.digest, k) });
      for (const f of golden.findings.filter((x) => x.subject === subject.id)) {
        report.findings.push({ ...f, id: `${f.checkId}:${id}`, subject: id, evidence: f.evidence.map((e) => sha(e, k)) });
      }
      // The image's own files, and (from the second copy on) copies of the CI files its findings cite: each copy has its own build.
      const cited = new Set(golden.findings.filter((x) => x.subject === subject.id).flatMap((f) => f.evidence));
      const ci = k === 0 ? [] : golden.evidence.filter((x) => x.subject === undefined && cited.has(x.sha256));
      for (const e of [...golden.evidence.filter((x) => x.subject === subject.id), ...ci]) {
        const copy = { ...e, sha256: sha(e.sha256, k), source: copied(e.source, subject.id, k), path: copied(e.path, subject.id, k) };
        report.evidence.push(e.subject === undefined ? copy : { ...copy, subject: id });
        origins?.set(copy.path, e.source);
      }
      for (const e of golden.sboms.entries.filter((x) => x.subject === subject.id)) {
        report.sboms.entries.push({ ...e, subject: id, evidence: sha(e.evidence, k) });
      }
    }
  }
  const failed = report.subjects.filter((x) => x.status !== 'verified').length;
  report.summary.subjects = { total: n, verified: n - failed, withFailures: failed, withErrors: 0 };
  // As a renderer gets it (built by the engine, or read from report.json): objects deserialised by structuredClone made
  // the first render of the bench about a second slower, in no part of auditpack's own.
  return JSON.parse(JSON.stringify(report)) as Report;
}

/** A file path of copy k: the image's name renamed in it, or (a CI file that does not name the image) `-k` before its extension. */
function copied(path: string, id: string, k: number): string {
  if (k === 0) return path;
  const renamed = path.replace(`/${id}/`, `/${id}-${k}/`);
  return renamed !== path ? renamed : path.replace(/(\.[A-Za-z]+)?$/, `-${k}$1`);
}
