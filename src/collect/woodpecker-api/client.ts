import { RemoteError, displayUrl } from '../remote/errors.js';
import { mayCarryCredentials, type HttpClient, type HttpRequest } from '../remote/http.js';
import { parseJson, unexpectedStatus } from '../remote/response.js';

/** An API answer: its exact bytes (what is written) and the parsed JSON (what is read). */
export interface Answer {
  bytes: Buffer;
  json: unknown;
}

/** Woodpecker caps `perPage` at 50 (server/api: `perPage` clamped); asking for more gets 50. */
export const PAGE_SIZE = 50;

/**
 * Read-only calls of the Woodpecker REST API, v2 and v3 alike (the paths
 * are the same; field names differ and are read by the collector):
 * `GET /api/repos/lookup/{owner}/{name}`, `/api/repos/{id}/pipelines`,
 * `/api/repos/{id}/pipelines/{number}`, `/api/repos/{id}/logs/{number}/{step_id}`,
 * with `Authorization: Bearer <personal access token>`.
 */
export class WoodpeckerClient {
  readonly #authorization: string;
  private readonly base: URL;

  constructor(
    private readonly http: HttpClient,
    server: URL,
    token: string,
    private readonly maxBytes: number,
  ) {
    this.base = new URL(server.pathname.endsWith('/') ? server.toString() : `${server.toString()}/`);
    if (!mayCarryCredentials(this.base)) {
      throw new RemoteError('COLLECT_AUTH_FAILED', displayUrl(this.base), `refusing to send the token over plain HTTP to ${this.base.host}: use https`, {
        fatal: true,
      });
    }
    this.#authorization = `Bearer ${token}`;
  }

  lookupRepository(fullName: string): Promise<Answer | undefined> {
    return this.get(`api/repos/lookup/${fullName.split('/').map(encodeURIComponent).join('/')}`, `repository ${fullName}`);
  }

  async pipelines(repoId: number, page: number, window: { after: string; before: string }): Promise<Answer> {
    const query = new URLSearchParams({ page: String(page), perPage: String(PAGE_SIZE), after: window.after, before: window.before });
    const answer = await this.get(`api/repos/${repoId}/pipelines?${query.toString()}`, `pipeline list page ${page}`);
    if (answer === undefined)
      throw new RemoteError(
        'COLLECT_NOT_FOUND',
        displayUrl(this.url(`api/repos/${repoId}/pipelines`)),
        `the pipeline list of repository ${repoId} does not exist (404)`,
      );
    return answer;
  }

  pipeline(repoId: number, number: number): Promise<Answer | undefined> {
    return this.get(`api/repos/${repoId}/pipelines/${number}`, `pipeline #${number}`);
  }

  stepLog(repoId: number, number: number, stepId: number): Promise<Answer | undefined> {
    return this.get(`api/repos/${repoId}/logs/${number}/${stepId}`, `log of pipeline #${number} step ${stepId}`);
  }

  /** 200 → the answer; 404 → undefined; 401 → the token is refused (fatal); anything else → an error naming the status. */
  private async get(path: string, what: string): Promise<Answer | undefined> {
    const request: HttpRequest = {
      url: this.url(path),
      headers: { accept: 'application/json', authorization: this.#authorization },
      maxBytes: this.maxBytes,
      what,
    };
    const response = await this.http.send(request);
    if (response.status === 404) return undefined;
    if (response.status === 401) {
      throw new RemoteError('COLLECT_AUTH_FAILED', displayUrl(request.url), `${what}: the server refused the token (401): it is wrong, expired or revoked`, {
        fatal: true,
      });
    }
    if (response.status !== 200) throw unexpectedStatus(response, request);
    return { bytes: response.body, json: parseJson(response, request) };
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }
}
