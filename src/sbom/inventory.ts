import { componentLicences, copyleftKind, spdxIdsOf, type ComponentLicences, type CopyleftKind } from './licences.js';
import { readPurl } from './purl.js';
import { listComponents, text } from './walk.js';

/** One component as the estate inventory lists it. */
export interface InventoryEntry {
  name: string;
  group: string;
  version: string;
  type: string;
  /** The purl type (npm, maven, deb, …), or 'unknown' without a valid purl. */
  ecosystem: string;
  purl: string;
  /** SPDX expressions and ids as written, then non-SPDX licence names. */
  licences: string[];
  /** The strongest copyleft among its licence ids, if any (see COPYLEFT_LICENCES). */
  copyleft: CopyleftKind | undefined;
}

export interface SbomInventory {
  /** The image or file the SBOM describes. */
  label: string;
  components: number;
  byType: Record<string, number>;
  byEcosystem: Record<string, number>;
  licences: {
    /** Components per SPDX licence id (ids inside expressions included). */
    spdxIds: Record<string, number>;
    /** Components per SPDX expression, as written. */
    expressions: Record<string, number>;
    /** Components per free-text licence name (not SPDX). */
    named: Record<string, number>;
    /** Components with no licence, or only an invalid expression: licence unknown. */
    unknown: number;
  };
  copyleft: Record<CopyleftKind, number>;
  entries: InventoryEntry[];
}

const COPYLEFT_ORDER: CopyleftKind[] = ['network', 'strong', 'weak'];

/** Counts by type, ecosystem and licence, and copyleft flags, for one SBOM. Deterministic: maps have sorted keys. */
export function inventorySbom(label: string, document: unknown): SbomInventory {
  const counts = {
    byType: new Map<string, number>(),
    byEcosystem: new Map<string, number>(),
    spdxIds: new Map<string, number>(),
    expressions: new Map<string, number>(),
    named: new Map<string, number>(),
  };
  const copyleft: Record<CopyleftKind, number> = { network: 0, strong: 0, weak: 0 };
  const entries: InventoryEntry[] = [];
  let unknown = 0;
  for (const { component } of listComponents(document)) {
    const licences = componentLicences(component);
    const entry = toEntry(component, licences);
    entries.push(entry);
    bump(counts.byType, entry.type);
    bump(counts.byEcosystem, entry.ecosystem);
    for (const id of new Set(spdxIdsOf(licences))) bump(counts.spdxIds, id);
    for (const e of new Set(licences.expressions.map((x) => x.expression))) bump(counts.expressions, e);
    for (const n of new Set(licences.named)) bump(counts.named, n);
    if (spdxIdsOf(licences).length === 0 && licences.named.length === 0) unknown += 1;
    if (entry.copyleft) copyleft[entry.copyleft] += 1;
  }
  return {
    label,
    components: entries.length,
    byType: sorted(counts.byType),
    byEcosystem: sorted(counts.byEcosystem),
    licences: { spdxIds: sorted(counts.spdxIds), expressions: sorted(counts.expressions), named: sorted(counts.named), unknown },
    copyleft,
    entries: entries.sort(compareEntries),
  };
}

function toEntry(component: Record<string, unknown>, licences: ComponentLicences): InventoryEntry {
  const purl = text(component.purl) ?? '';
  const kinds = new Set(spdxIdsOf(licences).map(copyleftKind));
  return {
    name: text(component.name) ?? '',
    group: text(component.group) ?? '',
    version: text(component.version) ?? '',
    type: text(component.type) ?? 'unknown',
    ecosystem: ecosystemOf(purl),
    purl,
    licences: [...licences.expressions.map((e) => e.expression), ...licences.ids, ...licences.named],
    copyleft: COPYLEFT_ORDER.find((k) => kinds.has(k)),
  };
}

function ecosystemOf(purl: string): string {
  if (purl === '') return 'unknown';
  const reading = readPurl(purl);
  return reading.ok ? reading.type : 'unknown';
}

/** Components found in at least `minImages` SBOMs, most shared first: the blast radius of one bad package. */
export function sharedComponents(inventories: readonly SbomInventory[], minImages = 2): { key: string; images: string[] }[] {
  const seen = new Map<string, Set<string>>();
  for (const inventory of inventories) {
    for (const e of inventory.entries) {
      const key = identityOf(e);
      const images = seen.get(key) ?? new Set<string>();
      images.add(inventory.label);
      seen.set(key, images);
    }
  }
  return [...seen]
    .filter(([, images]) => images.size >= minImages)
    .map(([key, images]) => ({ key, images: [...images].sort() }))
    .sort((a, b) => b.images.length - a.images.length || compareText(a.key, b.key));
}

export const INVENTORY_COLUMNS = ['image', 'ecosystem', 'group', 'name', 'version', 'type', 'purl', 'licences', 'copyleft', 'shared_by_images'] as const;

/**
 * The estate inventory as RFC 4180 CSV, one row per component per image,
 * ordered by image, then ecosystem, group, name, version, purl: the same
 * SBOMs always give the same bytes. `shared_by_images` counts the SBOMs
 * listing the same package (see identityOf).
 */
export function toCsv(inventories: readonly SbomInventory[]): string {
  const sharedBy = new Map<string, Set<string>>();
  for (const inventory of inventories) {
    for (const e of inventory.entries) sharedBy.set(identityOf(e), (sharedBy.get(identityOf(e)) ?? new Set<string>()).add(inventory.label));
  }
  const rows: string[][] = [[...INVENTORY_COLUMNS]];
  for (const inventory of [...inventories].sort((a, b) => compareText(a.label, b.label))) {
    for (const e of inventory.entries) {
      const shared = String(sharedBy.get(identityOf(e))?.size ?? 1);
      rows.push([inventory.label, e.ecosystem, e.group, e.name, e.version, e.type, e.purl, e.licences.join('; '), e.copyleft ?? '', shared]);
    }
  }
  return csvRows(rows);
}

/** The purl without qualifiers and subpath (they name files, not packages), else group/name@version. */
export function identityOf(e: InventoryEntry): string {
  if (e.purl !== '') return e.purl.replace(/[?#].*$/, '');
  return `${e.group === '' ? '' : `${e.group}/`}${e.name}@${e.version}`;
}

function compareEntries(a: InventoryEntry, b: InventoryEntry): number {
  return (
    compareText(a.ecosystem, b.ecosystem) ||
    compareText(a.group, b.group) ||
    compareText(a.name, b.name) ||
    compareText(a.version, b.version) ||
    compareText(a.purl, b.purl)
  );
}

/** Code-unit order, never locale order: the same bytes on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sorted(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => compareText(a, b)));
}

/**
 * RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote,
 * CR or LF, quotes doubled.
 */
export function csvRows(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/**
 * One field. SBOM text is untrusted: a name such as `=HYPERLINK(…)` would run
 * as a formula in a spreadsheet, so a leading = + - @ TAB or CR is
 * neutralised with an apostrophe (OWASP "CSV injection").
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
