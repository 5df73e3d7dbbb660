/**
 * Page 1: whose estate, which period, the verdict, one row per image with the
 * one-line reason of its fault, and the scope and limits of the evidence.
 * Generator and library versions are in the last appendix.
 */
import type { Report, SubjectResult } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Rich, Row, Section } from './blocks.js';
import { shortDigest, type Context } from './context.js';
import { populationScopeLine } from './population.js';
import { timingCounts } from './timing.js';
import { badge, faultLine, subjectStatus, verdict } from './words.js';

/** Images listed on page 1; a larger estate lists the ones that need attention, and all are in "Evidence per image". */
export const COVER_IMAGE_LIMIT = 20;

export function coverSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const { run, summary } = report;
  const word = verdict(i18n, summary.verdict);
  const attention = summary.subjects.total - summary.subjects.verified;
  const blocks: Block[] = [
    {
      type: 'facts',
      rows: [
        [i18n.t('cover.organisation'), [{ text: run.organisation, bold: true }]],
        [i18n.t('cover.period'), periodWords(ctx)],
        [
          i18n.t('cover.generated'),
          i18n.t('cover.generatedValue', { at: i18n.instant(run.generatedAt), generator: `${report.generator.name} ${report.generator.version}` }),
        ],
        [i18n.t('cover.frameworks'), frameworkWords(ctx)],
        [i18n.t('cover.seal'), sealWords(ctx)],
      ],
    },
    {
      type: 'heading',
      level: 2,
      text: [
        i18n.t('cover.verdict'),
        ' ',
        badge(word),
        ` — ${i18n.t(summary.verdict === 'pass' ? 'cover.verdictPass' : 'cover.verdictFail', { attention, total: summary.subjects.total })}`,
      ],
    },
    ...imagesBlocks(ctx),
    ...changesBlocks(ctx),
    { type: 'heading', level: 3, text: i18n.t('cover.scopeTitle') },
    { type: 'list', style: 'small', items: scopeLines(ctx) },
    { type: 'paragraph', style: 'small', content: glanceLine(ctx) },
  ];
  return { id: 'summary', title: i18n.t('doc.title'), newPage: false, inContents: false, blocks };
}

/** "2026-Q2: 1 April 2026 to 30 June 2026 inclusive (UTC)": the end instant is excluded, so the last day is the day before. */
export function periodWords(ctx: Context): string {
  const { period } = ctx.report.run;
  const end = new Date(period.end).getTime();
  const lastDay = Number.isNaN(end) ? period.end : new Date(end - 1).toISOString();
  return ctx.i18n.t('cover.periodValue', {
    label: period.label,
    first: ctx.i18n.day(period.start, period.zone),
    last: ctx.i18n.day(lastDay, period.zone),
    zone: period.zone,
  });
}

function frameworkWords(ctx: Context): Rich {
  const { report, i18n } = ctx;
  if (report.frameworks.length === 0) return i18n.t('cover.noFramework');
  return report.frameworks.flatMap((f, i) => [...(i > 0 ? ['; '] : []), { text: f.title, link: anchor('framework', f.id) }]);
}

/** The seal key's fingerprint, to compare with the one the organisation gave through another channel; how to check it is in Appendix C. */
function sealWords(ctx: Context): Rich {
  const { report, i18n } = ctx;
  const how = { text: i18n.t('cover.sealHow'), link: 'appendix-verify' };
  if (report.seal === undefined) return [{ text: i18n.t('cover.notSealed'), tone: 'bad', bold: true }, ' ', how];
  return [{ text: report.seal.keyFingerprint, mono: true }, ` (${report.seal.algorithm}) `, how];
}

function imagesBlocks(ctx: Context): Block[] {
  const { report, i18n } = ctx;
  if (report.subjects.length === 0) return [{ type: 'paragraph', content: i18n.t('cover.noImages') }];
  const listed =
    report.subjects.length <= COVER_IMAGE_LIMIT ? report.subjects : report.subjects.filter((s) => s.status !== 'verified').slice(0, COVER_IMAGE_LIMIT);
  const blocks: Block[] = [];
  if (listed.length > 0) {
    blocks.push({
      type: 'table',
      columns: [
        { header: i18n.t('column.image'), share: 95 },
        { header: i18n.t('column.digest'), share: 96, mono: true },
        { header: i18n.t('column.status'), share: 58 },
        { header: i18n.t('column.reason'), share: 246 },
      ],
      rows: listed.map((s) => imageRow(ctx, s)),
    });
  }
  const unlisted = report.subjects.length - listed.length;
  if (unlisted > 0) {
    blocks.push({
      type: 'paragraph',
      style: 'muted',
      content: [i18n.t('cover.moreImages', { count: unlisted }), ' ', { text: i18n.t('section.images'), link: 'images' }],
    });
  }
  return blocks;
}

/** With `--previous`: what changed since the previous period, in one line linked to the section that details it. */
function changesBlocks(ctx: Context): Block[] {
  const { report, i18n } = ctx;
  const diff = report.changes;
  if (diff === undefined) return [];
  const line = i18n.t('cover.changes', {
    period: diff.old.period,
    added: diff.images.added.length,
    removed: diff.images.removed.length,
    failures: diff.findings.newFailures.length,
    fixed: diff.findings.fixed.length,
    expired: diff.waivers.expired.length,
  });
  return [{ type: 'paragraph', style: diff.regression ? 'bad' : 'strong', content: [line, ' ', { text: i18n.t('section.changes'), link: 'changes' }] }];
}

function imageRow(ctx: Context, subject: SubjectResult): Row {
  const { i18n } = ctx;
  return {
    cells: [
      [{ text: subject.id, link: anchor('image', subject.id), bold: true }],
      [shortDigest(subject.digest)],
      [badge(subjectStatus(i18n, subject.status))],
      reasonCell(ctx, subject),
    ],
  };
}

/** The one-line reason: the first cause's fault, how many more causes there are, and a waiver in force on it. */
export function reasonCell(ctx: Context, subject: SubjectResult): Rich {
  const { i18n } = ctx;
  const causes = ctx.causes.get(subject.id) ?? [];
  const first = causes[0];
  if (first === undefined) {
    const passed = (ctx.bySubject.get(subject.id) ?? []).filter((f) => f.status === 'pass').length;
    return subject.status === 'verified' ? i18n.t('cover.allPassed', { count: passed }) : i18n.t('cover.noFault');
  }
  const parts: Rich[number][] = [{ text: faultLine(i18n, first.root), link: anchor('issues', subject.id) }];
  if (causes.length > 1) parts.push(` ${i18n.t('cover.moreCauses', { count: causes.length - 1 })}`);
  const waiver = first.root.waiver;
  if (waiver?.inForce === true) parts.push({ text: ` ${i18n.t('cover.waived', { id: waiver.id })}`, tone: 'partial' });
  return parts;
}

function scopeLines(ctx: Context): Rich[] {
  const { report, i18n } = ctx;
  const lines: Rich[] = [
    populationScopeLine(ctx),
    i18n.t(report.trust.trustedRoot === undefined ? 'scope.signaturesKeyOnly' : 'scope.signatures', { keys: report.trust.keys.length }),
  ];
  if (report.trust.ci !== undefined) lines.push(i18n.t('scope.ci'));
  lines.push(i18n.t('scope.limits'));
  lines.push([i18n.t('scope.more'), ' ', { text: i18n.t('section.trust'), link: 'trust' }]);
  return lines;
}

function glanceLine(ctx: Context): string {
  const { report, i18n } = ctx;
  const s: Report['summary'] = report.summary;
  return i18n.t('cover.glance', {
    pass: s.findings.pass,
    fail: s.findings.fail,
    error: s.findings.error,
    na: s.findings['not-applicable'],
    waived: s.waived,
    evidence: report.evidence.length,
    flagged: timingCounts(report.evidence).flagged,
    problems: s.problems,
    claims: report.claims.length,
  });
}
