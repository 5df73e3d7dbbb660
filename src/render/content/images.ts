/**
 * Evidence per image: for every image in scope, one compact row with what its
 * verdict rests on: the signature (file, key and its fingerprint,
 * transparency-log index, signing time), the SBOM attestation and its SBOM,
 * and the build. Passes show their evidence here as faults do in "Faults";
 * a check that did not pass links to its fault instead. In a large estate's
 * PDF (scale.ts) the images that need attention keep these rows and the
 * verified ones take one line each (image-lines.ts).
 */
import type { Finding, SubjectResult } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Rich, Row, Section, Span } from './blocks.js';
import { evidenceLink, shortDigest, type Context } from './context.js';
import { DETAIL } from './details.js';
import { foldable } from './fold.js';
import { imageLines } from './image-lines.js';
import { fullDetailIn, needsAttention } from './scale.js';
import { badge, findingStatus, subjectStatus } from './words.js';

export function imagesSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const blocks: Block[] = [{ type: 'paragraph', style: 'muted', content: i18n.t('images.intro') }];
  if (report.subjects.length === 0) blocks.push({ type: 'paragraph', content: i18n.t('cover.noImages') });
  else if (ctx.compact) blocks.push(...compactBlocks(ctx));
  else blocks.push(foldable(ctx, imagesTable(ctx, report.subjects), report.subjects.length));
  return { id: 'images', title: i18n.t('section.images'), newPage: false, inContents: true, blocks };
}

/** A large estate's PDF: the images that need attention in full, then the verified ones one line each, and where their full rows are. */
function compactBlocks(ctx: Context): Block[] {
  const { report, i18n } = ctx;
  const attention = report.subjects.filter((s) => needsAttention(ctx, s.id));
  const verified = report.subjects.filter((s) => !needsAttention(ctx, s.id));
  const blocks: Block[] = [
    { type: 'paragraph', content: [i18n.t('images.compact', { attention: attention.length, verified: verified.length }), ' ', ...fullDetailIn(ctx), '.'] },
  ];
  if (attention.length > 0) {
    blocks.push({ type: 'heading', level: 3, anchor: 'images-attention', bookmark: true, text: i18n.t('images.attention', { count: attention.length }) });
    blocks.push(imagesTable(ctx, attention));
  }
  if (verified.length > 0) {
    blocks.push({ type: 'heading', level: 3, anchor: 'images-verified', bookmark: true, text: i18n.t('images.verified', { count: verified.length }) });
    blocks.push(imageLines(ctx, verified));
  }
  return blocks;
}

function imagesTable(ctx: Context, subjects: readonly SubjectResult[]): Block {
  const { report, i18n } = ctx;
  const sboms = new Map(report.sboms.entries.map((e) => [e.subject, e]));
  return {
    type: 'table',
    small: true,
    columns: [
      { header: i18n.t('column.image'), share: 118 },
      { header: i18n.t('column.signature'), share: 132 },
      { header: i18n.t('column.sbomAttestation'), share: 132 },
      { header: i18n.t('column.build'), share: 113 },
    ],
    rows: subjects.map((subject) => imageRow(ctx, subject, sboms.get(subject.id)?.grade)),
  };
}

function imageRow(ctx: Context, subject: SubjectResult, grade: string | undefined): Row {
  const { i18n } = ctx;
  const findings = new Map((ctx.bySubject.get(subject.id) ?? []).map((f) => [f.checkId, f]));
  return {
    anchor: anchor('image', subject.id),
    cells: [
      [{ text: subject.id, bold: true }, '  ', badge(subjectStatus(i18n, subject.status)), `\n${subject.ref}\n`, shortDigest(subject.digest)],
      signedCell(ctx, findings.get('signature.verified'), findings.get('signature.binds-digest')),
      [...signedCell(ctx, findings.get('attestation.verified'), findings.get('attestation.binds-digest')), ...sbomLines(ctx, subject.id, findings, grade)],
      buildCell(ctx, findings.get('pipeline.built'), findings.get('pipeline.signing-clean')),
    ],
  };
}

/** A signature or attestation: its file, key, log index and signing time when it passed; otherwise its status, linked to the fault. */
function signedCell(ctx: Context, verified: Finding | undefined, binds: Finding | undefined): (string | Span)[] {
  const { i18n } = ctx;
  if (verified === undefined) return [i18n.t('images.notChecked')];
  if (verified.status !== 'pass') return notPassing(ctx, verified);
  const d = verified.details;
  const parts: (string | Span)[] = [];
  const file = verified.evidence.find((sha) => ctx.evidence.get(sha)?.source === d[DETAIL.source]) ?? verified.evidence[0];
  if (file !== undefined) parts.push(evidenceLink(ctx, file));
  const keyId = d[DETAIL.key];
  const fingerprint = d[DETAIL.fingerprint];
  if (keyId !== undefined) {
    const known = ctx.report.trust.keys.some((k) => k.id === keyId);
    parts.push(`\n${i18n.t('images.key')} `, known ? { text: keyId, link: anchor('key', keyId) } : keyId);
    if (fingerprint !== undefined) parts.push(' ', shortDigest(fingerprint));
  } else if (d[DETAIL.signer] !== undefined) {
    parts.push(`\n${i18n.t('images.signer', { signer: d[DETAIL.signer] ?? '' })}`);
  }
  if (d[DETAIL.logIndex] !== undefined) parts.push(`\n${i18n.t('images.logIndex', { index: d[DETAIL.logIndex] ?? '' })}`);
  const time = d[DETAIL.signingTime];
  if (time !== undefined) parts.push(`\n${signingTime(ctx, time)}`);
  if (binds !== undefined && binds.status !== 'pass') parts.push('\n', ...notPassing(ctx, binds));
  return parts;
}

/**
 * The check writes "2026-04-14T07:43:15.000Z (verified by the transparency
 * log)", or says there is no verified time: the instant in words, and who
 * vouches for it.
 */
function signingTime(ctx: Context, value: string): string {
  const { i18n } = ctx;
  const match = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+Z) \(verified by the (.+)\)$/.exec(value);
  if (match === null) return value.startsWith('none') ? i18n.t('images.noSignedTime') : value;
  const by = match[2] === 'transparency log' ? i18n.t('images.byLog') : match[2] === 'timestamp authority' ? i18n.t('images.byTsa') : (match[2] ?? '');
  return i18n.t('images.signedAt', { at: i18n.instant(match[1] ?? ''), by });
}

function sbomLines(ctx: Context, subject: string, findings: Map<string, Finding>, grade: string | undefined): (string | Span)[] {
  const { i18n } = ctx;
  const valid = findings.get('sbom.valid');
  const quality = findings.get('sbom.quality');
  const parts: (string | Span)[] = [];
  if (valid?.status === 'pass') {
    parts.push(`\n${i18n.t('images.sbom', { version: valid.details[DETAIL.specVersion] ?? '?', components: valid.details[DETAIL.components] ?? '?' })}`);
    if (grade !== undefined) parts.push(' ', { text: i18n.t('images.grade', { grade }), link: anchor('sbom', subject) });
  } else if (valid !== undefined && findings.get('attestation.verified')?.status === 'pass') {
    parts.push('\n', ...notPassing(ctx, valid));
  }
  if (quality !== undefined && quality.status !== 'pass' && valid?.status === 'pass') parts.push('\n', ...notPassing(ctx, quality));
  return parts;
}

function buildCell(ctx: Context, built: Finding | undefined, clean: Finding | undefined): Rich {
  const { i18n } = ctx;
  if (built === undefined) return i18n.t('images.notChecked');
  if (built.status !== 'pass') return notPassing(ctx, built);
  const d = built.details;
  const parts: (string | Span)[] = [i18n.t('images.run', { run: d[DETAIL.run] ?? '?', event: d[DETAIL.event] ?? '?', branch: d[DETAIL.branch] ?? '?' })];
  if (d[DETAIL.commit] !== undefined)
    parts.push(`\n${i18n.t('images.commit')} `, { text: (d[DETAIL.commit] ?? '').slice(0, 12), mono: true, full: d[DETAIL.commit] ?? '' });
  const run = built.evidence[0];
  if (run !== undefined) parts.push('\n', evidenceLink(ctx, run));
  if (clean !== undefined) parts.push('\n', ...(clean.status === 'pass' ? [i18n.t('images.logClean')] : notPassing(ctx, clean)));
  parts.push(`\n${i18n.t('images.unsigned')}`);
  return parts;
}

/** A check that did not pass: its status, linked to where the fault is stated. */
function notPassing(ctx: Context, finding: Finding): (string | Span)[] {
  const word = findingStatus(ctx.i18n, finding.status);
  const link = ctx.causes.get(finding.subject) !== undefined && finding.status !== 'not-applicable' ? anchor('finding', finding.id) : undefined;
  return [{ ...badge(word), ...(link === undefined ? {} : { link }) }, ` ${finding.checkId}`];
}
