/**
 * The population: what runs, as the population exports (config `population`)
 * show it. The exports read and whether each was read whole; every distinct
 * digest found running, the gaps first, where it runs (a bounded list per
 * image, "and N more") and whether the configuration covers it; the
 * containers whose digest is unknown; the configured images not found
 * running. Without an export the report has no such section, and page 1 and
 * the limits say plainly that the population is the configuration's list,
 * checked against nothing.
 */
import type { PopulationImage, PopulationPlace, PopulationSection } from '../../report/model.js';
import type { Block, Rich, Row, Section, Span, Tone } from './blocks.js';
import { evidenceLink, imageLink, shortDigest, type Context } from './context.js';
import { foldable } from './fold.js';
import {
  boundedList,
  exclusionsBlocks,
  listingWords,
  populationMode,
  type PopulationMode,
  populationTitle,
  publishedAs,
  unresolvedTagsBlocks,
} from './population-registry.js';

/** Places listed per image (the report keeps 50); the rest are counted. */
export const PLACES_SHOWN = 5;
/** Containers without a digest listed (the report keeps 200); the rest are counted. */
export const UNRESOLVED_SHOWN = 50;

const STATUS_TONE: Readonly<Record<PopulationImage['status'], Tone>> = { covered: 'good', uncovered: 'bad', 'digest-differs': 'bad' };

export function populationSection(ctx: Context, population: PopulationSection): Section {
  const { i18n } = ctx;
  const c = population.counts;
  const mode = populationMode(population);
  const blocks: Block[] = [
    ...(mode === 'published' ? [] : [{ type: 'paragraph', style: 'muted', content: i18n.t('population.intro') } as const]),
    ...(mode === 'running' ? [] : [{ type: 'paragraph', style: 'muted', content: i18n.t('population.introRegistry') } as const]),
    {
      type: 'paragraph',
      style: c.uncovered + c.digestDiffers + c.unresolved + (c.unresolvedTags ?? 0) > 0 ? 'bad' : 'strong',
      content: i18n.t(mode === 'running' ? 'population.counts' : 'population.countsRegistry', {
        mode,
        tags: c.tags ?? 0,
        unresolvedTags: c.unresolvedTags ?? 0,
        containers: c.containers,
        images: c.images,
        covered: c.covered,
        uncovered: c.uncovered,
        differs: c.digestDiffers,
        unresolved: c.unresolved,
        notRunning: c.configuredNotRunning,
      }),
    },
  ];
  if (!population.complete) blocks.push({ type: 'paragraph', style: 'bad', content: i18n.t('population.incomplete') });
  blocks.push(
    { type: 'heading', level: 3, text: i18n.t('population.sources', { count: population.sources.length, mode }) },
    {
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.file'), share: 200 },
        { header: i18n.t('column.pods'), share: 50, numeric: true },
        { header: i18n.t('column.containers'), share: 60, numeric: true },
        { header: i18n.t('column.read'), share: 185 },
      ],
      rows: population.sources.map((s) => ({
        cells: [
          s.sha256 === undefined ? s.source : [evidenceLink(ctx, s.sha256), '\n', shortDigest(`sha256:${s.sha256}`)],
          // A listing reads no pods: a dash, not a zero that reads as "nothing runs".
          s.kind === 'registry' ? '—' : i18n.count(s.pods),
          s.kind === 'registry' ? '—' : i18n.count(s.containers),
          s.failure === undefined
            ? [i18n.t('population.readWhole'), ...(s.kind === 'registry' ? [`\n${listingWords(ctx, s)}`] : [])]
            : [{ text: i18n.t('population.notReadWhole'), tone: 'bad', bold: true }, ' ', { text: s.failure.code, mono: true }, `: ${s.failure.reason}`],
        ],
      })),
    },
    { type: 'heading', level: 3, text: i18n.t('population.images', { count: population.images.length, mode }) },
  );
  if (population.images.length === 0) blocks.push({ type: 'paragraph', content: i18n.t('common.none') });
  else {
    const columns = [
      { header: i18n.t('column.image'), share: 170 },
      { header: i18n.t('column.status'), share: 135 },
      { header: i18n.t(mode === 'running' ? 'column.runsIn' : 'column.runsInPublished'), share: 190 },
    ];
    const rows = gapsFirst(population.images).map((image) => imageRow(ctx, image, mode));
    blocks.push(foldable(ctx, { type: 'table', small: true, columns, rows }, rows.length));
  }
  blocks.push(
    ...unresolvedBlocks(ctx, population),
    ...unresolvedTagsBlocks(ctx, population),
    ...notRunningBlocks(ctx, population),
    ...exclusionsBlocks(ctx, population),
  );
  return { id: 'population', title: populationTitle(ctx, population), newPage: false, inContents: true, blocks };
}

function imageRow(ctx: Context, image: PopulationImage, mode: PopulationMode): Row {
  const { i18n } = ctx;
  const [named, ...more] = image.images;
  const status: Rich[number][] = [{ text: i18n.t(`populationStatus.${image.status}`), tone: STATUS_TONE[image.status], bold: true }];
  for (const configured of image.configuredAs ?? []) {
    status.push(`\n${i18n.t('population.configuredAs', { name: configured.name })} `, shortDigest(configured.digest));
  }
  const places: Rich[number][] = [];
  // A digest only a listing has: said not found running when pods were read, not "in 0 containers".
  if (image.containers > 0 || image.publishedAs === undefined) places.push(i18n.t('population.containers', { count: image.containers }));
  else if (mode === 'both') places.push({ text: i18n.t('population.notFoundRunning'), bold: true });
  for (const p of image.runsIn.slice(0, PLACES_SHOWN)) places.push(`\n${placeWords(ctx, p)}`);
  const hidden = image.containers - Math.min(image.runsIn.length, PLACES_SHOWN);
  if (hidden > 0) places.push({ text: `\n${i18n.t('common.andMore', { count: hidden })}`, muted: true });
  const published = publishedAs(ctx, image);
  places.push(...(places.length === 0 && typeof published[0] === 'string' ? [published[0].slice(1), ...published.slice(1)] : published));
  return {
    cells: [
      [imageLink(ctx, image.subject), '\n', shortDigest(image.digest), ...(named === undefined ? [] : [`\n${named}`]), ...plusMore(ctx, more.length)],
      status,
      places,
    ],
  };
}

/** Digests not covered first, then those running another digest than configured, then the covered ones; each group in the report's order. */
function gapsFirst(images: readonly PopulationImage[]): PopulationImage[] {
  const rank: Readonly<Record<PopulationImage['status'], number>> = { uncovered: 0, 'digest-differs': 1, covered: 2 };
  return [...images].sort((a, b) => rank[a.status] - rank[b.status]);
}

/** `namespace/pod · container`, an init or ephemeral container said so. */
function placeWords(ctx: Context, p: PopulationPlace): string {
  const kind = p.kind === 'container' ? '' : ` (${ctx.i18n.t(p.kind === 'init' ? 'population.init' : 'population.ephemeral')})`;
  return `${p.namespace}/${p.pod} · ${p.container}${kind}`;
}

function plusMore(ctx: Context, count: number): Span[] {
  return count > 0 ? [{ text: ` ${ctx.i18n.t('common.plusMore', { count })}`, muted: true }] : [];
}

function unresolvedBlocks(ctx: Context, population: PopulationSection): Block[] {
  const { i18n } = ctx;
  const total = population.counts.unresolved;
  return boundedList(ctx, {
    heading: i18n.t('population.unresolved', { count: total }),
    why: i18n.t('population.unresolvedWhy'),
    total,
    columns: [
      { header: i18n.t('column.where'), share: 170 },
      { header: i18n.t('column.image'), share: 150 },
      { header: i18n.t('column.reason'), share: 175 },
    ],
    rows: population.unresolved.slice(0, UNRESOLVED_SHOWN).map((u) => ({ cells: [placeWords(ctx, u), u.image, u.reason] })),
  });
}

function notRunningBlocks(ctx: Context, population: PopulationSection): Block[] {
  const { i18n } = ctx;
  const names = population.configuredNotRunning;
  const mode = populationMode(population);
  const heading: Block = { type: 'heading', level: 3, text: i18n.t('population.notRunning', { count: names.length, mode }) };
  if (names.length === 0) return [heading, { type: 'paragraph', style: 'muted', content: i18n.t('common.none') }];
  return [
    heading,
    {
      type: 'paragraph',
      content: names.flatMap((name, i) => [...(i > 0 ? [', '] : []), imageLink(ctx, name)]),
    },
    { type: 'paragraph', style: 'muted', content: i18n.t(population.complete ? 'population.notRunningWhy' : 'population.notRunningIncomplete', { mode }) },
  ];
}

/** Page 1's line on where the population comes from: the exports, or the configuration's list checked against nothing. */
export function populationScopeLine(ctx: Context): Rich {
  const { report, i18n } = ctx;
  const population = report.population;
  if (population === undefined) return i18n.t('scope.population', { count: report.subjects.length, sha: report.run.configSha256.slice(0, 12) });
  const c = population.counts;
  const mode = populationMode(population);
  const line = i18n.t(mode === 'running' ? 'scope.populationRunning' : 'scope.populationRegistry', {
    mode,
    unresolvedTags: c.unresolvedTags ?? 0,
    sources: i18n.list(population.sources.map((s) => s.source)),
    complete: population.complete ? 'yes' : 'no',
    images: c.images,
    covered: c.covered,
    uncovered: c.uncovered,
    differs: c.digestDiffers,
    unresolved: c.unresolved,
  });
  const excluded = c.excluded === undefined ? '' : ` ${i18n.t('scope.populationExcluded', { count: c.excluded })}`;
  return [line + excluded, ` ${i18n.t('scope.more')} `, { text: populationTitle(ctx, population), link: 'population' }];
}

/** The limits the population's sources set: none, what the exports show, what the listings show, both; and the filters. */
export function populationLimit(ctx: Context): string {
  const population = ctx.report.population;
  if (population === undefined) return ctx.i18n.t('limits.population');
  const mode = populationMode(population);
  const limits = [
    ...(mode === 'published' ? [] : [ctx.i18n.t('limits.populationExport')]),
    ...(mode === 'running' ? [] : [ctx.i18n.t('limits.populationRegistry')]),
    ...(population.exclusions === undefined ? [] : [ctx.i18n.t('limits.populationFiltered')]),
  ];
  return limits.join(' ');
}
