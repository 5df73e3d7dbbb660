/**
 * The chain of custody of every image, one compact row each: commit → build
 * → push → sign → attest → gate, each link with its status, whether it rests
 * on signed evidence auditpack verified or only on an UNSIGNED CI export, when
 * its evidence dates it, and the evidence file (short SHA-256, the whole on
 * hover in the HTML, linked to the inventory). Under the image's name, what
 * the chain rests on: signed provenance, unsigned CI exports, or nothing.
 * What each link says in full (commit, builder, signer) is in report.json.
 * A large estate's PDF (scale.ts) keeps each link's time and evidence file
 * for the images that need attention only: for a verified image, each link's
 * status and whether it is signed, two lines a row instead of three or four.
 */
import { CUSTODY_STEPS, type CustodyLink, type CustodyLinkStatus, type CustodyTimeline, type SubjectResult } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Column, Row, Section, Span, Tone } from './blocks.js';
import type { Context } from './context.js';
import { foldable } from './fold.js';
import { fullDetailIn, needsAttention } from './scale.js';

/** Hex digits of an evidence digest shown in a cell (with "(+1)" beside it, it fits the column). */
const SHORT = 10;

const STATUS_TONE: Readonly<Record<CustodyLinkStatus, Tone>> = { verified: 'good', claimed: 'partial', failed: 'bad', missing: 'bad' };
const BASIS_TONE: Readonly<Record<CustodyTimeline['basis'], Tone>> = { 'signed-provenance': 'good', 'unsigned-ci-export': 'partial', none: 'bad' };

/** The section, when the report carries a chain for at least one image (reports before 1.2.0 custody carry none). */
export function custodySection(ctx: Context): Section | undefined {
  const { report, i18n } = ctx;
  const chained = report.subjects.flatMap((s) => (s.custody === undefined ? [] : [{ subject: s, custody: s.custody }]));
  if (chained.length === 0) return undefined;
  const count = (basis: CustodyTimeline['basis']) => chained.filter((c) => c.custody.basis === basis).length;
  const brief = (subject: SubjectResult) => ctx.compact && !needsAttention(ctx, subject.id);
  const briefRows = chained.filter((c) => brief(c.subject)).length;
  const columns: Column[] = [
    { header: i18n.t('column.image'), share: 81 },
    ...CUSTODY_STEPS.map((step) => ({ header: i18n.t(`custodyStep.${step}`), share: 69 })),
  ];
  return {
    id: 'custody',
    title: i18n.t('section.custody'),
    newPage: false,
    inContents: true,
    blocks: [
      { type: 'paragraph', style: 'muted', content: i18n.t('custody.intro') },
      {
        type: 'paragraph',
        content: i18n.t('custody.counts', {
          count: chained.length,
          provenance: count('signed-provenance'),
          ci: count('unsigned-ci-export'),
          none: count('none'),
        }),
      },
      ...(briefRows === 0
        ? []
        : [
            {
              type: 'paragraph' as const,
              content: [i18n.t('custody.compact', { attention: chained.length - briefRows, verified: briefRows }), ' ', ...fullDetailIn(ctx), '.'],
            },
          ]),
      foldable(
        ctx,
        { type: 'table', small: true, columns, rows: chained.map(({ subject, custody }) => chainRow(ctx, subject, custody, brief(subject))) },
        chained.length,
      ),
    ],
  };
}

/** `brief`: each link's first line only (its status, signed or UNSIGNED), for a verified image in a large estate's PDF. */
function chainRow(ctx: Context, subject: SubjectResult, custody: CustodyTimeline, brief: boolean): Row {
  const { i18n } = ctx;
  const byStep = new Map(custody.links.map((l) => [l.step, l]));
  const image: Span[] = [
    { text: subject.id, bold: true, link: anchor('image', subject.id) },
    { text: `\n${i18n.t(`custodyBasis.${custody.basis}`)}`, tone: BASIS_TONE[custody.basis], bold: custody.basis !== 'signed-provenance' },
  ];
  return { cells: [image, ...CUSTODY_STEPS.map((step) => linkCell(ctx, subject, byStep.get(step), brief))] };
}

/** One link: status and signed or UNSIGNED on the first line, then its time, then the evidence file it rests on. */
function linkCell(ctx: Context, subject: SubjectResult, link: CustodyLink | undefined, brief: boolean): Span[] {
  const { i18n } = ctx;
  if (link === undefined) return [{ text: i18n.t('custodyStatus.missing'), tone: 'bad', bold: true }];
  const parts: Span[] = [{ text: i18n.t(`custodyStatus.${link.status}`), tone: STATUS_TONE[link.status], bold: true }];
  const label = signedLabel(ctx, link);
  if (label !== undefined) parts.push(label);
  if (brief) return parts;
  if (link.step === 'gate') {
    // The gate is this run's own verdict: its time is the run's clock, its evidence every other link's.
    if (link.status !== 'verified' && ctx.causes.has(subject.id)) parts.push({ text: `\n${i18n.t('custody.faults')}`, link: anchor('issues', subject.id) });
    return parts;
  }
  if (link.at !== undefined) parts.push({ text: `\n${compactInstant(link.at)}` });
  const [first, ...others] = link.evidence;
  if (first !== undefined) {
    parts.push({ text: '\n' }, evidenceDigest(ctx, first.sha256));
    if (others.length > 0) parts.push({ text: ` ${i18n.t('common.plusMore', { count: others.length })}`, muted: true });
  }
  return parts;
}

/** `2026-04-14 07:41` (UTC, as the intro says): a column six links wide has no room for the words; a time that is no instant is shown as given. */
export function compactInstant(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

/** Signed: verified signed evidence; UNSIGNED: only a CI export (or another unsigned file) says so; nothing for a missing or failed link, whose status says it all, or for the gate. */
function signedLabel(ctx: Context, link: CustodyLink): Span | undefined {
  const { i18n } = ctx;
  if (link.step === 'gate' || link.status === 'missing') return undefined;
  if (link.signed) return { text: ` ${i18n.t('custody.signed')}`, muted: true };
  if (link.status === 'failed') return undefined;
  return { text: ` ${i18n.t('custody.unsigned')}`, tone: 'partial', bold: true };
}

/** The first 10 hex digits of an evidence file's SHA-256, the whole kept for hover and copy, linked to its row in the inventory. */
function evidenceDigest(ctx: Context, sha256: string): Span {
  return {
    text: sha256.length > SHORT ? `${sha256.slice(0, SHORT)}…` : sha256,
    mono: true,
    ...(sha256.length > SHORT ? { full: sha256 } : {}),
    ...(ctx.evidence.has(sha256) ? { link: anchor('evidence', sha256) } : {}),
  };
}
