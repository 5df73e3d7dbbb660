/**
 * A loopback Woodpecker API that replays recorded answers: the sample
 * estate's exports are the bytes `GET /api/repos/lookup/…`, `/pipelines/{n}`
 * and `/logs/{n}/{step_id}` returned, and the list endpoint is built from
 * them as Woodpecker builds it (newest first, no workflows, paged, perPage
 * capped at 50). A v2 mode renames the fields as Woodpecker 2.x named them.
 * Faults are injected per path: a status, an HTML page, a delay, a body cut
 * off mid-way, for the first N requests or for all.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface WoodpeckerFixture {
  repo: Buffer;
  repoId: number;
  fullName: string;
  /** Pipeline detail answers by number, exact bytes. */
  pipelines: Map<number, Buffer>;
  /** Step log answers by `<number>/<step_id>`, exact bytes. */
  logs: Map<string, Buffer>;
}

export interface Fault {
  status?: number;
  body?: string | Buffer;
  contentType?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send the headers and half the body, then close the connection. */
  truncate?: boolean;
  /** Apply to the first N requests only (then answer normally); all when absent. */
  times?: number;
}

export interface FakeWoodpecker {
  url: URL;
  /** Paths requested, in order (with the query). */
  requests: string[];
  stop(): Promise<void>;
}

export async function loadWoodpeckerExport(dir: string): Promise<WoodpeckerFixture> {
  const repo = await readFile(join(dir, 'repo.json'));
  const repoJson = JSON.parse(repo.toString('utf8')) as { id: number; full_name: string };
  const pipelines = new Map<number, Buffer>();
  for (const file of await readdir(join(dir, 'pipelines'))) pipelines.set(Number(file.replace(/\.json$/, '')), await readFile(join(dir, 'pipelines', file)));
  const logs = new Map<string, Buffer>();
  for (const number of await readdir(join(dir, 'logs'))) {
    for (const file of await readdir(join(dir, 'logs', number)))
      logs.set(`${number}/${file.replace(/\.json$/, '')}`, await readFile(join(dir, 'logs', number, file)));
  }
  return { repo, repoId: repoJson.id, fullName: repoJson.full_name, pipelines, logs };
}

const V2_NAMES: Record<string, string> = {
  created: 'created_at',
  updated: 'updated_at',
  started: 'started_at',
  finished: 'finished_at',
  reviewed: 'reviewed_at',
};

/** Woodpecker 2.x field names: Pipeline `*_at`, Workflow and Step `start_time`/`end_time`. */
export function toV2(pipeline: Record<string, unknown>): Record<string, unknown> {
  const rename = (o: Record<string, unknown>, names: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [names[k] ?? k, v]));
  const steps = { started: 'start_time', finished: 'end_time' };
  const out = rename(pipeline, V2_NAMES);
  delete out.event_reason;
  if (Array.isArray(out.workflows)) {
    out.workflows = (out.workflows as Record<string, unknown>[]).map((w) => ({
      ...rename(w, steps),
      ...(Array.isArray(w.children) ? { children: (w.children as Record<string, unknown>[]).map((c) => rename(c, steps)) } : {}),
    }));
  }
  return out;
}

/** Woodpecker 2.x repositories: `trusted` was one boolean (3.x split it into network, volumes, security). */
export function repoToV2(repo: Record<string, unknown>): Record<string, unknown> {
  const trusted = repo.trusted;
  return { ...repo, trusted: typeof trusted === 'object' && trusted !== null ? Object.values(trusted).some(Boolean) : trusted };
}

export async function startWoodpecker(
  fixture: WoodpeckerFixture,
  options: { token: string; version?: 'v2' | 'v3'; faults?: Map<string, Fault>; maxPage?: number },
): Promise<FakeWoodpecker> {
  const requests: string[] = [];
  const served = new Map<string, number>();
  const maxPage = options.maxPage ?? 50;
  const v2 = options.version === 'v2';
  const detail = (bytes: Buffer) => (v2 ? Buffer.from(JSON.stringify(toV2(JSON.parse(bytes.toString('utf8')) as Record<string, unknown>))) : bytes);
  const answer = (path: string, query: URLSearchParams): { status: number; body: Buffer; type?: string } => {
    const repoPrefix = `/api/repos/${fixture.repoId}`;
    if (path === `/api/repos/lookup/${fixture.fullName}`)
      return {
        status: 200,
        body: v2 ? Buffer.from(JSON.stringify(repoToV2(JSON.parse(fixture.repo.toString('utf8')) as Record<string, unknown>))) : fixture.repo,
      };
    if (path === `${repoPrefix}/pipelines`) {
      const perPage = Math.min(maxPage, Math.max(1, Number(query.get('perPage') ?? 50)));
      const page = Math.max(1, Number(query.get('page') ?? 1));
      const list = [...fixture.pipelines.keys()]
        .sort((a, b) => b - a)
        .map((n) => {
          const { workflows: _dropped, ...summary } = JSON.parse(detail(fixture.pipelines.get(n) ?? Buffer.from('{}')).toString('utf8')) as Record<
            string,
            unknown
          >;
          return summary;
        });
      return { status: 200, body: Buffer.from(JSON.stringify(list.slice((page - 1) * perPage, page * perPage))) };
    }
    const pipeline = new RegExp(`^${repoPrefix}/pipelines/(\\d+)$`).exec(path);
    const found = pipeline ? fixture.pipelines.get(Number(pipeline[1])) : undefined;
    if (found) return { status: 200, body: detail(found) };
    const log = new RegExp(`^${repoPrefix}/logs/(\\d+)/(\\d+)$`).exec(path);
    const logBytes = log ? fixture.logs.get(`${log[1]}/${log[2]}`) : undefined;
    if (logBytes) return { status: 200, body: logBytes };
    return { status: 404, body: Buffer.from('404 page not found\n'), type: 'text/plain; charset=utf-8' };
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    void respond(url, req, res);
  });
  const respond = async (url: URL, req: IncomingMessage, res: ServerResponse) => {
    const fault = options.faults?.get(url.pathname);
    const count = (served.get(url.pathname) ?? 0) + 1;
    served.set(url.pathname, count);
    const active = fault !== undefined && (fault.times === undefined || count <= fault.times) ? fault : undefined;
    if (active?.delayMs) await new Promise((r) => setTimeout(r, active.delayMs));
    if (res.destroyed) return;
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('User not authorized\n');
      return;
    }
    const normal = answer(url.pathname, url.searchParams);
    const status = active?.status ?? normal.status;
    const body = active?.body === undefined ? normal.body : Buffer.from(active.body);
    const type = active?.contentType ?? normal.type ?? 'application/json; charset=utf-8';
    if (active?.truncate) {
      res.writeHead(status, { 'content-type': type, 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      return;
    }
    res.writeHead(status, { 'content-type': type, 'content-length': String(body.length) }).end(body);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
