/**
 * Statements people gave for what automation cannot show, apart from the
 * evidence auditpack verified and headed as what they are: who said what and
 * when, and the digest of any document they point to. None of it is verified.
 */
import { anchor } from './anchors.js';
import type { Block, Section, Span } from './blocks.js';
import type { Context } from './context.js';

export function manualSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const blocks: Block[] = [{ type: 'paragraph', style: 'strong', content: i18n.t('manual.intro') }];
  if (report.manualEvidence.length === 0) blocks.push({ type: 'paragraph', content: i18n.t('manual.none') });
  else {
    blocks.push({
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.statement'), share: 200 },
        { header: i18n.t('column.givenBy'), share: 95 },
        { header: i18n.t('column.document'), share: 110 },
        { header: i18n.t('column.controls'), share: 90 },
      ],
      rows: report.manualEvidence.map((m) => ({
        anchor: anchor('statement', m.id),
        cells: [
          [{ text: m.id, bold: true }, `\n${m.statement}`],
          `${m.givenBy}\n${m.givenAt}${m.reference === undefined ? '' : `\n${m.reference}`}`,
          m.document === undefined
            ? i18n.t('manual.noDocument')
            : [
                ctx.evidence.has(m.document.sha256) ? { text: m.document.source, link: anchor('evidence', m.document.sha256) } : m.document.source,
                '\n',
                { text: m.document.sha256, mono: true },
              ],
          m.controls.flatMap((id, i): (string | Span)[] => {
            const control = ctx.controls.get(id);
            return [
              ...(i > 0 ? ['\n'] : []),
              control === undefined ? `${id} (${i18n.t('manual.notInReport')})` : { text: control.citation, link: control.anchor },
            ];
          }),
        ],
      })),
    });
  }
  return { id: 'manual', title: i18n.t('section.manual'), newPage: false, inContents: true, blocks };
}
