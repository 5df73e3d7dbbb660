/**
 * Per image present in both reports: which packages and licences its SBOM
 * gained and lost (from the bundles' inventories) and how its SBOM grade and
 * size moved (from the reports' SBOM sections). Images added or removed are
 * reported as such, not as hundreds of component lines.
 */
import type { Report } from '../report/model.js';
import type { ComponentChange } from './diff-model.js';
import type { EstateInventory, ImageInventory } from './inventory.js';
import { byKey, sortedUnion } from './keys.js';

const EMPTY: ImageInventory = { packages: new Map(), licences: new Set() };

export function diffComponents(a: Report, b: Report, oldInventory: EstateInventory, newInventory: EstateInventory): ComponentChange[] {
  const oldSboms = byKey(a.sboms.entries, (e) => e.subject);
  const newSboms = byKey(b.sboms.entries, (e) => e.subject);
  const inBoth = b.subjects
    .map((s) => s.id)
    .filter((id) => a.subjects.some((s) => s.id === id))
    .sort();
  const changes: ComponentChange[] = [];
  for (const subject of inBoth) {
    const o = oldInventory.get(subject) ?? EMPTY;
    const n = newInventory.get(subject) ?? EMPTY;
    const change: ComponentChange = { subject, added: [], removed: [], versions: [], licencesAdded: [], licencesRemoved: [] };
    for (const pkg of sortedUnion(o.packages.keys(), n.packages.keys())) {
      const before = o.packages.get(pkg);
      const after = n.packages.get(pkg);
      if (!before && after) change.added.push({ package: pkg, versions: after });
      else if (before && !after) change.removed.push({ package: pkg, versions: before });
      else if (before && after && before.join('\n') !== after.join('\n')) change.versions.push({ package: pkg, old: before, new: after });
    }
    change.licencesAdded = [...n.licences].filter((l) => !o.licences.has(l)).sort();
    change.licencesRemoved = [...o.licences].filter((l) => !n.licences.has(l)).sort();
    const os = oldSboms.get(subject);
    const ns = newSboms.get(subject);
    if ((os?.grade ?? '') !== (ns?.grade ?? '') || (os?.components ?? 0) !== (ns?.components ?? 0)) {
      change.sbom = {
        old: { grade: os?.grade ?? 'none', components: os?.components ?? 0 },
        new: { grade: ns?.grade ?? 'none', components: ns?.components ?? 0 },
      };
    }
    const empty = [change.added, change.removed, change.versions, change.licencesAdded, change.licencesRemoved].every((l) => l.length === 0);
    if (!empty || change.sbom) changes.push(change);
  }
  return changes;
}
