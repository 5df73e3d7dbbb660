import { createHash } from 'node:crypto';
import { isRecord } from '../../util/wire.js';
import { redactLogLines, redactText, type RedactionPolicy } from '../redact.js';
import type { Answer } from './client.js';

/** Where in a file something was redacted, and by which rules. */
export type RedactionSpot = ({ line: number } | { path: string }) & { rules: string[] };

/** What `redactions.json` says about one written file: the original's digest, never the secret. */
export interface RedactionRecord {
  /** Path of the written (redacted) file, relative to the collection folder. */
  file: string;
  original: { sha256: string; size: number };
  written: { sha256: string; size: number };
  redactions: RedactionSpot[];
}

export interface Redacted {
  bytes: Buffer;
  /** Present only when something was redacted; the bytes are then not the server's. */
  record?: RedactionRecord;
}

/** Keys whose values in `environ` and `variables` maps are secrets by their name. */
const SECRET_NAME = /password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;

/**
 * Redacts an API answer that is a JSON document (repository, pipeline):
 * every string value, and whole values of `environ`/`variables` entries
 * named like a secret or named with `--redact-var`. An answer with nothing
 * to redact is kept byte for byte.
 */
export function redactJsonAnswer(file: string, answer: Answer, policy: RedactionPolicy): Redacted {
  const found: { path: string; rules: string[] }[] = [];
  const walk = (value: unknown, path: string, secretMap: boolean): unknown => {
    if (typeof value === 'string') {
      const r = redactText(value, policy);
      if (r.rules.length > 0) found.push({ path, rules: r.rules });
      return r.text;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}/${i}`, false));
    if (!isRecord(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        if (secretMap && typeof v === 'string' && v !== '' && (SECRET_NAME.test(key) || policy.variables.includes(key))) {
          found.push({ path: at, rules: [policy.variables.includes(key) ? `variable:${key}` : 'secret-assignment'] });
          return [key, `[REDACTED:${policy.variables.includes(key) ? 'variable' : 'secret-assignment'}]`];
        }
        return [key, walk(v, at, key === 'environ' || key === 'variables')];
      }),
    );
  };
  const redacted = walk(answer.json, '', false);
  if (found.length === 0) return { bytes: answer.bytes };
  const bytes = Buffer.from(JSON.stringify(redacted));
  return { bytes, record: record(file, answer.bytes, bytes, found) };
}

/**
 * Redacts a step log (`LogEntry[]`): each entry's `data` (base64 of the
 * line's bytes) is decoded, redacted in the log's line order, and encoded
 * again; entries with nothing to redact keep their exact `data`. A log with
 * nothing to redact is kept byte for byte. Returns undefined when the answer
 * is not a list of log entries.
 */
export function redactLogAnswer(file: string, answer: Answer, policy: RedactionPolicy): Redacted | undefined {
  if (!Array.isArray(answer.json) || !answer.json.every(isRecord)) return undefined;
  const entries = answer.json;
  const order = entries.map((_, i) => i).sort((a, b) => Number(entries[a]?.line ?? a) - Number(entries[b]?.line ?? b));
  const decoded = order.map((i) => dataBytes(entries[i]?.data));
  const result = redactLogLines(decoded, policy);
  if (result.redactions.length === 0) return { bytes: answer.bytes };
  const copy = entries.map((e) => ({ ...e }));
  const found = result.redactions.map((r) => {
    const index = order[r.line] ?? r.line;
    const entry = copy[index];
    if (entry !== undefined) entry.data = result.lines[r.line]?.toString('base64') ?? '';
    return { line: typeof entry?.line === 'number' ? entry.line : r.line, rules: r.rules };
  });
  const bytes = Buffer.from(JSON.stringify(copy));
  return { bytes, record: record(file, answer.bytes, bytes, found) };
}

/** `data` is Go []byte: base64 on the wire (the Swagger's "array of integer" is wrong; both are read). */
function dataBytes(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'base64');
  if (Array.isArray(data) && data.every((b) => Number.isInteger(b))) return Buffer.from(data as number[]);
  return Buffer.alloc(0);
}

function record(file: string, original: Buffer, written: Buffer, redactions: RedactionSpot[]): RedactionRecord {
  const digest = (b: Buffer) => ({ sha256: createHash('sha256').update(b).digest('hex'), size: b.length });
  return { file, original: digest(original), written: digest(written), redactions };
}
