/**
 * The parts of the population section a registry listing and the filters add:
 * what a listing is (what is published, which says nothing of what runs), the
 * tags that publish each digest, the tags the collection could not resolve,
 * and what the filters left out, by rule. Never silent: every count is shown
 * and each list is bounded with "and N more".
 */
import type { PopulationImage, PopulationSection, PopulationSourceInfo } from '../../report/model.js';
import type { Block, Column, Row, Span } from './blocks.js';
import type { Context } from './context.js';

/** Tags listed per image (the report keeps 50); the rest are counted. */
export const TAGS_SHOWN = 5;
/** Unresolved tags and excluded entries listed (the report keeps 200); the rest are counted. */
export const ENTRIES_SHOWN = 50;

/** What the population's sources say: what runs (pods exports), what is published (registry listings), or both. */
export type PopulationMode = 'running' | 'published' | 'both';

export function populationMode(population: PopulationSection): PopulationMode {
  const kinds = new Set(population.sources.map((s) => s.kind));
  if (!kinds.has('registry')) return 'running';
  return kinds.has('kubernetes') ? 'both' : 'published';
}

/** The section's title, after what its sources say. */
export function populationTitle(ctx: Context, population: PopulationSection): string {
  const mode = populationMode(population);
  return ctx.i18n.t(mode === 'running' ? 'section.population' : mode === 'published' ? 'section.populationPublished' : 'section.populationBoth');
}

/** How a registry listing was read: its repositories, tags and collection time, as it states them. */
export function listingWords(ctx: Context, source: PopulationSourceInfo): string {
  return ctx.i18n.t('population.listing', {
    repositories: source.repositories ?? 0,
    tags: source.tags ?? 0,
    at: source.collectedAt === undefined ? '—' : ctx.i18n.instant(source.collectedAt),
  });
}

/** The tags that publish an image, bounded, the rest counted; nothing without a listing. */
export function publishedAs(ctx: Context, image: PopulationImage): (string | Span)[] {
  if (image.publishedAs === undefined) return [];
  const total = image.tags ?? image.publishedAs.length;
  const lines: (string | Span)[] = [`\n${ctx.i18n.t('population.publishedAs', { count: total })}`];
  for (const tag of image.publishedAs.slice(0, TAGS_SHOWN)) lines.push(`\n${tag.reference}`);
  const hidden = total - Math.min(image.publishedAs.length, TAGS_SHOWN);
  if (hidden > 0) lines.push({ text: `\n${ctx.i18n.t('common.andMore', { count: hidden })}`, muted: true });
  return lines;
}

export function unresolvedTagsBlocks(ctx: Context, population: PopulationSection): Block[] {
  const { i18n } = ctx;
  const total = population.counts.unresolvedTags;
  if (total === undefined) return [];
  return boundedList(ctx, {
    heading: i18n.t('population.unresolvedTags', { count: total }),
    why: i18n.t('population.unresolvedTagsWhy'),
    total,
    columns: [
      { header: i18n.t('column.image'), share: 220 },
      { header: i18n.t('column.reason'), share: 275 },
    ],
    rows: (population.unresolvedTags ?? []).slice(0, ENTRIES_SHOWN).map((u) => ({ cells: [u.reference, [{ text: u.code, mono: true }, `: ${u.reason}`]] })),
  });
}

/**
 * A list of what the population could not account for: its heading with the
 * count, then "none", or why it matters, the rows shown and how many more
 * report.json holds.
 */
export function boundedList(ctx: Context, list: { heading: string; why: string; total: number; columns: Column[]; rows: Row[] }): Block[] {
  const heading: Block = { type: 'heading', level: 3, text: list.heading };
  if (list.total === 0) return [heading, { type: 'paragraph', style: 'muted', content: ctx.i18n.t('common.none') }];
  return [
    heading,
    { type: 'paragraph', style: 'bad', content: list.why },
    { type: 'table', small: true, columns: list.columns, rows: list.rows },
    ...moreInJson(ctx, list.total, list.rows.length),
  ];
}

/** "And N more (in report.json)" when a list shows fewer than it has. */
function moreInJson(ctx: Context, total: number, shown: number): Block[] {
  return total > shown ? [{ type: 'paragraph', style: 'muted', content: ctx.i18n.t('common.andMoreInJson', { count: total - shown }) }] : [];
}

/** The filters as configured, how many each rule left out, and a bounded list of what it left out. */
export function exclusionsBlocks(ctx: Context, population: PopulationSection): Block[] {
  const { i18n } = ctx;
  const exclusions = population.exclusions;
  if (exclusions === undefined) return [];
  const total = population.counts.excluded ?? exclusions.entries.length;
  const filters = Object.entries(exclusions.filters).map(([key, globs]) => `population.${key}: ${(globs ?? []).join(', ')}`);
  const blocks: Block[] = [
    { type: 'heading', level: 3, text: i18n.t('population.excluded', { count: total }) },
    { type: 'paragraph', style: 'muted', content: [i18n.t('population.filters'), ' ', { text: filters.join('; '), mono: true }] },
    {
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.rule'), share: 295 },
        { header: i18n.t('column.containers'), share: 100, numeric: true },
        { header: i18n.t('column.tags'), share: 100, numeric: true },
      ],
      rows: exclusions.byRule.map((r) => ({ cells: [[{ text: r.rule, mono: true }], i18n.count(r.containers), i18n.count(r.tags)] })),
    },
  ];
  const shown = exclusions.entries.slice(0, ENTRIES_SHOWN);
  if (shown.length > 0) {
    blocks.push({
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.rule'), share: 165 },
        { header: i18n.t('column.image'), share: 190 },
        { header: i18n.t('column.where'), share: 140 },
      ],
      rows: shown.map((e) => ({
        cells: [
          [{ text: e.rule, mono: true }],
          e.image,
          e.place === undefined ? i18n.t('population.inListing', { source: e.source }) : `${e.place.namespace}/${e.place.pod} · ${e.place.container}`,
        ],
      })),
    });
  }
  return [...blocks, ...moreInJson(ctx, total, shown.length)];
}
