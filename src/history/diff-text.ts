/**
 * `auditpack diff` as plain text: one line per change, grouped, worst first,
 * marked `+` added, `-` removed, `~` changed, `!` worse.
 */
import { coverageWords, statusLabel } from '../report/vocabulary.js';
import type { ControlChange, DiffSide, FindingChange, ReportDiff, WaiverBrief } from './diff-model.js';

export function diffText(d: ReportDiff): string[] {
  const lines = [`auditpack diff: ${d.new.organisation}, ${d.old.period} → ${d.new.period}`, `  old  ${sideLine(d.old)}`, `  new  ${sideLine(d.new)}`];
  if (d.old.organisation !== d.new.organisation)
    lines.push(`  note: the reports are for different organisations (${d.old.organisation} / ${d.new.organisation})`);
  const section = (title: string, body: string[]) => {
    if (body.length > 0) lines.push(title, ...body.map((l) => `  ${l}`));
  };
  const i = d.images;
  section(`images: ${i.added.length} added, ${i.removed.length} removed, ${i.changed.length} with another digest, ${i.status.length} changed status`, [
    ...i.added.map((x) => `+ ${x.id}  ${x.ref}@${short(x.digest)}  (${x.status})`),
    ...i.removed.map((x) => `- ${x.id}  ${x.ref}@${short(x.digest)}  (was ${x.status})`),
    ...i.changed.map((x) => `~ ${x.id}  ${short(x.old.digest)} → ${short(x.new.digest)}${x.old.ref === x.new.ref ? '' : `  (${x.old.ref} → ${x.new.ref})`}`),
    ...i.status.map((x) => `${x.worse ? '!' : '~'} ${x.id}  ${x.old} → ${x.new}`),
  ]);
  section(
    `new failures: ${d.findings.newFailures.length}`,
    d.findings.newFailures.map((f) => `! ${findingLine(f)}`),
  );
  section(
    `fixed: ${d.findings.fixed.length}`,
    d.findings.fixed.map((f) => `+ ${findingLine(f)}`),
  );
  section(
    `other finding changes: ${d.findings.otherChanges.length}`,
    d.findings.otherChanges.map((f) => `~ ${findingLine(f)}`),
  );
  section(`controls: ${d.controls.length} changed`, d.controls.map(controlLine));
  if (d.components === undefined) lines.push('components: not compared (a bundle has no inventory.csv)');
  else section(`components: ${d.components.length} images with SBOM changes`, d.components.flatMap(componentLines));
  const w = d.waivers;
  section(`waivers: ${w.added.length} added, ${w.removed.length} removed, ${w.expired.length} expired, ${w.changed.length} changed`, [
    ...w.added.map((x) => `+ ${waiverLine(x)}`),
    ...w.removed.map((x) => `- ${waiverLine(x)}`),
    ...w.expired.map((x) => `! ${x.id} expired ${x.expires}: it no longer covers ${scopeText(x)}`),
    ...w.changed.map((x) => `~ ${x.id}: ${waiverTerms(x.old)} → ${waiverTerms(x.new)}`),
  ]);
  const c = d.catalogs;
  section(`catalogs: ${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} new versions`, [
    ...c.added.map((x) => `+ ${x.id} (${x.version})`),
    ...c.removed.map((x) => `- ${x.id} (${x.version})`),
    ...c.changed.map((x) => `~ ${x.id}: ${x.oldVersion} → ${x.newVersion}`),
  ]);
  lines.push(d.regression ? 'result: REGRESSION: something got worse (marked !)' : d.changed ? 'result: changed, nothing got worse' : 'result: no change');
  return lines;
}

function sideLine(s: DiffSide): string {
  return `${s.period} (${s.start.slice(0, 10)} to ${s.end.slice(0, 10)}, end excluded), generated ${s.generatedAt}, verdict ${s.verdict.toUpperCase()}, ${s.verified} of ${s.images} images verified`;
}

const short = (digest: string): string => digest.slice(0, 'sha256:'.length + 12);

function findingLine(f: FindingChange): string {
  return `${f.subject}  ${f.checkId}  ${f.old ?? 'absent'} → ${f.new ?? 'absent'}${f.code ? ` [${f.code}]` : ''}: ${f.message}`;
}

function controlLine(c: ControlChange): string {
  const state = (s: ControlChange['old']) => (s ? `${statusLabel(s.status)} (${coverageWords(s)})` : 'absent');
  return `${c.worse ? '!' : '~'} ${c.framework}/${c.control}  ${state(c.old)} → ${state(c.new)}  (${c.citation})`;
}

function componentLines(c: NonNullable<ReportDiff['components']>[number]): string[] {
  const head =
    `${c.subject}: ${c.added.length} packages added, ${c.removed.length} removed, ${c.versions.length} with other versions` +
    (c.sbom ? `; SBOM ${c.sbom.old.grade} (${c.sbom.old.components} components) → ${c.sbom.new.grade} (${c.sbom.new.components})` : '');
  return [
    head,
    ...c.added.map((p) => `  + ${p.package} ${p.versions.join(', ')}`),
    ...c.removed.map((p) => `  - ${p.package} ${p.versions.join(', ')}`),
    ...c.versions.map((p) => `  ~ ${p.package} ${p.old.join(', ')} → ${p.new.join(', ')}`),
    ...c.licencesAdded.map((l) => `  + licence ${l}`),
    ...c.licencesRemoved.map((l) => `  - licence ${l}`),
  ];
}

function scopeText(w: WaiverBrief): string {
  return Object.entries(w.scope)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function waiverTerms(w: WaiverBrief): string {
  return `${scopeText(w)}, ${w.start} to ${w.expires}`;
}

function waiverLine(w: WaiverBrief): string {
  return `${w.id} (${waiverTerms(w)}; ${w.inForce ? 'in force' : w.expired ? 'expired' : 'not in force'})`;
}
