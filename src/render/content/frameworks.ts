/**
 * Frameworks as a matrix: per framework, one row per clause with its exact
 * citation, status, coverage and the strength of its strongest mapping, shown
 * apart. Each citation links to the clause's full text in the appendix.
 */
import type { ControlResult, ControlStatus, FrameworkResult } from '../../report/model.js';
import { CONTROL_STATUSES } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Rich, Row, Section } from './blocks.js';
import type { Context } from './context.js';
import { badge, controlStatus, entityType, strength } from './words.js';

export function frameworksSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const blocks: Block[] = [
    { type: 'paragraph', style: 'muted', content: i18n.t('frameworks.intro') },
    { type: 'facts', small: true, rows: CONTROL_STATUSES.map((s) => [controlStatus(i18n, s).text, i18n.t(`controlMeaning.${s}`)] as const) },
  ];
  if (report.frameworks.length === 0) blocks.push({ type: 'paragraph', content: i18n.t('cover.noFramework') });
  else blocks.push(matrix(ctx));
  for (const framework of report.frameworks) blocks.push(...frameworkBlocks(ctx, framework));
  return { id: 'frameworks', title: i18n.t('section.frameworks'), newPage: false, inContents: true, blocks };
}

/** The clause's title in the reader's language, when the catalog gives one. */
export function controlTitle(ctx: Context, control: ControlResult): string {
  return ctx.i18n.locale === 'fr' && control.titleFr !== undefined ? control.titleFr : control.title;
}

function frameworkBlocks(ctx: Context, framework: FrameworkResult): Block[] {
  const { i18n } = ctx;
  const binds = framework.appliesTo.length > 0 ? i18n.list(framework.appliesTo.map((t) => entityType(i18n, t))) : i18n.t('frameworks.notStated');
  return [
    { type: 'heading', level: 2, anchor: anchor('framework', framework.id), bookmark: true, text: framework.title },
    {
      type: 'paragraph',
      style: 'small',
      content: [
        i18n.t('frameworks.summary', { version: framework.version, binds, count: framework.controls.length }),
        ' ',
        statusCounts(ctx, framework.controls),
        ' ',
        { text: i18n.t('frameworks.applicability'), link: anchor('framework', framework.id, 'text') },
      ],
    },
    {
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.citation'), share: 165 },
        { header: i18n.t('column.title'), share: 122 },
        { header: i18n.t('column.status'), share: 110 },
        { header: i18n.t('column.coverage'), share: 40 },
        { header: i18n.t('column.strength'), share: 58 },
      ],
      rows: framework.controls.map((c) => controlRow(ctx, framework.id, c)),
    },
  ];
}

/** Framework × status: how many clauses of each framework have each status, each framework linked to its table. */
function matrix(ctx: Context): Block {
  const { report, i18n } = ctx;
  const statusShare = 52;
  return {
    type: 'table',
    small: true,
    caption: i18n.t('frameworks.matrixCaption'),
    columns: [
      { header: i18n.t('column.framework'), share: 495 - statusShare * CONTROL_STATUSES.length - 40 },
      ...CONTROL_STATUSES.map((s) => ({ header: controlStatus(i18n, s).text, share: statusShare, numeric: true })),
      { header: i18n.t('column.clauses'), share: 40, numeric: true },
    ],
    rows: report.frameworks.map((f) => {
      const counts = countByStatus(f.controls);
      return {
        cells: [
          [{ text: f.title, link: anchor('framework', f.id) }],
          ...CONTROL_STATUSES.map((s): Rich => {
            const n = counts.get(s) ?? 0;
            return n === 0 ? '—' : [{ text: i18n.count(n), ...(s === 'not-supported' ? { tone: 'bad' as const, bold: true } : {}) }];
          }),
          i18n.count(f.controls.length),
        ],
      };
    }),
  };
}

function countByStatus(controls: readonly ControlResult[]): Map<ControlStatus, number> {
  const counts = new Map<ControlStatus, number>();
  for (const c of controls) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return counts;
}

function statusCounts(ctx: Context, controls: readonly ControlResult[]): string {
  const counts = countByStatus(controls);
  return (
    ctx.i18n.list(
      CONTROL_STATUSES.filter((s) => counts.has(s)).map((s) => `${ctx.i18n.count(counts.get(s) ?? 0)} ${controlStatus(ctx.i18n, s).text.toLowerCase()}`),
    ) + '.'
  );
}

function controlRow(ctx: Context, frameworkId: string, control: ControlResult): Row {
  const { i18n } = ctx;
  return {
    cells: [
      [{ text: control.citation, link: anchor('control', frameworkId, control.id) }],
      controlTitle(ctx, control),
      [badge(controlStatus(i18n, control.status))],
      control.status === 'not-applicable' || control.manualOnly
        ? '—'
        : i18n.t('frameworks.coverage', { passed: control.coverage.passed, total: control.coverage.total }),
      [control.strength === null ? '—' : strength(i18n, control.strength), ...notes(ctx, control)],
    ],
  };
}

/** What else the row must say: manual only, a date from which it applies (when within or after the period), waivers, statements. */
function notes(ctx: Context, control: ControlResult): string[] {
  const { i18n } = ctx;
  const lines: string[] = [];
  if (control.manualOnly) lines.push(i18n.t('frameworks.manualOnly'));
  if (control.appliesFrom !== undefined && control.appliesFrom > ctx.report.run.period.start.slice(0, 10))
    lines.push(i18n.t('frameworks.appliesFrom', { date: control.appliesFrom }));
  if (control.waivedSubjects.length > 0) lines.push(i18n.t('frameworks.waived', { count: control.waivedSubjects.length }));
  if (control.manualEvidence.length > 0) lines.push(i18n.t('frameworks.statements', { count: control.manualEvidence.length }));
  return lines.map((line) => `\n${line}`);
}
