/**
 * Changes since the previous period (`report --previous`): images added,
 * removed or rebuilt, new failures and fixes, controls whose status moved,
 * waivers that expired. Long lists are cut; report.json has them whole.
 */
import type { Report } from '../../report/model.js';
import type { Block, Column, Rich, Row, Section } from './blocks.js';
import type { Context } from './context.js';
import { badge, controlStatus, findingStatus, subjectStatus } from './words.js';

// The diff's types, read through the report model (renderers import nothing else).
type ReportDiff = NonNullable<Report['changes']>;
type FindingChange = ReportDiff['findings']['newFailures'][number];
type ControlChange = ReportDiff['controls'][number];
type WaiverBrief = ReportDiff['waivers']['added'][number];

/** Rows shown per group; the rest are counted. */
const ROW_LIMIT = 40;

export function changesSection(ctx: Context, diff: ReportDiff): Section {
  const { i18n } = ctx;
  const side = (s: ReportDiff['old']) =>
    i18n.t('changes.side', {
      period: s.period,
      generated: i18n.instant(s.generatedAt),
      verdict: i18n.t(`verdict.${s.verdict}`),
      verified: s.verified,
      images: s.images,
    });
  const blocks: Block[] = [
    {
      type: 'facts',
      small: true,
      rows: [
        [i18n.t('changes.previous'), side(diff.old)],
        [i18n.t('changes.current'), side(diff.new)],
      ],
    },
    {
      type: 'paragraph',
      style: diff.regression ? 'bad' : 'strong',
      content: i18n.t(diff.regression ? 'changes.worse' : diff.changed ? 'changes.changed' : 'changes.none'),
    },
    ...group(ctx, i18n.t('changes.images'), [i18n.t('column.image'), i18n.t('column.before'), i18n.t('column.now')], imageRows(ctx, diff)),
    ...group(
      ctx,
      i18n.t('changes.newFailures'),
      findingColumns(ctx),
      diff.findings.newFailures.map((f) => findingRow(ctx, f)),
    ),
    ...group(
      ctx,
      i18n.t('changes.fixed'),
      findingColumns(ctx),
      diff.findings.fixed.map((f) => findingRow(ctx, f)),
    ),
    ...group(
      ctx,
      i18n.t('changes.otherFindings'),
      findingColumns(ctx),
      diff.findings.otherChanges.map((f) => findingRow(ctx, f)),
    ),
    ...group(
      ctx,
      i18n.t('changes.controls'),
      [i18n.t('column.citation'), i18n.t('column.before'), i18n.t('column.now')],
      diff.controls.map((c) => controlRow(ctx, c)),
    ),
    ...group(ctx, i18n.t('changes.waivers'), [i18n.t('column.waiver'), i18n.t('column.before'), i18n.t('column.now')], waiverRows(ctx, diff)),
  ];
  if (diff.components !== undefined) {
    const sboms = diff.components.filter((c) => c.sbom !== undefined || c.added.length + c.removed.length + c.versions.length > 0);
    blocks.push(
      ...group(
        ctx,
        i18n.t('changes.components'),
        [i18n.t('column.image'), i18n.t('column.before'), i18n.t('column.now')],
        sboms.map((c) => ({
          cells: [
            c.subject,
            c.sbom === undefined ? '—' : i18n.t('changes.sbom', { grade: c.sbom.old.grade, components: c.sbom.old.components }),
            [
              c.sbom === undefined ? '' : i18n.t('changes.sbom', { grade: c.sbom.new.grade, components: c.sbom.new.components }),
              `\n${i18n.t('changes.packages', { added: c.added.length, removed: c.removed.length, versions: c.versions.length })}`,
            ],
          ],
        })),
      ),
    );
  }
  return { id: 'changes', title: i18n.t('section.changes'), newPage: false, inContents: true, blocks };
}

function group(ctx: Context, title: string, headers: readonly string[], rows: readonly Row[]): Block[] {
  const { i18n } = ctx;
  const heading: Block = { type: 'heading', level: 3, text: `${title} (${i18n.count(rows.length)})` };
  if (rows.length === 0) return [heading, { type: 'paragraph', style: 'muted', content: i18n.t('common.none') }];
  const columns: Column[] = headers.map((header, i) => ({ header, share: i === 0 ? 120 : 375 / (headers.length - 1) }));
  const blocks: Block[] = [heading, { type: 'table', small: true, columns, rows: rows.slice(0, ROW_LIMIT) }];
  if (rows.length > ROW_LIMIT) blocks.push({ type: 'paragraph', style: 'muted', content: i18n.t('common.andMoreInJson', { count: rows.length - ROW_LIMIT }) });
  return blocks;
}

function imageRows(ctx: Context, diff: ReportDiff): Row[] {
  const { i18n } = ctx;
  const i = diff.images;
  return [
    ...i.added.map((x) => ({ cells: [x.id, i18n.t('changes.absent'), [`${x.ref}@${x.digest} `, badge(subjectStatus(i18n, x.status))]] as Rich[] })),
    ...i.removed.map((x) => ({ cells: [x.id, [`${x.ref}@${x.digest} `, badge(subjectStatus(i18n, x.status))], i18n.t('changes.absent')] as Rich[] })),
    ...i.changed.map((x) => ({ cells: [x.id, `${x.old.ref}@${x.old.digest}`, `${x.new.ref}@${x.new.digest}`] })),
    ...i.status.map((x) => ({ cells: [x.id, [badge(subjectStatus(i18n, x.old))], [badge(subjectStatus(i18n, x.new))]] as Rich[] })),
  ];
}

function findingColumns(ctx: Context): string[] {
  const { i18n } = ctx;
  return [i18n.t('column.finding'), i18n.t('column.before'), i18n.t('column.now')];
}

function findingRow(ctx: Context, f: FindingChange): Row {
  const { i18n } = ctx;
  const status = (s: FindingChange['old']): Rich => (s === undefined ? i18n.t('changes.absent') : [badge(findingStatus(i18n, s))]);
  return { cells: [`${f.subject}: ${f.checkId}`, status(f.old), [...status(f.new), `\n${f.message}${f.code === undefined ? '' : ` [${f.code}]`}`]] };
}

function controlRow(ctx: Context, c: ControlChange): Row {
  const { i18n } = ctx;
  const state = (s: ControlChange['old']): Rich =>
    s === undefined
      ? i18n.t('changes.absent')
      : [badge(controlStatus(i18n, s.status)), ` ${i18n.t('frameworks.coverage', { passed: s.passed, total: s.total })}`];
  return { cells: [`${c.citation} (${c.framework})`, state(c.old), state(c.new)] };
}

function waiverRows(ctx: Context, diff: ReportDiff): Row[] {
  const { i18n } = ctx;
  const text = (w: WaiverBrief) => i18n.t('changes.waiver', { start: w.start, expires: w.expires, covers: w.covers });
  const w = diff.waivers;
  return [
    ...w.added.map((x) => ({ cells: [x.id, i18n.t('changes.absent'), text(x)] })),
    ...w.removed.map((x) => ({ cells: [x.id, text(x), i18n.t('changes.absent')] })),
    ...w.expired.map((x) => ({
      cells: [x.id, text(x), [{ text: i18n.t('waiverState.expired'), tone: 'bad' as const, bold: true }, ` ${x.expires}`]] as Rich[],
    })),
    ...w.changed.map((x) => ({ cells: [x.id, text(x.old), text(x.new)] })),
  ];
}
