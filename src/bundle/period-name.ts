/**
 * Bundles named by period, and the rule a scheduled run depends on: a sealed
 * bundle of another period is never replaced. A job that runs every quarter
 * with one fixed `--out` would otherwise overwrite last quarter's audit pack
 * with this quarter's; by default each period gets its own folder
 * (`out/<organisation>-<period>`), and a folder or archive that states
 * another period (or none that can be read) is refused.
 */
import { lstat } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { readContainedFile } from '../collect/read-file.js';
import type { Period } from '../config/period.js';
import { AuditpackError, describeThrown } from '../errors.js';
import { SEAL_FILE } from '../seal/manifest.js';
import { SEAL_PREDICATE_TYPE } from '../seal/sign.js';
import { parseInTotoStatement } from '../verify/payloads.js';
import { ARCHIVE_LIMITS } from './archive.js';
import type { OutputState } from './output.js';
import { readTarGz } from './tar.js';

/** Where `auditpack report` writes when no `--out` is given, relative to the working directory. */
export const DEFAULT_OUT = 'out/{organisation}-{period}';

const PLACEHOLDER = /\{([^{}]*)\}/g;
const REPORT_FILE = 'report.json';
/** report.json is read only for its period, when the seal states none; a larger one is not parsed. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** The organisation as a folder-name part: lower case, accents dropped, every run of other characters one `-`. */
export function organisationSlug(organisation: string): string {
  const slug = organisation
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug === '' ? 'auditpack' : slug;
}

/** Whether an `--out` value names the organisation or the period, so that it needs the configuration to be resolved. */
export function hasPlaceholders(pattern: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(pattern);
}

/** Fills `{organisation}` (slugged) and `{period}` (the concrete label, e.g. 2026-Q2) into an `--out` pattern. */
export function bundlePathFor(pattern: string, organisation: string, periodLabel: string): string {
  return pattern.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'organisation') return organisationSlug(organisation);
    if (name === 'period') return periodLabel;
    throw new AuditpackError('CONFIG_INVALID', `--out ${JSON.stringify(pattern)}: unknown placeholder ${whole}; use {organisation} and {period}`);
  });
}

/** What an existing bundle says its period is: the label its seal states, or the period of its report.json. */
export interface StatedPeriod {
  label?: string;
  start?: string;
  end?: string;
}

/**
 * Refuses (OUTPUT_OTHER_PERIOD) to replace a sealed bundle folder, or a
 * bundle archive, that states another period than the run's, or whose period
 * cannot be read. Called under the output lock, after the folder was found
 * to be an auditpack bundle; absent and empty folders are not looked at.
 */
export async function refuseAnotherPeriod(target: { dir: string; state: OutputState; archive?: string }, period: Period): Promise<void> {
  if (target.state === 'bundle') {
    const read = (name: string, max: number) => readContainedFile(target.dir, name, max).catch(() => undefined);
    compare(target.dir, await statedPeriod(read, period), period, 'folder');
  }
  const archive = target.archive;
  if (archive !== undefined && (await lstat(archive).catch(() => undefined))?.isFile() === true) {
    const files = await archiveFiles(archive);
    compare(archive, await statedPeriod((name) => Promise.resolve(files.get(name)), period), period, 'archive');
  }
}

/**
 * The period the seal states (the label `auditpack report` signs); when that
 * is not the run's, report.json's instants as well (when it names the same
 * label), so that a range naming the same days as a quarter is the same
 * period. report.json is read only then: it can be large.
 */
async function statedPeriod(read: (name: string, max: number) => Promise<Buffer | undefined>, period: Period): Promise<StatedPeriod | undefined> {
  const fromSeal = sealPeriod(await read(SEAL_FILE, 16 * 1024 * 1024));
  if (fromSeal?.label === period.label) return fromSeal;
  const fromReport = reportPeriod(await read(REPORT_FILE, MAX_REPORT_BYTES));
  if (fromSeal === undefined) return fromReport;
  // report.json's instants count only when it names the period the seal signed: an inconsistent bundle keeps the seal's word.
  const { label, start, end } = fromReport ?? {};
  return label === fromSeal.label && start !== undefined && end !== undefined ? { ...fromSeal, start, end } : fromSeal;
}

function compare(where: string, stated: StatedPeriod | undefined, period: Period, what: 'folder' | 'archive'): void {
  const how = `choose another --out (the default, ${DEFAULT_OUT}, gives each period its own folder), or move it away yourself`;
  if (stated === undefined) {
    throw new AuditpackError(
      'OUTPUT_OTHER_PERIOD',
      `the output ${what} is a sealed auditpack bundle whose period cannot be read (its seal and report.json state none), so it may be another period's: refusing to replace it; ${how}`,
      { file: where },
    );
  }
  if (samePeriod(stated, period)) return;
  throw new AuditpackError(
    'OUTPUT_OTHER_PERIOD',
    `the output ${what} is the sealed bundle of ${stated.label ?? `${stated.start ?? '?'} to ${stated.end ?? '?'}`}, not of ${period.label}: a sealed bundle of another period is never replaced; ${how}`,
    { file: where },
  );
}

/** The same label, or the same instants (`2026-Q2` and `2026-04-01..2026-06-30` in the same zone are one period). */
export function samePeriod(stated: StatedPeriod, period: Period): boolean {
  if (stated.label === period.label) return true;
  if (stated.start === undefined || stated.end === undefined) return false;
  const instant = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toMillis();
  return instant(stated.start) === period.interval.start.toMillis() && instant(stated.end) === period.interval.end.toMillis();
}

/** Streams the archive once, keeping only its seal and report.json (an archive holds one bundle, at its root or in one folder). */
async function archiveFiles(archive: string): Promise<Map<string, Buffer>> {
  const kept = new Map<string, Buffer[]>();
  const wanted = (path: string, size: number) =>
    [SEAL_FILE, REPORT_FILE].find((name) => (path === name || (path.endsWith(`/${name}`) && path.split('/').length === 2)) && size <= MAX_REPORT_BYTES);
  try {
    await readTarGz(archive, ARCHIVE_LIMITS, {
      folder: () => Promise.resolve(),
      file: (path, size) => {
        const name = wanted(path, size);
        const chunks: Buffer[] = [];
        if (name !== undefined) kept.set(name, chunks);
        const write = (chunk: Buffer) => {
          if (name !== undefined) chunks.push(Buffer.from(chunk));
          return Promise.resolve();
        };
        return Promise.resolve({ write, end: () => Promise.resolve() });
      },
    });
  } catch (thrown) {
    throw new AuditpackError('OUTPUT_INVALID', `the archive path exists and cannot be read (${describeThrown(thrown)}); refusing to replace it`, {
      file: archive,
    });
  }
  return new Map([...kept].map(([name, chunks]) => [name, Buffer.concat(chunks)]));
}

/** The `period` an auditpack seal's in-toto statement states (the predicate `auditpack report` signs). */
function sealPeriod(bytes: Buffer | undefined): StatedPeriod | undefined {
  const json = parseJson(bytes) as { dsseEnvelope?: { payloadType?: unknown; payload?: unknown } } | undefined;
  const envelope = json?.dsseEnvelope;
  if (typeof envelope?.payloadType !== 'string' || typeof envelope.payload !== 'string') return undefined;
  const statement = parseInTotoStatement(envelope.payloadType, envelope.payload);
  if (!statement.ok || statement.value.predicateType !== SEAL_PREDICATE_TYPE) return undefined;
  const label = (statement.value.predicate as { period?: unknown } | null)?.period;
  return typeof label === 'string' && label !== '' ? { label } : undefined;
}

function reportPeriod(bytes: Buffer | undefined): StatedPeriod | undefined {
  const period = (parseJson(bytes) as { run?: { period?: Record<string, unknown> } } | undefined)?.run?.period;
  if (period === undefined) return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const [label, start, end] = [text(period.label), text(period.start), text(period.end)];
  if (label === undefined && (start === undefined || end === undefined)) return undefined;
  return { ...(label === undefined ? {} : { label }), ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

function parseJson(bytes: Buffer | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
