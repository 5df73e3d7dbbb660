/**
 * The HTML renderer: one self-contained, deterministic file an auditor can
 * open offline, read without JavaScript and print.
 *
 * Input is a `Report` only. This file turns it into a view (grouping, lookups,
 * anchors) and hands that to the handlebars templates in `templates/`, which
 * only lay it out. Markup is built in two places only: the templates, where
 * every `{{ }}` escapes, and the helpers below, which escape every piece of
 * data with `escapeExpression` before wrapping it in a `SafeString`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { AuditpackError, describeThrown } from '../errors.js';
import type {
  ControlResult,
  ControlStatus,
  EvidenceRef,
  Finding,
  FindingStatus,
  FrameworkResult,
  Report,
  SubjectResult,
  Summary,
} from '../report/model.js';

export interface RenderHtmlOptions {
  /** Folder with `report.html.hbs`, `report.css` and `partials/`. Defaults to the package's `templates/`. */
  templatesDir?: string;
}

type Hbs = typeof Handlebars;
type CompileOptions = NonNullable<Parameters<Hbs['compile']>[1]>;

// Resolved from this module so it works from both src/render and dist/render.
const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const MAIN_TEMPLATE = 'report.html.hbs';
const STYLESHEET = 'report.css';
const PARTIALS_DIR = 'partials';
const TEMPLATE_EXTENSION = '.hbs';

/** Renders the report as one HTML document. Same report, same bytes. */
export function renderHtml(report: Report, options: RenderHtmlOptions = {}): string {
  const templatesDir = options.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  try {
    const hb = createHandlebars(templatesDir);
    const template = hb.compile(readText(templatesDir, MAIN_TEMPLATE), COMPILE_OPTIONS);
    return template(buildView(report, readStylesheet(hb, templatesDir)));
  } catch (thrown) {
    throw new AuditpackError('RENDER_FAILED', `HTML report: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

/**
 * Compiles every template (the main one and each partial) with the renderer's
 * options, so a syntax error or an unknown helper fails a test, not a run.
 * Returns the file names checked, relative to the templates folder.
 */
export function compileAllTemplates(templatesDir: string = DEFAULT_TEMPLATES_DIR): string[] {
  const files = [MAIN_TEMPLATE, ...listPartials(templatesDir).map((name) => join(PARTIALS_DIR, name))];
  for (const file of files) {
    try {
      Handlebars.precompile(readText(templatesDir, file), COMPILE_OPTIONS);
    } catch (thrown) {
      throw new AuditpackError('RENDER_FAILED', `template ${file}: ${describeThrown(thrown)}`, { cause: thrown });
    }
  }
  return files;
}

// ---------------------------------------------------------------------------
// Handlebars set-up

/** Formatting helpers: the only code besides the templates that emits markup. */
const HELPERS = {
  badge: (status: unknown) => badgeHtml(requireString('badge', status)),
  link: (url: unknown) => linkHtml(requireString('link', url)),
  digest: (value: unknown) => shortDigestHtml(requireString('digest', value)),
  verbatim: (text: unknown) => verbatimText(requireString('verbatim', text)),
  bytes: (size: unknown) => formatBytes(requireNumber('bytes', size)),
  plural: (count: unknown, one: unknown, many: unknown) =>
    `${requireNumber('plural', count)} ${count === 1 ? requireString('plural', one) : requireString('plural', many)}`,
} as const;

// `strict` makes a missing field throw; `knownHelpersOnly` makes a misspelt
// helper a compile error. Neither covers helper arguments (handlebars passes
// `undefined`), which is why every helper checks its own. `preventIndent`
// stops handlebars from indenting every line a partial outputs, which would
// alter the verbatim log lines inside <pre>.
const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  preventIndent: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])),
};

function createHandlebars(templatesDir: string): Hbs {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(HELPERS)) hb.registerHelper(name, helper);
  for (const file of listPartials(templatesDir)) {
    const source = readText(templatesDir, join(PARTIALS_DIR, file));
    hb.registerPartial(file.slice(0, -TEMPLATE_EXTENSION.length), hb.compile(source, COMPILE_OPTIONS));
  }
  return hb;
}

/** Partial file names, sorted so registration never depends on directory order. */
function listPartials(templatesDir: string): string[] {
  return readdirSync(join(templatesDir, PARTIALS_DIR))
    .filter((name) => name.endsWith(TEMPLATE_EXTENSION))
    .sort();
}

function readText(templatesDir: string, file: string): string {
  return readFileSync(join(templatesDir, file), 'utf8');
}

/**
 * The stylesheet is our own asset, not report data, so it goes in unescaped
 * (escaping would break `>` selectors). It must still not be able to close the
 * `<style>` element or fetch anything: the report stays self-contained.
 */
function readStylesheet(hb: Hbs, templatesDir: string): Handlebars.SafeString {
  const css = readText(templatesDir, STYLESHEET);
  if (/<\/style|@import|url\s*\(/i.test(css)) {
    throw new Error(`${STYLESHEET} must not contain </style>, @import or url(): the report is self-contained`);
  }
  return new hb.SafeString(css);
}

function requireString(helper: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`helper '${helper}' expects a string, got ${typeof value}`);
  return value;
}

function requireNumber(helper: string, value: unknown): number {
  if (typeof value !== 'number') throw new Error(`helper '${helper}' expects a number, got ${typeof value}`);
  return value;
}

// ---------------------------------------------------------------------------
// Helpers' markup

const { escapeExpression, SafeString } = Handlebars;

type BadgeStatus = FindingStatus | ControlStatus | SubjectResult['status'] | Summary['verdict'];
type Tone = 'good' | 'partial' | 'bad' | 'neutral';

// Every status reads as words; the colour (tone) only repeats what the words say.
const BADGES: Record<BadgeStatus, { label: string; tone: Tone }> = {
  pass: { label: 'Pass', tone: 'good' },
  fail: { label: 'Fail', tone: 'bad' },
  error: { label: 'Error: could not decide', tone: 'bad' },
  'not-applicable': { label: 'Not applicable', tone: 'neutral' },
  verified: { label: 'Verified', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
  incomplete: { label: 'Incomplete', tone: 'partial' },
  supported: { label: 'Supported by evidence', tone: 'good' },
  'partially-supported': { label: 'Partially supported by evidence', tone: 'partial' },
  'not-supported': { label: 'Not supported by evidence', tone: 'bad' },
  'not-assessed': { label: 'Not assessed', tone: 'neutral' },
};

function badgeHtml(status: string): Handlebars.SafeString {
  // A status outside the model still renders, as its own text, never as a class name.
  const badge = Object.hasOwn(BADGES, status) ? BADGES[status as BadgeStatus] : { label: status, tone: 'neutral' };
  return new SafeString(`<span class="badge badge--${badge.tone}">${escapeExpression(badge.label)}</span>`);
}

/** Only http(s) URLs become links; anything else (javascript:, data:, relative) stays text. */
function linkHtml(url: string): Handlebars.SafeString {
  const text = escapeExpression(url);
  if (!isWebUrl(url)) return new SafeString(text);
  return new SafeString(`<a href="${text}" rel="noopener noreferrer">${text}</a>`);
}

function isWebUrl(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** `sha256:0123456789ab…` with the full value in the title (which print shows, see report.css). */
function shortDigestHtml(value: string): Handlebars.SafeString {
  const match = /^([a-z0-9]+:)?([0-9a-f]{12})[0-9a-f]{4,}$/i.exec(value);
  const short = match ? `${match[1] ?? ''}${match[2] ?? ''}…` : value;
  const full = escapeExpression(value);
  return new SafeString(`<code class="digest" title="${full}">${escapeExpression(short)}</code>`);
}

/**
 * Log lines are shown as quoted, but control and bidirectional-override
 * characters are made visible: they could otherwise hide or reorder text.
 */
function verbatimText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => String.fromCodePoint(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
}

function formatBytes(size: number): string {
  const grouped = String(size).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped} ${size === 1 ? 'byte' : 'bytes'}`;
}

// ---------------------------------------------------------------------------
// The view: the report regrouped in reading order, with anchors and lookups

// Anchors keep letters, digits and `-._:`; anything else becomes `~hex~`, so
// two different ids never share an anchor.
function anchor(prefix: string, ...parts: string[]): string {
  const encode = (part: string) => part.replace(/[^A-Za-z0-9._:-]/gu, (c) => `~${c.codePointAt(0)?.toString(16)}~`);
  return `${prefix}-${parts.map(encode).join('/')}`;
}

interface Lookups {
  subjects: Map<string, SubjectResult>;
  findings: Map<string, Finding>;
  evidence: Map<string, EvidenceRef>;
  /** Findings per check id, checks in order of first appearance (the engine's order). */
  findingsByCheck: Map<string, Finding[]>;
  /** Findings that are not a pass, per subject id. */
  issuesBySubject: Map<string, Finding[]>;
}

function buildLookups(report: Report): Lookups {
  return {
    subjects: new Map(report.subjects.map((s) => [s.id, s])),
    findings: new Map(report.findings.map((f) => [f.id, f])),
    evidence: new Map(report.evidence.map((e) => [e.sha256, e])),
    findingsByCheck: groupBy(report.findings, (f) => f.checkId),
    issuesBySubject: groupBy(
      report.findings.filter((f) => f.status !== 'pass'),
      (f) => f.subject,
    ),
  };
}

const FINDING_STATUSES: readonly FindingStatus[] = ['pass', 'fail', 'error', 'not-applicable'];
const CONTROL_STATUSES: readonly ControlStatus[] = [
  'supported',
  'partially-supported',
  'not-supported',
  'not-assessed',
  'not-applicable',
];

function buildView(report: Report, styles: Handlebars.SafeString) {
  const lookups = buildLookups(report);
  const outOfPeriod = report.evidence.filter((e) => e.dated?.inPeriod === false).length;
  return {
    styles,
    schemaVersion: report.schemaVersion,
    run: report.run,
    generator: {
      name: report.generator.name,
      version: report.generator.version,
      libraries: sortedEntries(report.generator.libraries).map(([name, version]) => ({ name, version })),
    },
    summary: {
      verdict: report.summary.verdict,
      subjects: report.summary.subjects,
      findings: FINDING_STATUSES.map((status) => ({ status, count: report.summary.findings[status] })),
      controls: CONTROL_STATUSES.map((status) => ({ status, count: report.summary.controls[status] })),
      problems: report.summary.problems,
      evidence: { total: report.evidence.length, outOfPeriod },
    },
    subjects: report.subjects.map((subject) => viewSubject(subject, lookups)),
    issueGroups: groupIssuesBySubject(report, lookups),
    frameworks: report.frameworks.map((framework) => viewFramework(framework, lookups)),
    checks: [...lookups.findingsByCheck].map(([checkId, findings]) => ({
      checkId,
      checkTitle: findings[0]?.checkTitle ?? checkId,
      anchor: anchor('check', checkId),
      findings: findings.map((f) => viewFinding(f, lookups)),
    })),
    trust: {
      keys: report.trust.keys.map((key) => ({
        ...key,
        anchor: anchor('key', key.id),
        validFrom: key.validFrom ?? null,
        validUntil: key.validUntil ?? null,
      })),
      trustedRoot: report.trust.trustedRoot ?? null,
    },
    evidence: report.evidence.map((e) => viewEvidence(e, lookups)),
    problems: report.problems.map((p) => ({ ...p, subject: viewSubjectLink(p.subject, lookups) })),
  };
}

function viewSubject(subject: SubjectResult, lookups: Lookups) {
  const issues = lookups.issuesBySubject.get(subject.id)?.length ?? 0;
  return {
    ...subject,
    anchor: anchor('subject', subject.id),
    issues,
    issuesAnchor: issues > 0 ? anchor('issues', subject.id) : null,
  };
}

/** A link to a subject's row when the subject is in scope; its id as text otherwise. */
function viewSubjectLink(subjectId: string | undefined, lookups: Lookups) {
  if (subjectId === undefined) return null;
  return { id: subjectId, anchor: lookups.subjects.has(subjectId) ? anchor('subject', subjectId) : null };
}

/**
 * Non-pass findings per subject, in the order of the subjects table; findings
 * about a subject the report does not list come last, by subject id, so none
 * is silently dropped.
 */
function groupIssuesBySubject(report: Report, lookups: Lookups) {
  const unlisted = [...lookups.issuesBySubject.keys()].filter((id) => !lookups.subjects.has(id)).sort(compareText);
  return [...report.subjects.map((s) => s.id), ...unlisted].flatMap((subjectId) => {
    const issues = lookups.issuesBySubject.get(subjectId) ?? [];
    if (issues.length === 0) return [];
    return [
      {
        subject: viewSubjectLink(subjectId, lookups),
        anchor: anchor('issues', subjectId),
        findings: issues.map((f) => viewFinding(f, lookups)),
      },
    ];
  });
}

function viewFinding(finding: Finding, lookups: Lookups) {
  const isIssue = finding.status !== 'pass';
  return {
    ...finding,
    anchor: anchor('finding', finding.id),
    issueAnchor: isIssue ? anchor('issue', finding.id) : null,
    checkAnchor: anchor('check', finding.checkId),
    subject: viewSubjectLink(finding.subject, lookups),
    code: finding.code ?? null,
    quotes: finding.quotes ?? [],
    // Insertion order is the check's chosen order; keep it.
    details: Object.entries(finding.details).map(([name, value]) => ({ name, value })),
    evidence: finding.evidence.map((sha256) => viewEvidenceLink(sha256, lookups)),
  };
}

/** A finding's evidence: a link into the inventory, or a plain id if the inventory lacks it. */
function viewEvidenceLink(sha256: string, lookups: Lookups) {
  const ref = lookups.evidence.get(sha256);
  return {
    sha256,
    anchor: ref ? anchor('evidence', sha256) : null,
    kind: ref?.kind ?? null,
    source: ref?.source ?? null,
    outOfPeriod: ref?.dated?.inPeriod === false,
  };
}

function viewFramework(framework: FrameworkResult, lookups: Lookups) {
  return {
    ...framework,
    anchor: anchor('framework', framework.id),
    controls: framework.controls.map((control) => viewControl(framework.id, control, lookups)),
  };
}

function viewControl(frameworkId: string, control: ControlResult, lookups: Lookups) {
  return {
    ...control,
    anchor: anchor('control', frameworkId, control.id),
    support: control.support.map((s) => ({
      ...s,
      // A check with no findings in this report has no section to link to.
      checkTitle: lookups.findingsByCheck.get(s.checkId)?.[0]?.checkTitle ?? null,
      checkAnchor: lookups.findingsByCheck.has(s.checkId) ? anchor('check', s.checkId) : null,
    })),
    findings: control.findings.map((id) => {
      const finding = lookups.findings.get(id);
      return finding
        ? { id, anchor: anchor('finding', id), subject: finding.subject, status: finding.status, found: true }
        : { id, anchor: null, subject: null, status: null, found: false };
    }),
  };
}

function viewEvidence(ref: EvidenceRef, lookups: Lookups) {
  return {
    ...ref,
    anchor: anchor('evidence', ref.sha256),
    subject: viewSubjectLink(ref.subject, lookups),
    dated: ref.dated ?? null,
  };
}

/** Groups items by key; groups and the items in them keep their order of first appearance. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => compareText(a, b));
}

/** Code-unit order: unlike localeCompare, it does not depend on the machine's locale data. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
