/**
 * What signing times and CI exports are worth, in the same words in every
 * format: whether signatures needed a verified time, and that CI exports are
 * unsigned operator evidence, bound as configured.
 */
import type { Context } from './context.js';

export function trustNotes(ctx: Context): string[] {
  const { i18n, report } = ctx;
  const { requireSignedTime, ci } = report.trust;
  const notes: string[] = [];
  if (requireSignedTime === true) notes.push(i18n.t('trust.signedTimeRequired'));
  else if (requireSignedTime === false) notes.push(i18n.t('trust.signedTimeOptional'));
  if (ci) {
    const repository = ci.repositoryId === undefined ? ci.repository : i18n.t('trust.ciRepositoryId', { repository: ci.repository, id: ci.repositoryId });
    notes.push(i18n.t('trust.ci', { system: ci.system, repository, events: i18n.list(ci.events, 'or'), branches: i18n.list(ci.branches, 'or') }));
  }
  return notes;
}
