import { isRecord } from '../../util/wire.js';
import { RemoteError, displayUrl } from '../remote/errors.js';
import { mayCarryCredentials, type HttpClient, type HttpRequest, type HttpResponse } from '../remote/http.js';
import type { Credentials } from './credentials.js';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses `WWW-Authenticate` (RFC 9110 §11.6.1): `Bearer realm="…",service="…",scope="…"`
 * or `Basic realm="…"`, several challenges possibly joined by commas.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
  const VALUE = '("(?:[^"\\\\]|\\\\.)*"|[^\\s",]*)';
  const param = new RegExp(`^\\s*(${TOKEN})\\s*=\\s*${VALUE}\\s*$`);
  const opening = new RegExp(`^\\s*(${TOKEN})(?:\\s+(${TOKEN})\\s*=\\s*${VALUE})?\\s*$`);
  const set = (c: Challenge, key: string | undefined, raw: string | undefined) => {
    if (key === undefined || raw === undefined) return;
    c.params[key.toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  };
  for (const item of splitOutsideQuotes(header)) {
    const p = param.exec(item);
    const current = challenges.at(-1);
    if (p !== null && current !== undefined) {
      set(current, p[1], p[2]);
      continue;
    }
    const o = opening.exec(item);
    if (o === null) continue;
    const challenge: Challenge = { scheme: (o[1] ?? '').toLowerCase(), params: {} };
    set(challenge, o[2], o[3]);
    challenges.push(challenge);
  }
  return challenges;
}

function splitOutsideQuotes(text: string): string[] {
  const items: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\' && quoted) i += 1;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.filter((i) => i.trim() !== '');
}

/**
 * Sends registry requests with the authentication the registry asks for,
 * the way Docker, Harbor and Docker Hub do it: a 401 with a Basic challenge
 * is answered with the credentials; a Bearer challenge sends them to the
 * token service named in `realm` and retries with the token, cached per
 * scope. Credentials never travel over plain HTTP except to a loopback host.
 */
export class RegistrySession {
  private readonly tokens = new Map<string, string>();
  private basic = false;

  constructor(
    private readonly http: HttpClient,
    readonly registry: URL,
    private readonly credentials: Credentials,
  ) {}

  async send(request: HttpRequest, scope: string): Promise<HttpResponse> {
    const known = this.tokens.get(scope) ?? (this.basic || this.credentials.scheme === 'bearer' ? this.credentials.header() : undefined);
    const first = await this.http.send(this.withAuthorization(request, known));
    if (first.status !== 401) return first;
    const challenge = parseChallenges(first.headers.get('www-authenticate') ?? '').find((c) => c.scheme === 'bearer' || c.scheme === 'basic');
    const where = displayUrl(request.url);
    if (challenge === undefined || this.credentials.scheme === 'bearer') {
      const why = challenge === undefined ? 'answered 401 without a Basic or Bearer challenge' : `refused the token from ${this.credentials.source}`;
      throw new RemoteError('COLLECT_AUTH_FAILED', where, `${request.what}: the registry ${why}`, { fatal: true });
    }
    if (challenge.scheme === 'basic') return this.retryBasic(request, known, where);
    const token = await this.fetchToken(challenge, scope, where);
    this.tokens.set(scope, token);
    const second = await this.http.send(this.withAuthorization(request, token));
    if (second.status === 401) {
      const who = this.credentials.scheme === 'anonymous' ? 'anonymous access is' : `the credentials from ${this.credentials.source} are`;
      throw new RemoteError(
        'COLLECT_AUTH_FAILED',
        where,
        `${request.what}: the registry refused the token for ${challenge.params.scope ?? scope}: ${who} not allowed to pull it`,
      );
    }
    return second;
  }

  private async retryBasic(request: HttpRequest, sent: string | undefined, where: string): Promise<HttpResponse> {
    const header = this.credentials.header();
    if (header === undefined) throw this.missing(request, where);
    if (sent === header) throw this.refused(request, where);
    this.basic = true;
    const response = await this.http.send(this.withAuthorization(request, header));
    if (response.status === 401) throw this.refused(request, where);
    return response;
  }

  private async fetchToken(challenge: Challenge, scope: string, where: string): Promise<string> {
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new RemoteError('COLLECT_BAD_RESPONSE', where, `the registry's Bearer challenge names no valid token realm (${JSON.stringify(realm)})`);
    }
    if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? scope);
    const response = await this.http.send(
      this.withAuthorization({ url, maxBytes: 1024 * 1024, what: `token for ${challenge.params.scope ?? scope}` }, this.credentials.header()),
    );
    if (response.status === 401 || response.status === 403) {
      const reason =
        this.credentials.scheme === 'anonymous' ? 'refused anonymous access: give credentials' : `refused the credentials from ${this.credentials.source}`;
      throw new RemoteError('COLLECT_AUTH_FAILED', displayUrl(url), `the token service ${reason}`, { fatal: true });
    }
    let body: unknown;
    try {
      body = response.status === 200 ? JSON.parse(response.body.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const token = isRecord(body) ? (body.token ?? body.access_token) : undefined;
    if (typeof token !== 'string' || token === '') {
      throw new RemoteError('COLLECT_BAD_RESPONSE', displayUrl(url), `the token service answered ${response.status} without a token`);
    }
    return `Bearer ${token}`;
  }

  /** Adds the Authorization header, refusing to send it in clear text to anything but a loopback host. */
  private withAuthorization(request: HttpRequest, authorization: string | undefined): HttpRequest {
    if (authorization === undefined) return request;
    if (!mayCarryCredentials(request.url)) {
      throw new RemoteError('COLLECT_AUTH_FAILED', displayUrl(request.url), `refusing to send credentials over plain HTTP to ${request.url.host}: use https`, {
        fatal: true,
      });
    }
    return { ...request, headers: { ...request.headers, authorization } };
  }

  private missing(request: HttpRequest, where: string): RemoteError {
    return new RemoteError(
      'COLLECT_AUTH_FAILED',
      where,
      `${request.what}: the registry requires credentials and none were found (set the user name and password variables, or log in with docker login)`,
      { fatal: true },
    );
  }

  private refused(request: HttpRequest, where: string): RemoteError {
    return new RemoteError('COLLECT_AUTH_FAILED', where, `${request.what}: the registry refused the credentials from ${this.credentials.source}`, {
      fatal: true,
    });
  }
}
