import type { Report } from '../report/model.js';

/** report.json: the model itself, pretty-printed with a final newline (stable key order from the builder). */
export function renderJson(report: Report): Buffer {
  return Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8');
}
