/**
 * Reads a bundle's inventory.csv (src/sbom/inventory.ts writes it) back into
 * what the diff compares: per image, each package with its versions, and the
 * licences its components name.
 */
import { AuditpackError } from '../errors.js';

export interface ImageInventory {
  /** Package key → versions listed (sorted). */
  packages: Map<string, string[]>;
  /** Licence expressions, ids and names, as written. */
  licences: Set<string>;
}

/** Image name → its inventory. */
export type EstateInventory = Map<string, ImageInventory>;

const REQUIRED = ['image', 'group', 'name', 'version', 'purl', 'licences'] as const;

export function parseInventoryCsv(text: string, file = 'inventory.csv'): EstateInventory {
  const [header, ...rows] = parseCsv(text);
  const column = new Map((header ?? []).map((name, i) => [name, i]));
  const missing = REQUIRED.filter((c) => !column.has(c));
  if (missing.length > 0) throw new AuditpackError('REPORT_UNREADABLE', `not an auditpack inventory: no column ${missing.join(', ')}`, { file });
  const estate: EstateInventory = new Map();
  for (const row of rows) {
    const cell = (name: (typeof REQUIRED)[number]): string => row[column.get(name) ?? -1] ?? '';
    const image = estate.get(cell('image')) ?? { packages: new Map<string, string[]>(), licences: new Set<string>() };
    estate.set(cell('image'), image);
    const key = packageKey(cell('purl'), cell('group'), cell('name'));
    const versions = image.packages.get(key) ?? [];
    if (!versions.includes(cell('version'))) image.packages.set(key, [...versions, cell('version')].sort());
    for (const licence of cell('licences').split('; ')) if (licence !== '') image.licences.add(licence);
  }
  return estate;
}

/**
 * A package independent of its version: the purl without version, qualifiers
 * and subpath (the version follows the last `@` after the last `/`; a scope's
 * `@` is percent-encoded), else group/name.
 */
export function packageKey(purl: string, group: string, name: string): string {
  if (purl !== '') {
    const bare = purl.replace(/[?#].*$/, '');
    const at = bare.lastIndexOf('@');
    return at > bare.lastIndexOf('/') ? bare.slice(0, at) : bare;
  }
  return group === '' ? name : `${group}/${name}`;
}

/** RFC 4180: fields separated by commas, rows by CRLF (or LF), quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
