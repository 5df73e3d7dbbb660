import type { Report } from '../report/model.js';

/** report.json: the model itself, pretty-printed with a final newline (stable key order from the builder). */
export function renderJson(report: Report): Buffer {
  return Buffer.from([...jsonChunks(report)].join(''), 'utf8');
}

/**
 * report.json piece by piece: byte for byte `JSON.stringify(report, null, 2)`
 * and a final newline, without ever holding the whole text (a 5,000-image
 * report is 160 MB of it). The outer objects and arrays (the report, its
 * findings, evidence, subjects, frameworks and each of their controls) are written
 * member by member; each member below `depth` is one JSON.stringify, its
 * lines indented to where it sits.
 */
export function* jsonChunks(value: unknown, depth = 4): Generator<string> {
  yield* pieces(value, '', '', depth);
  yield '\n';
}

const INDENT = '  ';

function* pieces(value: unknown, key: string, indent: string, depth: number): Generator<string> {
  const json = toJsonValue(value, key);
  if (depth === 0 || json === null || typeof json !== 'object' || isEmpty(json)) {
    yield indented(json, indent);
    return;
  }
  const inner = indent + INDENT;
  if (Array.isArray(json)) {
    yield '[';
    for (const [i, item] of json.entries()) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      // JSON.stringify writes null for what has no JSON form in an array (undefined, a function).
      yield* hasJsonForm(item, String(i)) ? pieces(item, String(i), inner, depth - 1) : ['null'];
    }
    yield `\n${indent}]`;
    return;
  }
  yield '{';
  let first = true;
  for (const [k, v] of Object.entries(json)) {
    if (!hasJsonForm(v, k)) continue; // and skips it in an object
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* pieces(v, k, inner, depth - 1);
  }
  yield `\n${indent}}`;
}

/** What JSON.stringify serialises in place of `value` (its toJSON, when it has one). */
function toJsonValue(value: unknown, key: string): unknown {
  const withToJson = value as { toJSON?: (key: string) => unknown } | null;
  return typeof withToJson?.toJSON === 'function' ? withToJson.toJSON(key) : value;
}

function hasJsonForm(value: unknown, key: string): boolean {
  const json = toJsonValue(value, key);
  return json !== undefined && typeof json !== 'function' && typeof json !== 'symbol';
}

/** An empty array or object is written `[]` / `{}` by JSON.stringify, with nothing inside. */
function isEmpty(json: object): boolean {
  if (Array.isArray(json)) return json.length === 0;
  return !Object.entries(json).some(([k, v]) => hasJsonForm(v, k));
}

/**
 * One value as JSON.stringify(value, null, 2) writes it, every line after the
 * first indented to `indent`: stringified inside as many arrays as `indent`
 * has levels, so that JSON.stringify indents its lines itself, and those
 * arrays' brackets cut off (no second pass over the text to indent it: about
 * 70 ms of the 1,000-image report.json's 0.5 s).
 */
function indented(json: unknown, indent: string): string {
  const levels = indent.length / INDENT.length;
  if (levels === 0 || json === null || typeof json !== 'object') return JSON.stringify(json, null, 2);
  const text = JSON.stringify(nested(json, levels), null, 2);
  const [before, after] = wrapping(levels);
  return text.slice(before, text.length - after);
}

/** `value` inside `levels` arrays. */
function nested(value: unknown, levels: number): unknown {
  let wrapped = value;
  for (let i = 0; i < levels; i++) wrapped = [wrapped];
  return wrapped;
}

/** How many characters the arrays wrapping a value `levels` deep put before and after it (measured once per depth). */
const wrappings: [number, number][] = [];

function wrapping(levels: number): [number, number] {
  let known = wrappings[levels];
  if (known === undefined) {
    const text = JSON.stringify(nested(0, levels), null, 2);
    const at = text.indexOf('0');
    known = [at, text.length - at - 1];
    wrappings[levels] = known;
  }
  return known;
}
