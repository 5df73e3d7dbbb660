/**
 * `auditpack report --previous BUNDLE --previous-key KEY`: the report gains
 * a `changes` section, the diff from the previous period's report. The
 * previous bundle is verified with the pinned key and checked to be of an
 * earlier period before the run collects anything, so a bad one stops the
 * run with nothing written.
 */
import type { Period } from '../config/period.js';
import { AuditpackError } from '../errors.js';
import type { Report } from '../report/model.js';
import { openComparedBundle, readPinnedKey, type ComparedBundle } from './bundle.js';
import { diffReports } from './diff.js';
import { parseInventoryCsv } from './inventory.js';

export interface PreviousOption {
  /** The previous period's bundle folder or `.tar.gz` archive. */
  dir: string;
  /** PEM public key its seal must verify with. */
  key: string;
}

export async function loadPreviousBundle(previous: PreviousOption, period: Period): Promise<ComparedBundle> {
  const bundle = await openComparedBundle(previous.dir, [await readPinnedKey(previous.key)], 'previous');
  const before = bundle.report.run.period;
  if (!(Date.parse(before.start) < period.interval.start.toMillis())) {
    throw new AuditpackError('PERIOD_INVALID', `the previous bundle is for ${before.label}, which does not start before ${period.label}`, {
      file: previous.dir,
    });
  }
  return bundle;
}

/** The report with its changes since the previous bundle's report. */
export function withChanges(report: Report, previous: ComparedBundle | undefined, inventoryCsv: string | undefined): Report {
  if (!previous) return report;
  const changes = diffReports({
    old: previous.report,
    new: report,
    ...(previous.inventory ? { oldInventory: previous.inventory } : {}),
    ...(inventoryCsv === undefined ? {} : { newInventory: parseInventoryCsv(inventoryCsv) }),
  });
  return { ...report, changes };
}
