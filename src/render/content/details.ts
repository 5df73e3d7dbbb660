/** Labels of the facts checks establish (`Finding.details` keys), in the reader's language. */
import type { I18n } from '../../report/i18n.js';
import { DETAIL_LABELS_FR } from '../../report/ui-strings.fr.js';

/** The check's own label in English; its translation where the French table has one; any other label as given. */
export function detailLabel(i18n: I18n, key: string): string {
  if (i18n.locale === 'fr') return DETAIL_LABELS_FR[key] ?? key;
  return key;
}

/** Known detail keys the per-image evidence rows pick facts from (the checks' own labels). */
export const DETAIL = {
  source: 'source',
  key: 'key',
  fingerprint: 'key fingerprint (SHA-256 of SPKI)',
  logIndex: 'transparency log index',
  signingTime: 'signing time',
  signer: 'signer identity (certificate SAN)',
  run: 'run',
  event: 'event',
  branch: 'branch',
  commit: 'commit',
  specVersion: 'spec version',
  components: 'components',
} as const;
