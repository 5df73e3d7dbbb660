/**
 * A loopback HTTP proxy in front of a real registry: requests are forwarded
 * unchanged unless a rule matches, which can answer by itself (the OCI 1.1
 * referrers endpoint distribution 2.8 lacks), delay, fail with a status,
 * or alter the forwarded answer's bytes (a blob that no longer matches its
 * digest). Rules may apply to the first N matching requests only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyRule {
  match: (method: string, path: string) => boolean;
  delayMs?: number;
  /** Answer with this instead of forwarding. */
  respond?: { status: number; headers?: Record<string, string>; body?: Buffer | string };
  /** Change the forwarded answer's body. */
  alter?: (body: Buffer) => Buffer;
  /** Headers of the forwarded answer to leave out (a hostile server that announces no digest). */
  dropHeaders?: string[];
  times?: number;
}

export interface RunningProxy {
  url: URL;
  /** `METHOD path?query` of every request, in order. */
  hits: string[];
  stop: () => Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'content-encoding']);

export async function startProxy(target: URL, rules: ProxyRule[] = []): Promise<RunningProxy> {
  const hits: string[] = [];
  const used = new Map<ProxyRule, number>();
  const server: Server = createServer((req, res) => void handle(req, res));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    hits.push(`${method} ${path}`);
    const rule = rules.find((r) => r.match(method, path.split('?')[0] ?? path) && (r.times === undefined || (used.get(r) ?? 0) < r.times));
    if (rule) used.set(rule, (used.get(rule) ?? 0) + 1);
    if (rule?.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
    if (res.destroyed) return;
    if (rule?.respond) {
      const body = Buffer.from(rule.respond.body ?? '');
      res.writeHead(rule.respond.status, { 'content-length': String(body.length), ...rule.respond.headers }).end(body);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => !HOP_BY_HOP.has(k) && typeof v === 'string')) as Record<string, string>;
    try {
      const upstream = await fetch(new URL(path, target), {
        method,
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        redirect: 'manual',
      });
      let body: Buffer = Buffer.from(await upstream.arrayBuffer());
      if (rule?.alter) body = rule.alter(body);
      const out: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (!HOP_BY_HOP.has(key) && !(rule?.dropHeaders ?? []).includes(key)) out[key] = value;
      });
      res.writeHead(upstream.status, { ...out, 'content-length': String(body.length) }).end(body);
    } catch {
      res.destroy();
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    hits,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens: a port that was free a moment ago. */
export async function closedPortUrl(): Promise<URL> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return new URL(`http://127.0.0.1:${port}`);
}
