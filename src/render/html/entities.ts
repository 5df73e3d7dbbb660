/**
 * Entity profiles in words, for the run header (`run.profile`) and each
 * framework's `appliesTo`. A value this table does not know is shown as given.
 */
const ENTITY_WORDS: Record<string, string> = {
  'financial-entity': 'financial entity',
  'nis2-essential': 'NIS2 essential entity',
  'nis2-important': 'NIS2 important entity',
  manufacturer: 'manufacturer',
  'hds-host': 'health-data host (HDS)',
  'card-data': 'entity handling payment-card data',
  'us-federal-supplier': 'US federal supplier',
  any: 'any entity',
};

export function entityWords(types: readonly string[]): string[] {
  return types.map((type) => (Object.hasOwn(ENTITY_WORDS, type) ? (ENTITY_WORDS[type] ?? type) : type));
}
