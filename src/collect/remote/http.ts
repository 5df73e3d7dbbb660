import { setTimeout as sleep } from 'node:timers/promises';
import { GENERATOR } from '../../util/generator.js';
import { RemoteError, displayUrl } from './errors.js';
import { Limiter } from './limiter.js';

export interface HttpSettings {
  /** An attempt is abandoned when no answer, or no further body bytes, arrive for this long. */
  timeoutMs: number;
  /** Further attempts after a failed GET or HEAD (network error, timeout, 429, 5xx); bounded. */
  retries: number;
  /** First pause before a retry; doubled each time, capped at 30 s (a Retry-After header is honoured up to the cap). */
  retryDelayMs: number;
  /** Requests in flight at once, across the whole collection. */
  concurrency: number;
}

export const DEFAULT_HTTP: HttpSettings = { timeoutMs: 30_000, retries: 3, retryDelayMs: 500, concurrency: 4 };
const MAX_PAUSE_MS = 30_000;
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

export interface HttpRequest {
  url: URL;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  headers?: Record<string, string>;
  body?: Buffer;
  /** Largest body read; a larger answer is refused without being read whole. */
  maxBytes: number;
  /** What is fetched, for messages: "manifest akko/cockpit:2026.04". */
  what: string;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: URL;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Credentials travel only over https, or in clear text to this machine itself (tests, port forwards). */
export function mayCarryCredentials(url: URL): boolean {
  return url.protocol === 'https:' || LOOPBACK.has(url.hostname);
}

type Attempt = { ok: true; response: HttpResponse } | { ok: false; kind: 'unreachable' | 'timeout' | 'cut-off'; detail: string };

/**
 * HTTP for the collectors, on Node's built-in fetch: bounded retries with
 * exponential backoff, an idle timeout on the answer and on its body, a size
 * limit enforced while reading, and a limit on requests in flight. Statuses
 * other than 429/5xx are returned for the caller to interpret.
 */
export class HttpClient {
  private readonly limiter: Limiter;

  constructor(readonly settings: HttpSettings = DEFAULT_HTTP) {
    this.limiter = new Limiter(settings.concurrency);
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    return this.limiter.run(() => this.withRetries(request));
  }

  private async withRetries(request: HttpRequest): Promise<HttpResponse> {
    const idempotent = (request.method ?? 'GET') === 'GET' || request.method === 'HEAD';
    const attempts = idempotent ? this.settings.retries + 1 : 1;
    const where = displayUrl(request.url);
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.attempt(request);
      const last = attempt >= attempts;
      if (result.ok && !RETRY_STATUS.has(result.response.status)) return result.response;
      if (last) throw finalError(result, request, where, attempts, this.settings.timeoutMs);
      const retryAfter = result.ok ? Number(result.response.headers.get('retry-after')) : NaN;
      const pause = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : this.settings.retryDelayMs * 2 ** (attempt - 1);
      await sleep(Math.min(pause, MAX_PAUSE_MS));
    }
  }

  private async attempt(request: HttpRequest): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.settings.timeoutMs);
    };
    // A trickling answer still ends: the whole attempt gets at most ten idle periods.
    const cap = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.settings.timeoutMs * 10);
    arm();
    let headersReceived = false;
    try {
      const response = await fetch(request.url, {
        method: request.method ?? 'GET',
        headers: { 'user-agent': `${GENERATOR.name}/${GENERATOR.version}`, ...request.headers },
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: 'follow',
        signal: controller.signal,
      });
      headersReceived = true;
      arm();
      const body = await readBody(response, request, arm, () => controller.abort());
      return { ok: true, response: { status: response.status, headers: response.headers, body, url: new URL(response.url || request.url) } };
    } catch (thrown) {
      if (thrown instanceof RemoteError) throw thrown;
      if (timedOut) return { ok: false, kind: 'timeout', detail: headersReceived ? 'the answer stalled' : 'no answer' };
      return { ok: false, kind: headersReceived ? 'cut-off' : 'unreachable', detail: networkReason(thrown) };
    } finally {
      clearTimeout(idle);
      clearTimeout(cap);
    }
  }
}

async function readBody(response: Response, request: HttpRequest, arm: () => void, abort: () => void): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > request.maxBytes) {
    abort();
    throw tooLarge(request, `it declares ${declared} bytes`);
  }
  if (response.body === null || request.method === 'HEAD') return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  // fetch's body is a byte stream; Node's typings leave its chunks untyped.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    arm();
    size += chunk.byteLength;
    if (size > request.maxBytes) {
      abort();
      throw tooLarge(request, `more than ${request.maxBytes} bytes arrived`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(request: HttpRequest, why: string): RemoteError {
  return new RemoteError(
    'COLLECT_TOO_LARGE',
    displayUrl(request.url),
    `${request.what}: larger than the limit of ${request.maxBytes} bytes (${why}); not read`,
  );
}

function finalError(result: Attempt, request: HttpRequest, where: string, attempts: number, timeoutMs: number): RemoteError {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  if (result.ok) {
    const status = result.response.status;
    return new RemoteError('COLLECT_SERVER_ERROR', where, `${request.what}: the server answered ${status}${statusText(status)} (${tries})`);
  }
  switch (result.kind) {
    case 'timeout':
      return new RemoteError('COLLECT_TIMEOUT', where, `${request.what}: ${result.detail} within the ${timeoutMs / 1000} s timeout (${tries})`);
    case 'cut-off':
      return new RemoteError('COLLECT_BAD_RESPONSE', where, `${request.what}: the answer was cut off before its end (${result.detail}; ${tries})`);
    case 'unreachable':
      return new RemoteError('COLLECT_UNREACHABLE', where, `${request.what}: cannot reach ${request.url.host} (${result.detail}; ${tries})`);
  }
}

function statusText(status: number): string {
  const names: Record<number, string> = {
    429: ' Too Many Requests',
    500: ' Internal Server Error',
    502: ' Bad Gateway',
    503: ' Service Unavailable',
    504: ' Gateway Timeout',
  };
  return names[status] ?? '';
}

/** The useful part of a fetch failure: undici wraps the socket error as `cause`. */
function networkReason(thrown: unknown): string {
  const cause = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause : thrown;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
