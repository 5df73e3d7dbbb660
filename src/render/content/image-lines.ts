/**
 * Verified images one line each, for a large estate's PDF (scale.ts): the
 * image and its digest, the key (or signer) and transparency-log index of its
 * signature and of its SBOM attestation, its SBOM's number of components and
 * grade, and the CI run and commit that built it. No check of these images
 * failed or was undecided, so the line names what each pass rests on (a
 * check that did not apply says so); the files, fingerprints and signing
 * times are in the full rows of report.json and report.html.
 */
import type { Finding, SubjectResult } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Rich, Row, Span } from './blocks.js';
import { shortDigest, type Context } from './context.js';
import { DETAIL } from './details.js';
import { badge, findingStatus } from './words.js';

/** Hex digits of a commit shown on the line; the whole commit is kept for hover and copy in the HTML. */
const COMMIT_DIGITS = 10;

export function imageLines(ctx: Context, subjects: readonly SubjectResult[]): Block {
  const { report, i18n } = ctx;
  const sboms = new Map(report.sboms.entries.map((e) => [e.subject, e]));
  return {
    type: 'table',
    small: true,
    columns: [
      { header: i18n.t('column.image'), share: 72 },
      { header: i18n.t('column.digest'), share: 85 },
      { header: i18n.t('column.signature'), share: 98 },
      { header: i18n.t('column.attestation'), share: 98 },
      { header: i18n.t('column.components'), share: 49, numeric: true },
      { header: i18n.t('column.grade'), share: 26 },
      { header: i18n.t('column.run'), share: 67 },
    ],
    rows: subjects.map((subject): Row => {
      const findings = new Map((ctx.bySubject.get(subject.id) ?? []).map((f) => [f.checkId, f]));
      const sbom = sboms.get(subject.id);
      return {
        anchor: anchor('image', subject.id),
        cells: [
          [{ text: subject.id, bold: true }],
          [shortDigest(subject.digest)],
          signedLine(ctx, findings.get('signature.verified')),
          signedLine(ctx, findings.get('attestation.verified')),
          sbom === undefined ? '—' : i18n.count(sbom.components),
          sbom === undefined ? '—' : [{ text: sbom.grade, bold: true, link: anchor('sbom', subject.id) }],
          runLine(ctx, findings.get('pipeline.built')),
        ],
      };
    }),
  };
}

/** The key (linked to the trust material) or the certificate's signer, then the log index. */
function signedLine(ctx: Context, verified: Finding | undefined): Rich {
  const { i18n } = ctx;
  if (verified === undefined) return i18n.t('images.notChecked');
  if (verified.status !== 'pass') return [badge(findingStatus(i18n, verified.status))];
  const d = verified.details;
  const keyId = d[DETAIL.key];
  const parts: (string | Span)[] = [];
  if (keyId !== undefined) parts.push(ctx.report.trust.keys.some((k) => k.id === keyId) ? { text: keyId, link: anchor('key', keyId) } : keyId);
  else if (d[DETAIL.signer] !== undefined) parts.push(d[DETAIL.signer] ?? '');
  const index = d[DETAIL.logIndex];
  if (index !== undefined) parts.push(`${parts.length > 0 ? ', ' : ''}${i18n.t('images.lineLog', { index })}`);
  return parts.length > 0 ? parts : i18n.t('images.lineVerified');
}

/** The run as the check names it (`#1201`) and the commit's first digits. */
function runLine(ctx: Context, built: Finding | undefined): Rich {
  if (built === undefined) return ctx.i18n.t('images.notChecked');
  if (built.status !== 'pass') return [badge(findingStatus(ctx.i18n, built.status))];
  const d = built.details;
  const commit = d[DETAIL.commit];
  return [d[DETAIL.run] ?? '?', ...(commit === undefined ? [] : [' ', { text: commit.slice(0, COMMIT_DIGITS), mono: true, full: commit }])];
}
