/**
 * The faults: per image that needs attention, each root cause once, with the
 * check's message, its evidence (file, SHA-256, key fingerprint, log index)
 * linked to the inventory, the lines it quotes from the evidence, a waiver
 * beside the status it leaves unchanged, and the checks that fail because of
 * it. Every failing or undecided finding appears exactly once here.
 */
import type { Finding } from '../../report/model.js';
import { compareText, anchor } from './anchors.js';
import type { Block, Rich, Row, Section, Span } from './blocks.js';
import type { Cause } from '../causes.js';
import { evidenceLink, imageLink, type Context } from './context.js';
import { detailLabel } from './details.js';
import { FOLD_ROWS } from './fold.js';
import { badge, checkTitle, codeWords, findingStatus, subjectStatus, waiverState } from './words.js';

export function findingsSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const blocks: Block[] = [{ type: 'paragraph', style: 'muted', content: i18n.t('findings.intro') }];
  const ids = [...report.subjects.map((s) => s.id), ...[...ctx.causes.keys()].filter((id) => !ctx.subjects.has(id)).sort(compareText)];
  const faulty = ids.filter((id) => ctx.causes.has(id)).length;
  // Past FOLD_ROWS images, each image's faults fold behind its heading in the HTML (the PDF prints them all).
  const fold = faulty > FOLD_ROWS;
  for (const id of ids) {
    const causes = ctx.causes.get(id);
    if (causes !== undefined) blocks.push(...imageBlocks(ctx, id, causes, fold));
  }
  if (faulty === 0) blocks.push({ type: 'paragraph', content: i18n.t('findings.none') });
  const clean = report.subjects.filter((s) => !ctx.causes.has(s.id));
  if (clean.length > 0 && faulty > 0) {
    // A large estate's PDF names them in its one-line table (scale.ts) rather than in a paragraph of a thousand names.
    const content: Rich = ctx.compact
      ? [i18n.t('findings.cleanCompact', { count: clean.length }), ' ', { text: i18n.t('section.images'), link: 'images-verified' }, '.']
      : [i18n.t('findings.clean', { count: clean.length }), ' ', ...joined(clean.map((s) => imageLink(ctx, s.id)))];
    blocks.push({ type: 'paragraph', style: 'small', content });
  }
  return { id: 'findings', title: i18n.t('section.findings'), newPage: false, inContents: true, blocks };
}

function imageBlocks(ctx: Context, id: string, causes: readonly Cause[], fold: boolean): Block[] {
  const { i18n } = ctx;
  const subject = ctx.subjects.get(id);
  const title: Rich = [imageLink(ctx, id), '  ', ...(subject ? [badge(subjectStatus(i18n, subject.status))] : [])];
  const blocks: Block[] = [
    {
      type: 'paragraph',
      style: 'small',
      content: subject ? [subject.ref, ' ', { text: subject.digest, mono: true }] : i18n.t('findings.notInScope'),
    },
  ];
  causes.forEach((cause, index) => blocks.push(...causeBlocks(ctx, cause, index + 1, causes.length)));
  if (fold) return [{ type: 'details', heading: 2, bookmark: true, open: false, anchor: anchor('issues', id), summary: title, blocks }];
  return [{ type: 'heading', level: 2, anchor: anchor('issues', id), bookmark: true, text: title }, ...blocks];
}

function causeBlocks(ctx: Context, cause: Cause, n: number, of: number): Block[] {
  const { i18n } = ctx;
  const { root } = cause;
  const title = checkTitle(i18n, root.checkId, root.checkTitle);
  const blocks: Block[] = [
    {
      type: 'heading',
      level: 3,
      anchor: anchor('finding', root.id),
      text: [...(of > 1 ? [`${i18n.t('findings.cause', { n, of })} `] : []), badge(findingStatus(i18n, root.status)), `  ${title}`],
    },
    {
      type: 'facts',
      small: true,
      rows: [
        [i18n.t('findings.check'), [{ text: root.checkId, mono: true }]],
        [i18n.t('findings.code'), root.code === undefined ? i18n.t('findings.noCode') : [{ text: root.code, mono: true }, ` — ${codeWords(i18n, root.code)}`]],
        [i18n.t('findings.message'), root.message],
        ...waiverRows(ctx, root),
        ...detailRows(ctx, root),
      ],
    },
  ];
  const evidence = evidenceRows(ctx, [root, ...cause.consequences]);
  if (evidence.length > 0) {
    blocks.push({
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.evidenceFile'), share: 160 },
        { header: i18n.t('column.kind'), share: 64 },
        { header: i18n.t('column.sha256'), share: 271, mono: true },
      ],
      rows: evidence,
    });
  }
  const quotes = [...new Set([root, ...cause.consequences].flatMap((f) => f.quotes ?? []))];
  if (quotes.length > 0) {
    blocks.push({ type: 'paragraph', style: 'muted', content: i18n.t('findings.quoted', { count: quotes.length }) });
    blocks.push({ type: 'quote', lines: quotes });
  }
  if (cause.consequences.length > 0) {
    blocks.push({ type: 'paragraph', style: 'small', content: i18n.t('findings.consequences', { count: cause.consequences.length }) });
    blocks.push({
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.check'), share: 230 },
        { header: i18n.t('column.status'), share: 60 },
        { header: i18n.t('column.code'), share: 205 },
      ],
      rows: cause.consequences.map((f) => consequenceRow(ctx, f)),
    });
  }
  return blocks;
}

function consequenceRow(ctx: Context, finding: Finding): Row {
  const { i18n } = ctx;
  const waiver = waiverRows(ctx, finding)[0];
  return {
    anchor: anchor('finding', finding.id),
    cells: [
      [checkTitle(i18n, finding.checkId, finding.checkTitle), ' ', { text: `(${finding.checkId})`, muted: true }],
      [badge(findingStatus(i18n, finding.status))],
      [
        ...(finding.code === undefined ? [] : [{ text: finding.code, mono: true }, ` — ${codeWords(i18n, finding.code)}`]),
        ...(waiver ? ['. ', ...asParts(waiver[1])] : []),
      ],
    ],
  };
}

function asParts(rich: Rich): (string | Span)[] {
  return typeof rich === 'string' ? [rich] : [...rich];
}

/** A waiver never turns a failure into a pass: the note stands beside the unchanged status. */
function waiverRows(ctx: Context, finding: Finding): [string, Rich][] {
  const { i18n, report } = ctx;
  const waiver = finding.waiver;
  if (waiver === undefined) return [];
  const record = report.waivers.find((w) => w.id === waiver.id);
  const state = waiverState(i18n, { inForce: waiver.inForce, expired: record?.expired ?? !waiver.inForce });
  const link: Span = { text: waiver.id, link: anchor('waiver', waiver.id), bold: true };
  const words = waiver.inForce
    ? i18n.t('waiver.noteInForce', { expires: waiver.expires })
    : record !== undefined && !record.expired
      ? i18n.t('waiver.noteNotYet', { start: record.start })
      : i18n.t('waiver.noteExpired', { expires: waiver.expires });
  return [[i18n.t('findings.waiver'), [link, ' ', { text: state.text, tone: state.tone, bold: true }, ` — ${words}`]]];
}

/** The facts the check established, labelled in the reader's language where the label is a known one. */
function detailRows(ctx: Context, finding: Finding): [string, Rich][] {
  return Object.entries(finding.details).map(([key, value]) => [detailLabel(ctx.i18n, key), value]);
}

/** The files the cause rests on, each once, linked to the inventory. */
function evidenceRows(ctx: Context, findings: readonly Finding[]): Row[] {
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const sha of findings.flatMap((f) => f.evidence)) {
    if (seen.has(sha)) continue;
    seen.add(sha);
    const ref = ctx.evidence.get(sha);
    rows.push({ cells: [[evidenceLink(ctx, sha)], ref?.kind ?? '', [{ text: sha, mono: true }]] });
  }
  return rows;
}

function joined(parts: readonly (string | Span)[]): (string | Span)[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [', ', part]));
}
