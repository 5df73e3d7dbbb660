import { isRecord } from '../../util/wire.js';
import { RemoteError, displayUrl } from './errors.js';
import type { HttpRequest, HttpResponse } from './http.js';

/** A short, safe description of an error body: the API's own error codes, "an HTML page", or nothing. */
export function describeBody(response: HttpResponse): string {
  const text = response.body.subarray(0, 4096).toString('utf8').trim();
  if (looksLikeHtml(response)) return 'an HTML page';
  try {
    const json: unknown = JSON.parse(text);
    if (isRecord(json) && Array.isArray(json.errors)) {
      const list = json.errors.filter(isRecord).map((e) => [e.code, e.message].filter((x) => typeof x === 'string').join(': '));
      if (list.length > 0) return list.join('; ');
    }
    if (isRecord(json) && typeof json.message === 'string') return json.message.slice(0, 200);
  } catch {
    // not JSON: fall through to the first line of text
  }
  const first = text.split('\n')[0] ?? '';
  return /^[\x20-\x7e]{1,200}$/.test(first) ? first : '';
}

export function looksLikeHtml(response: HttpResponse): boolean {
  const type = response.headers.get('content-type') ?? '';
  const start = response.body.subarray(0, 256).toString('utf8').trimStart().toLowerCase();
  return type.includes('text/html') || start.startsWith('<!doctype html') || start.startsWith('<html');
}

/** Parses a JSON answer, with a clear reason when it is an HTML page, empty, or cut off. */
export function parseJson(response: HttpResponse, request: HttpRequest): unknown {
  const where = displayUrl(request.url);
  if (looksLikeHtml(response)) {
    throw new RemoteError(
      'COLLECT_BAD_RESPONSE',
      where,
      `${request.what}: the server answered ${response.status} with an HTML page, not JSON (a proxy, a login page or the wrong URL?)`,
    );
  }
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch (thrown) {
    const why = response.body.length === 0 ? 'an empty answer' : `not JSON (${thrown instanceof Error ? thrown.message : String(thrown)}; cut off?)`;
    throw new RemoteError('COLLECT_BAD_RESPONSE', where, `${request.what}: ${why}`);
  }
}

/** The error for a status the caller did not expect. */
export function unexpectedStatus(response: HttpResponse, request: HttpRequest): RemoteError {
  const where = displayUrl(request.url);
  const body = describeBody(response);
  const detail = body === '' ? '' : ` (${body})`;
  if (response.status === 403) return new RemoteError('COLLECT_AUTH_FAILED', where, `${request.what}: access denied (403)${detail}`);
  if (response.status === 404) return new RemoteError('COLLECT_NOT_FOUND', where, `${request.what}: not found (404)${detail}`);
  const code = response.status >= 500 ? 'COLLECT_SERVER_ERROR' : 'COLLECT_BAD_RESPONSE';
  return new RemoteError(code, where, `${request.what}: the server answered ${response.status}${detail}`);
}

/** The `rel="next"` target of a Link header, only when it stays on the same origin (a token is never sent elsewhere). */
export function nextLink(response: HttpResponse, base: URL): URL | undefined {
  const header = response.headers.get('link');
  const match = header === null ? null : /<([^>]+)>\s*;\s*rel="?next"?/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const next = new URL(match[1], base);
  return next.origin === base.origin ? next : undefined;
}
