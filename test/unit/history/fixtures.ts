/**
 * Two reports to compare, made by mutating copies of the golden sample
 * report in code, and inventories written as the bundle's inventory.csv is.
 */
import { readFileSync } from 'node:fs';
import type { Report } from '../../../src/report/model.js';
import { parseInventoryCsv, type EstateInventory } from '../../../src/history/inventory.js';
import { csvRows, INVENTORY_COLUMNS } from '../../../src/sbom/inventory.js';

const GOLDEN = readFileSync(new URL('../../../samples/akko/golden/report.json', import.meta.url), 'utf8');

/** A fresh, deep copy of the golden 2026-Q2 report. */
export function goldenReport(): Report {
  return JSON.parse(GOLDEN) as Report;
}

/** The same report, relabelled as the next quarter's (nothing else changed). */
export function nextQuarter(report: Report = goldenReport()): Report {
  report.run.period = { label: '2026-Q3', start: '2026-07-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z', zone: 'UTC' };
  report.run.generatedAt = '2026-10-01T08:00:00.000Z';
  return report;
}

export const finding = (r: Report, id: string) => {
  const f = r.findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}`);
  return f;
};

export const subject = (r: Report, id: string) => {
  const s = r.subjects.find((x) => x.id === id);
  if (!s) throw new Error(`no subject ${id}`);
  return s;
};

export const control = (r: Report, framework: string, id: string) => {
  const c = r.frameworks.find((f) => f.id === framework)?.controls.find((x) => x.id === id);
  if (!c) throw new Error(`no control ${framework}/${id}`);
  return c;
};

/** Component rows → an inventory, through the real CSV writer and reader. */
export function inventory(rows: { image: string; name: string; version: string; purl?: string; group?: string; licences?: string[] }[]): EstateInventory {
  const csv = csvRows([
    [...INVENTORY_COLUMNS],
    ...rows.map((r) => [r.image, 'npm', r.group ?? '', r.name, r.version, 'library', r.purl ?? '', (r.licences ?? []).join('; '), '', '1']),
  ]);
  return parseInventoryCsv(csv);
}
