/**
 * The SBOM from each image's verified attestation: its quality grade (CISA
 * 2025 and BSI TR-03183-2 field coverage) beside the organisation's own
 * licence and purl check, two different measures that the table names apart,
 * then what the SBOMs list and the estate's most shared packages. The SBOMs
 * themselves travel as attachments (the CSV inventory, the evidence files).
 */
import type { Finding, SbomEntry } from '../../report/model.js';
import { anchor, compareText, groupBy } from './anchors.js';
import type { Block, Rich, Row, Section } from './blocks.js';
import type { Context } from './context.js';
import { foldable } from './fold.js';
import { fullDetailIn } from './scale.js';
import { badge, findingStatus } from './words.js';

const WEAKEST_FIELDS = 3;
const TOP = 3;
const COPYLEFT_ORDER = ['network', 'strong', 'weak'];
const IMAGES_PER_PACKAGE = 12;

export function sbomsSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const { sboms } = report;
  const blocks: Block[] = [{ type: 'paragraph', style: 'muted', content: i18n.t('sboms.intro', { minGrade: sboms.minGrade }) }];
  if (sboms.entries.length === 0) {
    blocks.push({ type: 'paragraph', content: i18n.t('sboms.none') });
  } else {
    const below = sboms.entries.filter((e) => !e.meetsMinimum).length;
    blocks.push({
      type: 'paragraph',
      content: i18n.t('sboms.counts', { count: sboms.entries.length, meeting: sboms.entries.length - below, below, minGrade: sboms.minGrade }),
    });
    // A large estate's PDF keeps the rows of the SBOMs that need a look and says where the others are (scale.ts).
    const listed = ctx.compact ? sboms.entries.filter((e) => sbomNeedsAttention(ctx, e)) : sboms.entries;
    if (listed.length < sboms.entries.length) {
      const counts = { listed: listed.length, rest: sboms.entries.length - listed.length };
      blocks.push({ type: 'paragraph', content: [i18n.t('sboms.compact', counts), ' ', ...fullDetailIn(ctx), '.'] });
    }
    blocks.push(
      foldable(ctx, qualityTable(ctx, listed), listed.length),
      ...weakensBlocks(ctx).map((b) => foldable(ctx, b, below)),
      foldable(ctx, contentsTable(ctx, listed), listed.length),
      ...estateBlocks(ctx),
    );
  }
  return { id: 'sboms', title: i18n.t('section.sboms'), newPage: false, inContents: true, blocks };
}

/** Below the minimum grade, or not passing the licence and purl check. */
function sbomNeedsAttention(ctx: Context, entry: SbomEntry): boolean {
  const quality = ctx.bySubject.get(entry.subject)?.find((f) => f.checkId === 'sbom.quality');
  return !entry.meetsMinimum || (quality !== undefined && quality.status !== 'pass');
}

function qualityTable(ctx: Context, entries: readonly SbomEntry[]): Block {
  const { i18n, report } = ctx;
  const quality = new Map(report.findings.filter((f) => f.checkId === 'sbom.quality').map((f) => [f.subject, f]));
  return {
    type: 'table',
    small: true,
    columns: [
      { header: i18n.t('column.image'), share: 72 },
      { header: i18n.t('column.components'), share: 48, numeric: true },
      { header: i18n.t('sboms.gradeColumn', { minGrade: report.sboms.minGrade }), share: 70 },
      { header: i18n.t('column.scores'), share: 80 },
      { header: i18n.t('sboms.checkColumn'), share: 85 },
      { header: i18n.t('column.weakestFields'), share: 140 },
    ],
    rows: entries.map((entry) => qualityRow(ctx, entry, quality.get(entry.subject))),
  };
}

/**
 * Which clauses the SBOMs below the minimum grade weaken, linked to their
 * texts: SBOMs that weaken the same clauses share one item (a large estate's
 * copies of one image would otherwise repeat the same list page after page).
 */
function weakensBlocks(ctx: Context): Block[] {
  const anchors = new Map([...ctx.controls.values()].map((x) => [x.citation, x.anchor]));
  const groups = groupBy(
    ctx.report.sboms.entries.filter((e) => !e.meetsMinimum),
    (e) => [...new Set(e.weakens)].join('\u0000'),
  );
  const items: Rich[] = [...groups.values()].map((entries) => {
    const citations = [...new Set(entries[0]?.weakens ?? [])];
    const names = entries.flatMap((e, i) => [...(i > 0 ? [', '] : []), { text: e.subject, bold: true }]);
    if (citations.length === 0) return [...names, `: ${ctx.i18n.t('sboms.weakensNothing')}`];
    const linked = citations.flatMap((c, i) => {
      const target = anchors.get(c);
      return [...(i > 0 ? ['; '] : []), target === undefined ? c : { text: c, link: target }];
    });
    return [...names, `: ${ctx.i18n.t(entries.length === 1 ? 'sboms.weakens' : 'sboms.weakenMany')} `, ...linked];
  });
  return items.length === 0 ? [] : [{ type: 'list', style: 'small', items }];
}

function qualityRow(ctx: Context, entry: SbomEntry, quality: Finding | undefined): Row {
  const { i18n } = ctx;
  const grade: Rich = [
    { text: entry.grade, bold: true, tone: entry.meetsMinimum ? 'good' : 'bad' },
    ' ',
    { text: i18n.t(entry.meetsMinimum ? 'sboms.meets' : 'sboms.below'), tone: entry.meetsMinimum ? 'good' : 'bad' },
  ];
  return {
    anchor: anchor('sbom', entry.subject),
    cells: [
      ctx.subjects.has(entry.subject) ? [{ text: entry.subject, link: anchor('image', entry.subject), bold: true }] : entry.subject,
      `${i18n.count(entry.components)}\n${entry.specVersion === '' ? '?' : entry.specVersion}`,
      grade,
      i18n.t('sboms.scores', {
        score: i18n.decimal(entry.score),
        cisa: i18n.decimal(entry.cisa),
        bsi: i18n.decimal(entry.bsi),
        ntia: i18n.decimal(entry.ntia),
      }),
      qualityCell(ctx, quality),
      weakest(ctx, entry),
    ],
  };
}

function qualityCell(ctx: Context, finding: Finding | undefined): Rich {
  if (finding === undefined) return '—';
  const word = badge(findingStatus(ctx.i18n, finding.status));
  const values = [finding.details['with licence'], finding.details['with purl']].filter((v): v is string => v !== undefined);
  const link = finding.status === 'pass' ? {} : { link: anchor('finding', finding.id) };
  const waived = finding.waiver?.inForce === true ? [`\n${ctx.i18n.t('cover.waived', { id: finding.waiver.id })}`] : [];
  return [
    { ...word, ...link },
    ...(values.length === 2 ? [`\n${ctx.i18n.t('sboms.coverage', { licences: values[0] ?? '', purls: values[1] ?? '' })}`] : []),
    ...waived,
  ];
}

/** The fields with the lowest coverage; fields that apply to nothing come last. */
function weakest(ctx: Context, entry: SbomEntry): string {
  const applies = (p: number | null): p is number => p !== null && Number.isFinite(p);
  const fields = [...entry.fields]
    .sort((a, b) => (applies(a.percent) && applies(b.percent) ? a.percent - b.percent : Number(!applies(a.percent)) - Number(!applies(b.percent))))
    .slice(0, WEAKEST_FIELDS);
  if (fields.length === 0) return ctx.i18n.t('sboms.noField');
  return fields.map((f) => `${f.id} ${applies(f.percent) ? `${ctx.i18n.decimal(f.percent)} %` : ctx.i18n.t('common.notAvailable')}`).join(', ');
}

function contentsTable(ctx: Context, entries: readonly SbomEntry[]): Block {
  const { i18n } = ctx;
  return {
    type: 'table',
    small: true,
    columns: [
      { header: i18n.t('column.image'), share: 75 },
      { header: i18n.t('column.ecosystems'), share: 110 },
      { header: i18n.t('column.licences'), share: 215 },
      { header: i18n.t('column.copyleft'), share: 95 },
    ],
    rows: entries.map((e) => ({
      cells: [
        e.subject,
        top(ctx, e.byEcosystem),
        `${i18n.t('sboms.licenceCounts', { spdx: e.licences.distinctSpdxIds, unknown: e.licences.unknown })} ${e.licences.top
          .slice(0, TOP)
          .map((l) => `${l.licence} ${i18n.count(l.components)}`)
          .join(', ')}`,
        copyleft(ctx, e.copyleft),
      ],
    })),
  };
}

/** "npm 300, deb 204 (+2 more)": most first, then by name. */
function top(ctx: Context, counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).sort(([a, x], [b, y]) => y - x || compareText(a, b));
  if (entries.length === 0) return '—';
  const shown = entries
    .slice(0, TOP)
    .map(([k, n]) => `${k} ${ctx.i18n.count(n)}`)
    .join(', ');
  return entries.length > TOP ? `${shown} ${ctx.i18n.t('common.plusMore', { count: entries.length - TOP })}` : shown;
}

function copyleft(ctx: Context, counts: Readonly<Record<string, number>>): string {
  const kinds = [
    ...COPYLEFT_ORDER.filter((k) => k in counts),
    ...Object.keys(counts)
      .filter((k) => !COPYLEFT_ORDER.includes(k))
      .sort(compareText),
  ];
  if (kinds.length === 0) return '—';
  return kinds.map((k) => ctx.i18n.t('sboms.copyleftKind', { kind: k, count: counts[k] ?? 0 })).join(', ');
}

function estateBlocks(ctx: Context): Block[] {
  const { i18n, report } = ctx;
  const { estate } = report.sboms;
  const blocks: Block[] = [
    { type: 'heading', level: 3, text: i18n.t('sboms.estate') },
    {
      type: 'paragraph',
      content: [
        i18n.t('sboms.estateCounts', { rows: estate.components, sboms: report.sboms.entries.length, distinct: estate.distinct }),
        ' ',
        estate.inventoryCsv === undefined ? i18n.t('sboms.noCsv') : i18n.t('sboms.csv'),
        ...(estate.inventoryCsv === undefined ? [] : [' ', { text: estate.inventoryCsv, file: estate.inventoryCsv, mono: true }, '.']),
      ],
    },
  ];
  if (estate.shared.length === 0) return [...blocks, { type: 'paragraph', style: 'muted', content: i18n.t('sboms.noShared') }];
  blocks.push({
    type: 'table',
    small: true,
    caption: i18n.t('sboms.sharedCaption'),
    columns: [
      { header: i18n.t('column.package'), share: 215, mono: true },
      { header: i18n.t('column.images'), share: 280 },
    ],
    rows: estate.shared.map((item) => {
      const all = item.images.length === report.sboms.entries.length;
      const shown = item.images.slice(0, IMAGES_PER_PACKAGE);
      const more = item.images.length - shown.length;
      if (all) return { cells: [item.component, i18n.t('sboms.allImages', { count: item.images.length })] };
      return {
        cells: [item.component, `${i18n.count(item.images.length)}: ${shown.join(', ')}${more > 0 ? ` ${i18n.t('common.andMore', { count: more })}` : ''}`],
      };
    }),
  });
  return blocks;
}
