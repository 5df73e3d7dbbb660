/** Waivers: exceptions people approved, whether each was in force at the end of the period, and what each covers. */
import type { WaiverRecord } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Rich, Row, Section, Span } from './blocks.js';
import type { Context } from './context.js';
import { badge, waiverState } from './words.js';

/** Findings a waiver names before summarising the rest (all are in report.json). */
const COVERS_LIMIT = 20;

export function waiversSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const blocks: Block[] = [{ type: 'paragraph', style: 'muted', content: i18n.t('waivers.intro') }];
  if (report.waivers.length === 0) {
    blocks.push({ type: 'paragraph', content: i18n.t('waivers.none') });
  } else {
    blocks.push({
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.waiver'), share: 62 },
        { header: i18n.t('column.scope'), share: 78 },
        { header: i18n.t('column.justification'), share: 140 },
        { header: i18n.t('column.approvedBy'), share: 75 },
        { header: i18n.t('column.dates'), share: 60 },
        { header: i18n.t('column.covers'), share: 80 },
      ],
      rows: report.waivers.map((w) => waiverRow(ctx, w)),
    });
  }
  return { id: 'waivers', title: i18n.t('section.waivers'), newPage: false, inContents: true, blocks };
}

function waiverRow(ctx: Context, waiver: WaiverRecord): Row {
  const { i18n } = ctx;
  return {
    anchor: anchor('waiver', waiver.id),
    cells: [
      [{ text: waiver.id, bold: true }, '\n', badge(waiverState(i18n, waiver))],
      scopeWords(ctx, waiver.scope),
      waiver.justification,
      `${waiver.approver}\n${i18n.t('waivers.ticket', { ticket: waiver.ticket })}`,
      i18n.t('waivers.dates', { start: waiver.start, expires: waiver.expires }),
      covers(ctx, waiver),
    ],
  };
}

/** The scope as the waiver file gives it; a waiver with no limit matches every failing finding. */
function scopeWords(ctx: Context, scope: WaiverRecord['scope']): Rich {
  const { i18n } = ctx;
  const parts: string[] = [];
  if (scope.image !== undefined) parts.push(i18n.t('waivers.scopeImage', { value: scope.image }));
  if (scope.digest !== undefined) parts.push(i18n.t('waivers.scopeDigest', { value: scope.digest }));
  if (scope.check !== undefined) parts.push(i18n.t('waivers.scopeCheck', { value: scope.check }));
  if (scope.control !== undefined) parts.push(i18n.t('waivers.scopeControl', { value: scope.control }));
  return parts.length > 0 ? parts.join('\n') : i18n.t('waivers.scopeAll');
}

function covers(ctx: Context, waiver: WaiverRecord): Rich {
  const { i18n } = ctx;
  if (waiver.covers.length === 0) return i18n.t(waiver.expired ? 'waivers.coversExpired' : waiver.inForce ? 'waivers.coversNone' : 'waivers.coversNotYet');
  const shown = waiver.covers.slice(0, COVERS_LIMIT);
  const parts: (string | Span)[] = shown.flatMap((id, i) => [...(i > 0 ? ['\n'] : []), ctx.findings.has(id) ? { text: id, link: anchor('finding', id) } : id]);
  const more = waiver.covers.length - shown.length;
  if (more > 0) parts.push(`\n${i18n.t('common.andMore', { count: more })}`);
  return parts;
}
