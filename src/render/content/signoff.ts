/** The sign-off page: who prepared, reviewed and approved the report, with dates, to fill in or print and sign. */
import type { Section } from './blocks.js';
import type { Context } from './context.js';
import { periodWords } from './cover.js';

export function signoffSection(ctx: Context): Section {
  const { i18n, report } = ctx;
  return {
    id: 'signoff',
    title: i18n.t('section.signoff'),
    newPage: true,
    inContents: true,
    blocks: [
      { type: 'paragraph', content: i18n.t('signoff.intro', { organisation: report.run.organisation, period: periodWords(ctx) }) },
      {
        type: 'facts',
        small: true,
        rows: [
          [i18n.t('signoff.configuration'), [{ text: report.run.configSha256, mono: true }]],
          [i18n.t('signoff.sealKey'), report.seal === undefined ? i18n.t('signoff.notSealed') : [{ text: report.seal.keyFingerprint, mono: true }]],
        ],
      },
      {
        type: 'signoff',
        roles: [i18n.t('signoff.prepared'), i18n.t('signoff.reviewed'), i18n.t('signoff.approved')],
        columns: [i18n.t('signoff.role'), i18n.t('signoff.name'), i18n.t('signoff.date'), i18n.t('signoff.signature')],
      },
      { type: 'paragraph', style: 'muted', content: i18n.t('signoff.note') },
    ],
  };
}
