/**
 * The citation check: each clause the organisation's own documents cite,
 * what it really is, and what the evidence supports instead. Read before the
 * controls, since a wrong citation changes which clauses to look at.
 */
import type { ClaimCheck } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Section, Span } from './blocks.js';
import type { Context } from './context.js';
import { webLink } from './web-links.js';
import { badge, claimVerdict, controlStatus } from './words.js';

const VERDICT_ORDER: readonly ClaimCheck['verdict'][] = ['correct', 'imprecise', 'wrong', 'unverifiable', 'unknown'];

export function claimsSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const blocks: Block[] = [];
  if (report.claims.length === 0) {
    blocks.push({ type: 'paragraph', content: i18n.t('claims.none') });
  } else {
    blocks.push({ type: 'paragraph', content: i18n.t('claims.intro', { count: report.claims.length, counts: claimCounts(ctx) }) });
    blocks.push({ type: 'paragraph', style: 'muted', content: i18n.t('claims.legend') });
    report.claims.forEach((claim, index) => blocks.push(...claimBlocks(ctx, claim, index + 1)));
  }
  return { id: 'claims', title: i18n.t('section.claims'), newPage: false, inContents: true, blocks };
}

/** "1 imprecise, 2 wrong": only the verdicts that occur, in a fixed order. */
export function claimCounts(ctx: Context): string {
  const { i18n, report } = ctx;
  return i18n.list(
    VERDICT_ORDER.map((v) => [v, report.claims.filter((c) => c.verdict === v).length] as const)
      .filter(([, n]) => n > 0)
      .map(([v, n]) => `${i18n.count(n)} ${claimVerdict(i18n, v).text}`),
  );
}

function claimBlocks(ctx: Context, claim: ClaimCheck, n: number): Block[] {
  const { i18n } = ctx;
  const dash = (text: string) => (text === '' ? '—' : text);
  return [
    {
      type: 'heading',
      level: 3,
      anchor: anchor('claim', String(n)),
      bookmark: true,
      text: [`${n}. “${claim.claimed}”  `, badge(claimVerdict(i18n, claim.verdict))],
    },
    {
      type: 'facts',
      small: true,
      rows: [
        [i18n.t('claims.meaning'), dash(claim.claimedMeaning)],
        [i18n.t('claims.madeIn'), dash(claim.madeIn)],
        [i18n.t('claims.actually'), dash(claim.actually)],
        [i18n.t('claims.reason'), dash(claim.reason)],
        [i18n.t('claims.source'), claim.source === '' ? '—' : [webLink(claim.source)]],
        [
          i18n.t('claims.instead'),
          claim.instead.length === 0
            ? i18n.t(claim.verdict === 'correct' ? 'claims.noneNeeded' : 'claims.noneNamed')
            : claim.instead.flatMap((x, i) => [...(i > 0 ? ['; '] : []), ...insteadItem(ctx, x)]),
        ],
      ],
    },
  ];
}

function insteadItem(ctx: Context, provision: ClaimCheck['instead'][number]): (string | Span)[] {
  const control = ctx.controls.get(`${provision.framework}/${provision.control}`);
  const citation = control === undefined ? provision.citation : { text: provision.citation, link: control.anchor };
  // A provision outside this report's frameworks has no text elsewhere in it: its title and text come with it.
  const outside = provision.status === 'not-in-report' ? [`: ${provision.title}${provision.text === '' ? '' : `. ${provision.text}`}`] : [];
  return [citation, ' (', { ...badge(controlStatus(ctx.i18n, provision.status)), bold: false }, ')', ...outside];
}
