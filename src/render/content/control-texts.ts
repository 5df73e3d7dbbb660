/**
 * Appendix: the full text behind each row of the matrix: to whom the
 * framework applies, and per clause why it has its status, our paraphrase of
 * it, what this evidence cannot show, and how each check bears on it.
 */
import type { ControlResult, FrameworkResult } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Section, Span } from './blocks.js';
import type { Context } from './context.js';
import { controlTitle } from './frameworks.js';
import { webLink } from './web-links.js';
import { badge, checkTitle, conditionWords, controlStatus, strength } from './words.js';

export function controlTextsSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const blocks: Block[] = [{ type: 'paragraph', style: 'muted', content: i18n.t('texts.intro') }];
  for (const framework of report.frameworks) blocks.push(...frameworkBlocks(ctx, framework));
  if (report.frameworks.length === 0) blocks.push({ type: 'paragraph', content: i18n.t('cover.noFramework') });
  return { id: 'appendix-controls', title: i18n.t('section.controlTexts'), newPage: false, inContents: true, appendix: true, blocks };
}

function frameworkBlocks(ctx: Context, framework: FrameworkResult): Block[] {
  const { i18n } = ctx;
  return [
    { type: 'heading', level: 2, anchor: anchor('framework', framework.id, 'text'), bookmark: true, text: framework.title },
    {
      type: 'paragraph',
      style: 'small',
      content: [
        `${i18n.t('texts.version')} ${framework.version}. `,
        ...(framework.celex === undefined ? [] : [`CELEX ${framework.celex}. `]),
        `${i18n.t('texts.applicability')} ${framework.applicability} `,
        webLink(framework.source),
      ],
    },
    ...framework.controls.flatMap((c) => controlBlocks(ctx, framework, c)),
  ];
}

/**
 * One paragraph per clause, its citation and title run in: the status (the
 * matrix gives coverage and strength; the reason is given where the status
 * says the clause does not apply or cannot be assessed), our paraphrase, what
 * this evidence cannot show, and the conditions a mapping's strength depends
 * on. Which checks support it, and how strongly, is in the crosswalk.
 */
function controlBlocks(ctx: Context, framework: FrameworkResult, control: ControlResult): Block[] {
  const { i18n } = ctx;
  const title = controlTitle(ctx, control);
  const other = i18n.locale === 'fr' ? control.title : control.titleFr;
  const label = (key: 'texts.paraphrase' | 'texts.notCovered'): Span => ({ text: `${i18n.t(key)} `, bold: true });
  const explained = control.status === 'not-applicable' || control.status === 'not-assessed';
  const content: (string | Span)[] = [
    { text: `${control.citation} — ${title}${other !== undefined && other !== title ? ` (${other})` : ''}`, bold: true },
    '  ',
    badge(controlStatus(i18n, control.status)),
    explained ? `: ${statusReason(ctx, control)}. ` : '. ',
    label('texts.paraphrase'),
    `${control.paraphrase} `,
  ];
  if (control.notCovered.length > 0) content.push(label('texts.notCovered'), `${control.notCovered.join(' · ')}. `);
  content.push(...conditions(ctx, control), ...extras(ctx, control, framework.source));
  return [{ type: 'paragraph', style: 'small', anchor: anchor('control', framework.id, control.id), content }];
}

/** Why the status is what it is: the engine's own sentence in English; rebuilt from the same facts in another language. */
export function statusReason(ctx: Context, control: ControlResult): string {
  const { i18n } = ctx;
  const coverage = { passed: control.coverage.passed, total: control.coverage.total };
  switch (control.status) {
    case 'not-applicable':
      // The engine's sentence names the profile condition or date; other languages say it in general words.
      if (i18n.locale === 'en') return control.statusReason;
      return control.appliesFrom !== undefined && control.appliesFrom >= ctx.report.run.period.end.slice(0, 10)
        ? i18n.t('reason.appliesFrom', { date: control.appliesFrom })
        : i18n.t('reason.notApplicable');
    case 'not-assessed':
      return i18n.t(control.manualOnly ? 'reason.manualOnly' : 'reason.noEvidence');
    case 'not-supported':
      return i18n.t('reason.notSupported');
    default:
      return i18n.t(`reason.${control.status}`, { ...coverage, strength: strength(i18n, control.strength) });
  }
}

/** The mappings that are full only under an entity-profile condition, and whether the profile states it. */
function conditions(ctx: Context, control: ControlResult): (string | Span)[] {
  const { i18n } = ctx;
  return control.support
    .filter((s) => s.fullWhen !== undefined)
    .flatMap((s) => [
      { text: `${checkTitle(i18n, s.checkId, s.checkTitle)}: `, bold: true },
      `${i18n.t(s.fullWhen?.met === true ? 'texts.fullWhenMet' : 'texts.fullWhenNotMet', { condition: conditionWords(i18n, s.fullWhen?.condition ?? '') })}. `,
    ]);
}

/** Waivers and statements recorded against the clause, and its source when it is not the framework's. */
function extras(ctx: Context, control: ControlResult, frameworkSource: string): (string | Span)[] {
  const { i18n } = ctx;
  const parts: (string | Span)[] = [];
  if (control.waivedSubjects.length > 0) parts.push({ text: i18n.t('texts.waivedFor', { images: i18n.list(control.waivedSubjects) }), tone: 'partial' });
  for (const id of control.manualEvidence) {
    parts.push(parts.length > 0 ? ' · ' : '', i18n.t('texts.statement'), ' ', { text: id, link: anchor('statement', id) });
  }
  if (control.manualOnly && control.manualEvidence.length === 0) parts.push(i18n.t('texts.noStatement'));
  if (control.source !== frameworkSource) parts.push(parts.length > 0 ? ' · ' : '', webLink(control.source));
  return parts;
}
