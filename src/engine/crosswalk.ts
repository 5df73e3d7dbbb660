import type { Check } from '../checks/types.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { CrosswalkRow } from '../report/model.js';

/** For each check, the controls it supports in every catalog: one evidence, many frameworks. Pure. */
export function buildCrosswalk(checks: readonly Check[], catalogs: Catalog[]): CrosswalkRow[] {
  return checks.map((check) => ({
    checkId: check.id,
    checkTitle: check.title,
    controls: Object.fromEntries(
      catalogs.map((catalog) => [
        catalog.id,
        catalog.controls.flatMap((control) =>
          control.support.filter((s) => s.check === check.id).map((s) => ({ control: control.id, citation: control.citation, strength: s.strength })),
        ),
      ]),
    ),
  }));
}
