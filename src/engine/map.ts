import type { Config, ImageConfig } from '../config/schema.js';
import type { Period } from '../config/period.js';
import type { Catalog } from '../frameworks/catalog.js';
import { profileConditions } from '../frameworks/conditions.js';
import type { Finding, FrameworkResult, ManualEvidence, WaiverRecord } from '../report/model.js';
import { applyWaivers, waivedSubjects, waiverJudgement } from '../waivers/apply.js';
import type { Waiver } from '../waivers/load.js';
import { AuditpackError } from '../errors.js';
import { deriveControlResult } from './control-status.js';

export interface MapInput {
  config: Config;
  period: Period;
  clock: string;
  catalogs: Catalog[];
  findings: Finding[];
  waivers: Waiver[];
  manualEvidence: ManualEvidence[];
  /** Running images the configuration does not name (population): subjects too, so no control reads as covering them. */
  uncovered?: readonly ImageConfig[];
}

export interface MapResult {
  frameworks: FrameworkResult[];
  findings: Finding[];
  waivers: WaiverRecord[];
}

/** Map stage (pure): findings → control results per catalog, then waivers and manual evidence attached. */
export function mapToControls(input: MapInput): MapResult {
  const images = [...input.config.images, ...(input.uncovered ?? [])];
  const subjects = images.map((i) => i.name);
  const periodEnd = input.period.interval.end.toISODate();
  const conditions = profileConditions(input.config.entity);
  const raw: FrameworkResult[] = input.catalogs.map((c) => ({
    id: c.id,
    title: c.title,
    version: c.version,
    source: c.source,
    applicability: c.applicability.trim(),
    appliesTo: c.appliesTo,
    ...(c.celex === undefined ? {} : { celex: c.celex }),
    controls: c.controls.map((control) => deriveControlResult(control, subjects, input.findings, { periodEnd, conditions })),
  }));
  const digests = new Map(images.map((i) => [i.name, i.digest]));
  const waived = applyWaivers(input.waivers, input.findings, raw, digests, waiverJudgement(input.period, input.clock));
  const byId = new Map(waived.findings.map((f) => [f.id, f]));
  const manualByControl = indexManualEvidence(input.manualEvidence, raw);
  const frameworks = raw.map((fw) => ({
    ...fw,
    controls: fw.controls.map((c) => ({
      ...c,
      waivedSubjects: waivedSubjects(c.findings, byId),
      manualEvidence: manualByControl.get(`${fw.id}/${c.id}`) ?? [],
    })),
  }));
  return { frameworks, findings: waived.findings, waivers: waived.records };
}

function indexManualEvidence(records: ManualEvidence[], frameworks: FrameworkResult[]): Map<string, string[]> {
  const known = new Set(frameworks.flatMap((fw) => fw.controls.map((c) => `${fw.id}/${c.id}`)));
  const index = new Map<string, string[]>();
  for (const record of records) {
    for (const control of record.controls) {
      if (!known.has(control)) {
        throw new AuditpackError(
          'CONFIG_INVALID',
          `manualEvidence '${record.id}' names '${control}', which is not a control of the selected frameworks (see auditpack frameworks show)`,
        );
      }
      index.set(control, [...(index.get(control) ?? []), record.id]);
    }
  }
  return index;
}
