/**
 * Trust material (the keys and trusted root signatures were checked against,
 * identified by digest), what signing times and CI exports are worth, and the
 * inputs auditpack could not use, so the auditor knows what it did not see.
 */
import { anchor } from './anchors.js';
import type { Block, Section } from './blocks.js';
import type { Context } from './context.js';
import { populationLimit } from './population.js';
import { trustNotes } from './trust-notes.js';

export function trustSection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const { keys, trustedRoot } = report.trust;
  const blocks: Block[] = [{ type: 'heading', level: 3, text: i18n.t('trust.keys') }];
  if (keys.length === 0) blocks.push({ type: 'paragraph', content: i18n.t('trust.noKeys') });
  else {
    blocks.push({
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.key'), share: 90 },
        { header: i18n.t('column.fingerprint'), share: 245, mono: true },
        { header: i18n.t('column.valid'), share: 160 },
      ],
      rows: keys.map((key) => ({
        anchor: anchor('key', key.id),
        cells: [
          [{ text: key.id, bold: true }, `\n${key.algorithm}\n`, { text: key.path, file: key.path }],
          [{ text: key.fingerprint, mono: true }],
          i18n.t('trust.validity', {
            from: key.validFrom === undefined ? '—' : i18n.instant(key.validFrom),
            until: key.validUntil === undefined ? '—' : i18n.instant(key.validUntil),
          }),
        ],
      })),
    });
  }
  blocks.push({ type: 'heading', level: 3, text: i18n.t('trust.root') });
  if (trustedRoot === undefined) blocks.push({ type: 'paragraph', content: i18n.t('trust.noRoot') });
  else {
    blocks.push({
      type: 'facts',
      small: true,
      rows: [
        [i18n.t('trust.rootFile'), trustedRoot.path],
        [i18n.t('column.sha256'), [{ text: trustedRoot.sha256, mono: true }]],
        [i18n.t('trust.tlogs'), i18n.count(trustedRoot.tlogs)],
      ],
    });
  }
  const notes = trustNotes(ctx);
  if (notes.length > 0)
    blocks.push({ type: 'heading', level: 3, text: i18n.t('trust.notes') }, ...notes.map((n): Block => ({ type: 'paragraph', style: 'small', content: n })));
  blocks.push(
    { type: 'heading', level: 3, text: i18n.t('trust.limits') },
    {
      type: 'list',
      style: 'small',
      items: [populationLimit(ctx), i18n.t('limits.support'), i18n.t('limits.sbom'), i18n.t('limits.ci'), i18n.t('limits.manual'), i18n.t('limits.time')],
    },
  );
  blocks.push({ type: 'heading', level: 3, anchor: 'problems', text: i18n.t('trust.problems', { count: report.problems.length }) });
  if (report.problems.length === 0) blocks.push({ type: 'paragraph', content: i18n.t('trust.noProblems') });
  else {
    blocks.push({
      type: 'table',
      small: true,
      columns: [
        { header: i18n.t('column.file'), share: 150 },
        { header: i18n.t('column.code'), share: 110 },
        { header: i18n.t('column.reason'), share: 175 },
        { header: i18n.t('column.image'), share: 60 },
      ],
      rows: report.problems.map((p) => ({ cells: [p.file, [{ text: p.code, mono: true }], p.reason, p.subject ?? '—'] })),
    });
  }
  return { id: 'trust', title: i18n.t('section.trust'), newPage: false, inContents: true, blocks };
}
