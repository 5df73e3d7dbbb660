/**
 * What `auditpack report` prints on stdout by default: where the bundle and
 * its reports are, each image that needs attention with the one-line reason
 * of each of its faults (one root cause per fault, as in the PDF and HTML),
 * the control counts, waivers, the citation check, and the verdict, in the
 * run's language and in the same words as the reports (src/report/ui-strings.ts).
 */
import { SEAL_FILES } from '../seal/manifest.js';
import { outputFileName, OUTPUT_FORMATS } from '../render/formats.js';
import { causesOf, findingsBySubject } from '../render/causes.js';
import { faultLine, subjectStatus } from '../render/content/words.js';
import { createI18n, type I18n } from '../report/i18n.js';
import { CONTROL_STATUSES } from '../report/model.js';
import type { ReportOutcome } from '../report/outcome.js';
import type { ReportRun } from '../run-report.js';

/** Citations to cite instead, named per wrong claim before "…". */
const INSTEAD_SHOWN = 3;

export function reportText(run: ReportRun): string[] {
  const i18n = createI18n(run.locale);
  const r = run.outcome;
  const s = r.summary;
  const { period } = r.run;
  const lastDay = new Date(new Date(period.end).getTime() - 1).toISOString();
  const listed = run.files.filter((f) => !SEAL_FILES.includes(f)).length;
  const lines = [
    i18n.t('cli.title', {
      organisation: r.run.organisation,
      label: period.label,
      first: i18n.day(period.start, period.zone),
      last: i18n.day(lastDay, period.zone),
      zone: period.zone,
    }),
    `  ${i18n.t('cli.bundle', { dir: run.outDir, sealed: run.sealed ? 'yes' : 'no', files: listed, evidence: r.evidenceFiles })}`,
  ];
  if (r.seal !== undefined) {
    lines.push(
      `  ${i18n.t(r.seal.timestampAuthority === undefined ? 'cli.seal' : 'cli.sealStamped', { fingerprint: r.seal.keyFingerprint, algorithm: r.seal.algorithm, tsa: r.seal.timestampAuthority ?? '' })}`,
    );
  }
  if (run.archive !== undefined) lines.push(`  ${i18n.t('cli.archive', { path: run.archive })}`);
  for (const format of OUTPUT_FORMATS) {
    const file = outputFileName(format);
    if (run.files.includes(file)) lines.push(`  ${format.toUpperCase().padEnd(6)}  ${run.outDir}/${file}`);
  }
  lines.push(i18n.t('cli.images', { verified: s.subjects.verified, total: s.subjects.total }));
  lines.push(...attentionLines(i18n, r));
  lines.push(
    i18n.t('cli.controls', {
      counts: CONTROL_STATUSES.map((status) => `${i18n.count(s.controls[status])} ${i18n.t(`controlStatus.${status}`).toLowerCase()}`).join(', '),
    }),
  );
  if (s.waived > 0) lines.push(i18n.t('cli.waived', { count: s.waived }));
  const expired = r.waivers.filter((w) => w.expired);
  if (expired.length > 0)
    lines.push(i18n.t('cli.expired', { list: expired.map((w) => i18n.t('cli.expiredWaiver', { id: w.id, expires: w.expires })).join(', ') }));
  lines.push(...claimLines(i18n, r));
  lines.push(i18n.t('cli.problems', { count: s.problems }));
  if (r.changes) lines.push(changesLine(i18n, r));
  const attention = s.subjects.total - s.subjects.verified;
  lines.push(s.verdict === 'pass' ? i18n.t('cli.verdictPass') : i18n.t('cli.verdictFail', { attention, total: s.subjects.total, problems: s.problems }));
  return lines;
}

/** Each image that is not verified, then one line per fault: the root cause, and how many checks fail with it. */
function attentionLines(i18n: I18n, r: ReportOutcome): string[] {
  const bySubject = findingsBySubject(r.faults);
  return r.subjects
    .filter((subject) => subject.status !== 'verified')
    .flatMap((subject) => [
      `  ${subjectStatus(i18n, subject.status).text}  ${subject.id}`,
      ...causesOf(bySubject.get(subject.id) ?? []).map(({ root, consequences }) => {
        const waiver = root.waiver?.inForce === true ? ` ${i18n.t('cover.waived', { id: root.waiver.id })}` : '';
        const more = consequences.length > 0 ? ` ${i18n.t('cli.consequences', { count: consequences.length })}` : '';
        return `        - ${faultLine(i18n, root)}${root.code === undefined ? '' : ` [${root.code}]`}${more}${waiver} — ${root.message}`;
      }),
    ]);
}

function claimLines(i18n: I18n, r: ReportOutcome): string[] {
  return r.claims
    .filter((c) => c.verdict !== 'correct')
    .map((claim) => {
      const instead = claim.instead
        .slice(0, INSTEAD_SHOWN)
        .map((i) => `${i.citation} (${i18n.t(`controlStatus.${i.status}`).toLowerCase()})`)
        .join('; ');
      const more = claim.instead.length > INSTEAD_SHOWN ? '; …' : '';
      return instead === ''
        ? i18n.t('cli.claim', { claimed: claim.claimed, verdict: i18n.t(`claimVerdict.${claim.verdict}`) })
        : i18n.t('cli.claimInstead', { claimed: claim.claimed, verdict: i18n.t(`claimVerdict.${claim.verdict}`), instead: `${instead}${more}` });
    });
}

function changesLine(i18n: I18n, r: ReportOutcome): string {
  const d = r.changes;
  if (d === undefined) return '';
  return i18n.t(d.regression ? 'cli.changesWorse' : 'cli.changes', {
    period: d.period,
    added: d.imagesAdded,
    removed: d.imagesRemoved,
    changed: d.imagesChanged,
    failures: d.newFailures,
    fixed: d.fixed,
    expired: d.waiversExpired,
  });
}
