/** What every section builder reads: the report, the reader's language, and indexes built once. */
import type { I18n } from '../../report/i18n.js';
import type { EvidenceRef, Finding, Report, SubjectResult } from '../../report/model.js';
import { causesOf, findingsBySubject, type Cause } from '../causes.js';
import { anchor } from './anchors.js';
import type { Span } from './blocks.js';
import type { DocumentOptions } from './scale.js';

export interface Context {
  report: Report;
  i18n: I18n;
  subjects: Map<string, SubjectResult>;
  evidence: Map<string, EvidenceRef>;
  findings: Map<string, Finding>;
  /** Every finding per subject, in the report's order. */
  bySubject: Map<string, Finding[]>;
  /** Each subject's faults grouped by root cause (subjects without a fault are absent). */
  causes: Map<string, Cause[]>;
  /** `framework/control` → anchor of its text in the appendix, and its citation. */
  controls: Map<string, { anchor: string; citation: string }>;
  /** The PDF of a large estate (see scale.ts): verified images one line each. */
  compact: boolean;
  /** The files the PDF carries as attachments; undefined for the HTML. */
  attached: ReadonlySet<string> | undefined;
}

export function buildContext(report: Report, i18n: I18n, options: DocumentOptions = {}): Context {
  const bySubject = findingsBySubject(report.findings);
  const causes = new Map<string, Cause[]>();
  for (const [subject, findings] of bySubject) {
    const found = causesOf(findings);
    if (found.length > 0) causes.set(subject, found);
  }
  const controls = new Map<string, { anchor: string; citation: string }>();
  for (const framework of report.frameworks) {
    for (const control of framework.controls) {
      controls.set(`${framework.id}/${control.id}`, { anchor: anchor('control', framework.id, control.id), citation: control.citation });
    }
  }
  return {
    report,
    i18n,
    subjects: new Map(report.subjects.map((s) => [s.id, s])),
    evidence: new Map(report.evidence.map((e) => [e.sha256, e])),
    findings: new Map(report.findings.map((f) => [f.id, f])),
    bySubject,
    causes,
    controls,
    compact: options.compact === true,
    attached: options.attached,
  };
}

/** `sha256:` and 12 hex digits, the full value kept for hover and copy. */
export function shortDigest(digest: string, link?: string): Span {
  const [algorithm, hex] = digest.includes(':') ? (digest.split(':', 2) as [string, string]) : ['', digest];
  const short = hex.length > 16 ? `${algorithm ? `${algorithm}:` : ''}${hex.slice(0, 12)}…` : digest;
  return { text: short, mono: true, ...(short === digest ? {} : { full: digest }), ...(link === undefined ? {} : { link }) };
}

/** A link to an image's row in "Evidence per image". */
export function imageLink(ctx: Context, id: string): Span | string {
  return ctx.subjects.has(id) ? { text: id, link: anchor('image', id), bold: true } : id;
}

/** An evidence file by its source path, linked to its row in the inventory. */
export function evidenceLink(ctx: Context, sha256: string): Span {
  const ref = ctx.evidence.get(sha256);
  return ref === undefined ? { text: `sha256 ${sha256}`, mono: true } : { text: ref.source, link: anchor('evidence', sha256) };
}

/**
 * Where the bundle keeps a file, when it is not simply `evidence/` (or
 * `trust/`) in front of the path it was read from: the inventory says the
 * rule once instead of printing every path twice.
 */
export function unusualCopyPath(ref: EvidenceRef): string | undefined {
  const expected = ref.kind === 'public-key' || ref.kind === 'trusted-root' ? `trust/${ref.source}` : `evidence/${ref.source}`;
  return ref.path === expected ? undefined : ref.path;
}
