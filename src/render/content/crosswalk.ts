/**
 * Check × framework: for each check, the clauses it supports in each framework
 * of the report, with how strongly. An auditor who trusts one check sees at
 * once what it counts towards, and that a check counts towards nothing.
 */
import { compareText } from './anchors.js';
import type { Strength } from '../../report/model.js';
import type { Block, Rich, Section, Span } from './blocks.js';
import type { Context } from './context.js';
import { checkTitle, strength } from './words.js';

/** Framework columns per table; more frameworks continue in a further table. */
const FRAMEWORKS_PER_TABLE = 3;

export function crosswalkSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const known = new Set(report.frameworks.map((f) => f.id));
  const extra = [...new Set(report.crosswalk.flatMap((row) => Object.keys(row.controls)))].filter((id) => !known.has(id)).sort(compareText);
  const columns = [...report.frameworks.map((f) => ({ id: f.id, title: f.id.toUpperCase() })), ...extra.map((id) => ({ id, title: id }))];
  const blocks: Block[] = [{ type: 'paragraph', style: 'muted', content: i18n.t('crosswalk.intro') }];
  if (report.crosswalk.length === 0 || columns.length === 0) {
    blocks.push({ type: 'paragraph', content: i18n.t(report.crosswalk.length === 0 ? 'crosswalk.none' : 'cover.noFramework') });
  }
  for (let i = 0; i < columns.length && report.crosswalk.length > 0; i += FRAMEWORKS_PER_TABLE) {
    const slice = columns.slice(i, i + FRAMEWORKS_PER_TABLE);
    blocks.push({
      type: 'table',
      small: true,
      columns: [{ header: i18n.t('column.check'), share: 105 }, ...slice.map((c) => ({ header: c.title, share: 390 / slice.length }))],
      rows: report.crosswalk.map((row) => ({
        cells: [
          [{ text: checkTitle(i18n, row.checkId, row.checkTitle), bold: true }, `\n${row.checkId}`],
          ...slice.map((c): Rich => cell(ctx, c.id, Object.hasOwn(row.controls, c.id) ? (row.controls[c.id] ?? []) : [])),
        ],
      })),
    });
  }
  return { id: 'crosswalk', title: i18n.t('section.crosswalk'), newPage: false, inContents: true, blocks };
}

/**
 * The clauses a check supports in one framework, grouped by act: the act
 * named once ("Regulation (EU) 2022/2554"), then each provision ("Art. 9(2)")
 * with the strength, linked to its text.
 */
function cell(ctx: Context, framework: string, controls: readonly { control: string; citation: string; strength: Strength }[]): Rich {
  if (controls.length === 0) return '—';
  const byAct = new Map<string, (string | Span)[]>();
  for (const x of controls) {
    const cut = x.citation.indexOf(', ');
    const [act, provision] = cut === -1 ? ['', x.citation] : [x.citation.slice(0, cut), x.citation.slice(cut + 2)];
    const target = ctx.controls.get(`${framework}/${x.control}`);
    const parts = byAct.get(act) ?? [];
    if (parts.length > 0) parts.push('; ');
    parts.push(target === undefined ? provision : { text: provision, link: target.anchor }, ` ${strength(ctx.i18n, x.strength)}`);
    byAct.set(act, parts);
  }
  return [...byAct].flatMap(([act, parts], i) => [...(i > 0 ? ['\n'] : []), ...(act === '' ? [] : [{ text: `${act}: `, muted: true }]), ...parts]);
}
