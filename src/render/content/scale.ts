/**
 * The report document for a large estate's PDF. A thousand images on paper
 * read only if the images that need attention keep their full detail and the
 * rest fit on one line each: the PDF of an estate of more than
 * COMPACT_IMAGES images lists verified images one line each, keeps only the
 * SBOMs that need a look and the evidence files the faults rest on, and says
 * where the rest is
 * (report.json and report.html, which keep every detail, and the bundle).
 * The HTML, which folds long tables instead, keeps every row.
 */
import type { EvidenceKind, EvidenceRef, Report } from '../../report/model.js';
import type { Span } from './blocks.js';
import type { Context } from './context.js';
import { FOLD_ROWS } from './fold.js';

export interface DocumentOptions {
  /** Verified images one line each; SBOM and evidence tables keep only what the faults rest on. For the PDF of a large estate. */
  compact?: boolean;
  /** Bundle paths of the files the PDF carries as attachments (the PDF only). */
  attached?: ReadonlySet<string>;
}

/** Past this many images the PDF is compact: the HTML folds its tables past the same number of rows. */
export const COMPACT_IMAGES = FOLD_ROWS;

/** Whether the PDF of `report` is compact. */
export function compactPdf(report: Report): boolean {
  return report.subjects.length > COMPACT_IMAGES;
}

/** An image that needs attention: not verified, or with a fault of any kind (a waived failure or an undecided check too). */
export function needsAttention(ctx: Context, id: string): boolean {
  return ctx.subjects.get(id)?.status !== 'verified' || ctx.causes.has(id);
}

/** Files of the estate as a whole rather than of an image or a build. */
const ESTATE_KINDS: ReadonlySet<EvidenceKind> = new Set([
  'public-key',
  'trusted-root',
  'manual-document',
  'waiver-file',
  'ci-repository',
  'ci-redactions',
  'kubernetes-pods',
]);

/**
 * The evidence files a large estate's PDF lists in its inventory (and
 * attaches, under `pdfAttachments: auto`, when the whole bundle is too
 * large): those a fault (a failing or undecided finding) rests on, which the
 * "Faults" section names, and the estate's own files (trust material,
 * waivers, manual documents, the CI repository).
 */
export function faultAndEstateEvidence(report: Report): EvidenceRef[] {
  const faults = new Set(report.findings.filter((f) => f.status === 'fail' || f.status === 'error').flatMap((f) => f.evidence));
  return report.evidence.filter((e) => faults.has(e.sha256) || (e.subject === undefined && ESTATE_KINDS.has(e.kind)));
}

/**
 * Where the full detail of a compact PDF is: report.json and report.html,
 * each named as attached to this PDF when it is, and the bundle.
 */
export function fullDetailIn(ctx: Context): (string | Span)[] {
  const { i18n } = ctx;
  const files = ['report.json', 'report.html'].filter((f) => f === 'report.json' || ctx.attached?.has(f) === true);
  const parts: (string | Span)[] = [];
  files.forEach((file, i) => {
    if (i > 0) parts.push(i18n.t('scale.and'));
    parts.push({ text: file, mono: true, file });
  });
  const attached = files.length > 0 && files.every((f) => ctx.attached?.has(f) === true);
  parts.push(attached ? i18n.t('scale.attachedAndBundle', { count: files.length }) : i18n.t('scale.inBundle'));
  return parts;
}
