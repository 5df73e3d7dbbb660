import type { Check } from '../checks/types.js';
import type { EntityProfile } from '../config/schema.js';
import type { Catalog } from '../frameworks/catalog.js';
import { effectiveStrength, profileConditions } from '../frameworks/conditions.js';
import type { CrosswalkRow } from '../report/model.js';

/**
 * For each check, the controls it supports in every catalog: one evidence,
 * many frameworks. Strengths are those that apply to the entity profile
 * (a conditional `full` stays at its cautious strength unless the profile states the condition). Pure.
 */
export function buildCrosswalk(checks: readonly Check[], catalogs: Catalog[], profile?: EntityProfile): CrosswalkRow[] {
  const conditions = profileConditions(profile);
  return checks.map((check) => ({
    checkId: check.id,
    checkTitle: check.title,
    controls: Object.fromEntries(
      catalogs.map((catalog) => [
        catalog.id,
        catalog.controls.flatMap((control) =>
          control.support
            .filter((s) => s.check === check.id)
            .map((s) => ({ control: control.id, citation: control.citation, strength: effectiveStrength(s, conditions) })),
        ),
      ]),
    ),
  }));
}
