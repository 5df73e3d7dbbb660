/**
 * Handlebars helpers: besides the templates, the only code that emits markup.
 * Every piece of report data is escaped with `escapeExpression` before it is
 * wrapped in a `SafeString`; labels and class names come from tables here,
 * never from the report.
 */
import Handlebars from 'handlebars';
import type { ClaimCheck, ControlStatus, FindingStatus, Strength, SubjectResult, Summary } from '../../report/model.js';
import { CONTROL_STATUS_LABEL, NOT_IN_REPORT_LABEL, STRENGTH_LABEL } from '../../report/vocabulary.js';

const { escapeExpression, SafeString } = Handlebars;

/** Formatting helpers, registered by name; the templates may use no others. */
export const HELPERS = {
  badge: (status: unknown) => badgeHtml(BADGES, requireString('badge', status)),
  // Named apart from the report's own fields (`verdict`, `strength`): a bare
  // `{{strength}}` must stay a field lookup, not become a helper call.
  claimVerdict: (verdict: unknown) => badgeHtml(VERDICTS, requireString('claimVerdict', verdict)),
  strengthWords: (strength: unknown) => strengthText(requireString('strengthWords', strength)),
  link: (url: unknown) => linkHtml(requireString('link', url)),
  digest: (value: unknown) => shortDigestHtml(requireString('digest', value)),
  verbatim: (text: unknown) => verbatimText(requireString('verbatim', text)),
  bytes: (size: unknown) => formatBytes(requireNumber('bytes', size)),
  plural: (count: unknown, one: unknown, many: unknown) =>
    `${requireNumber('plural', count)} ${count === 1 ? requireString('plural', one) : requireString('plural', many)}`,
  // Named apart from the report's own fields (`grade`, `score`, `percent`), for the same reason as above.
  gradeBadge: (grade: unknown, meetsMinimum: unknown) => gradeBadgeHtml(requireString('gradeBadge', grade), requireBoolean('gradeBadge', meetsMinimum)),
  decimal: (value: unknown) => formatDecimal(requireNumber('decimal', value)),
  pct: (value: unknown) => (value === null ? 'n/a' : `${formatDecimal(requireNumber('pct', value))}%`),
  bundleLink: (path: unknown) => bundleLinkHtml(requireString('bundleLink', path)),
} as const;

function requireString(helper: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`helper '${helper}' expects a string, got ${typeof value}`);
  return value;
}

function requireBoolean(helper: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`helper '${helper}' expects a boolean, got ${typeof value}`);
  return value;
}

function requireNumber(helper: string, value: unknown): number {
  if (typeof value !== 'number') throw new Error(`helper '${helper}' expects a number, got ${typeof value}`);
  return value;
}

// ---------------------------------------------------------------------------
// Badges: every status reads as words; the colour (tone) only repeats what the words say.

type Tone = 'good' | 'partial' | 'bad' | 'neutral';
interface Badge {
  label: string;
  tone: Tone;
}

/** States of a waiver at the report's clock (see view-waivers.ts). */
export type WaiverState = 'in-force' | 'expired' | 'not-yet-in-force';

type BadgeStatus = FindingStatus | ControlStatus | SubjectResult['status'] | Summary['verdict'] | 'not-in-report' | WaiverState;

const BADGES: Record<BadgeStatus, Badge> = {
  pass: { label: 'Pass', tone: 'good' },
  fail: { label: 'Fail', tone: 'bad' },
  error: { label: 'Error: could not decide', tone: 'bad' },
  'not-applicable': { label: 'Not applicable', tone: 'neutral' },
  verified: { label: 'Verified', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
  incomplete: { label: 'Incomplete', tone: 'partial' },
  // Control statuses: the words come from the shared vocabulary, the one wording of every output.
  supported: { label: CONTROL_STATUS_LABEL.supported, tone: 'good' },
  'partially-supported': { label: CONTROL_STATUS_LABEL['partially-supported'], tone: 'partial' },
  'relevant-not-sufficient': { label: CONTROL_STATUS_LABEL['relevant-not-sufficient'], tone: 'neutral' },
  'not-supported': { label: CONTROL_STATUS_LABEL['not-supported'], tone: 'bad' },
  'not-assessed': { label: CONTROL_STATUS_LABEL['not-assessed'], tone: 'neutral' },
  'not-in-report': { label: NOT_IN_REPORT_LABEL, tone: 'neutral' },
  'in-force': { label: 'In force', tone: 'partial' },
  expired: { label: 'EXPIRED', tone: 'bad' },
  'not-yet-in-force': { label: 'Not yet in force', tone: 'neutral' },
};

/** Verdicts on the organisation's own citations. */
const VERDICTS: Record<ClaimCheck['verdict'], Badge> = {
  correct: { label: 'Correct', tone: 'good' },
  imprecise: { label: 'Imprecise', tone: 'partial' },
  wrong: { label: 'Wrong', tone: 'bad' },
  unverifiable: { label: 'Unverifiable', tone: 'neutral' },
  unknown: { label: 'Unknown: not checked', tone: 'neutral' },
};

function badgeHtml<K extends string>(table: Record<K, Badge>, status: string): Handlebars.SafeString {
  // A status outside the model still renders, as its own text, never as a class name.
  const badge: Badge = Object.hasOwn(table, status) ? table[status as K] : { label: status, tone: 'neutral' };
  return new SafeString(`<span class="badge badge--${badge.tone}">${escapeExpression(badge.label)}</span>`);
}

/**
 * An SBOM quality grade. The grade itself is report data (escaped); the tone
 * only repeats whether it meets the run's minimum, which the page says in words beside it.
 */
function gradeBadgeHtml(grade: string, meetsMinimum: boolean): Handlebars.SafeString {
  const tone: Tone = meetsMinimum ? 'good' : 'bad';
  return new SafeString(`<span class="badge badge--${tone}">Grade ${escapeExpression(grade)}</span>`);
}

const STRENGTHS: Record<Strength, string> = {
  full: 'full support',
  partial: 'partial support',
  supporting: STRENGTH_LABEL.supporting,
};

/** Plain text (handlebars escapes it): a strength outside the model shows as itself. */
function strengthText(strength: string): string {
  return Object.hasOwn(STRENGTHS, strength) ? STRENGTHS[strength as Strength] : strength;
}

// ---------------------------------------------------------------------------
// Links, digests, quoted text, sizes

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

/**
 * A file of the bundle, linked relative to the report (which sits at the
 * bundle's root). Only a plain relative path becomes a link: segments of
 * letters, digits and `._~+-`, no `.` or `..`, no scheme, no leading `/`.
 * Anything else is shown as text, so the link can neither leave the bundle nor run anything.
 */
function bundleLinkHtml(path: string): Handlebars.SafeString {
  const text = escapeExpression(path);
  const segments = path.split('/');
  const plain = segments.every((segment) => /^[A-Za-z0-9._~+-]+$/.test(segment) && segment !== '.' && segment !== '..');
  if (!plain) return new SafeString(`<code>${text}</code>`);
  return new SafeString(`<a href="${text}"><code>${text}</code></a>`);
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

/** One decimal, no locale: 57.66 → "57.7", 100 → "100"; a value that is not finite reads "n/a". */
function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return (Math.round(value * 10) / 10).toFixed(1).replace(/\.0$/, '');
}

function formatBytes(size: number): string {
  const grouped = String(size).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped} ${size === 1 ? 'byte' : 'bytes'}`;
}
