import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, mayCarryCredentials, type HttpSettings } from '../../../src/collect/remote/http.js';
import { Limiter } from '../../../src/collect/remote/limiter.js';

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;
const handlers = new Map<string, Handler>();
const counts = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;
let server: Server;
let base: URL;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    (handlers.get(path) ?? ((_q, r) => r.writeHead(404).end()))(req, res, count);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const settings = (s: Partial<HttpSettings> = {}): HttpSettings => ({ timeoutMs: 2000, retries: 2, retryDelayMs: 5, concurrency: 4, ...s });
const get = (client: HttpClient, path: string, maxBytes = 1 << 20) => client.send({ url: new URL(path, base), maxBytes, what: `thing ${path}` });

describe('HTTP for the collectors', () => {
  it('retries 5xx and 429 with backoff, then returns the good answer', async () => {
    handlers.set('/flaky', (_q, res, n) => (n < 3 ? res.writeHead(n === 1 ? 503 : 429, { 'retry-after': '0' }).end() : res.writeHead(200).end('ok')));
    const response = await get(new HttpClient(settings()), '/flaky');
    expect([response.status, response.body.toString(), counts.get('/flaky')]).toEqual([200, 'ok', 3]);
  });

  it('gives up after the bounded number of attempts with a line naming the status', async () => {
    handlers.set('/down', (_q, res) => res.writeHead(502).end('<html>bad gateway</html>'));
    await expect(get(new HttpClient(settings({ retries: 1 })), '/down')).rejects.toMatchObject({
      code: 'COLLECT_SERVER_ERROR',
      message: 'thing /down: the server answered 502 Bad Gateway (2 attempts)',
    });
    expect(counts.get('/down')).toBe(2);
  });

  it('returns 4xx answers to the caller without retrying', async () => {
    handlers.set('/missing', (_q, res) => res.writeHead(404).end());
    expect((await get(new HttpClient(settings()), '/missing')).status).toBe(404);
    expect(counts.get('/missing')).toBe(1);
  });

  it('never retries a request that is not idempotent', async () => {
    handlers.set('/upload', (_q, res) => res.writeHead(503).end());
    await expect(
      new HttpClient(settings()).send({ method: 'POST', url: new URL('/upload', base), body: Buffer.from('x'), maxBytes: 100, what: 'upload' }),
    ).rejects.toMatchObject({ code: 'COLLECT_SERVER_ERROR' });
    expect(counts.get('/upload')).toBe(1);
  });

  it('abandons an answer that does not come within the timeout', async () => {
    handlers.set('/silent', () => {});
    const started = Date.now();
    await expect(get(new HttpClient(settings({ timeoutMs: 200, retries: 1 })), '/silent')).rejects.toMatchObject({
      code: 'COLLECT_TIMEOUT',
      message: 'thing /silent: no answer within the 0.2 s timeout (2 attempts)',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('abandons a body that stalls mid-way', async () => {
    handlers.set('/stall', (_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    await expect(get(new HttpClient(settings({ timeoutMs: 200, retries: 0 })), '/stall')).rejects.toMatchObject({
      code: 'COLLECT_TIMEOUT',
      message: expect.stringContaining('the answer stalled'),
    });
  });

  it('says an answer was cut off when the connection closes before the declared end', async () => {
    handlers.set('/cut', (_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => res.destroy());
    });
    await expect(get(new HttpClient(settings({ retries: 0 })), '/cut')).rejects.toMatchObject({
      code: 'COLLECT_BAD_RESPONSE',
      message: expect.stringContaining('the answer was cut off before its end'),
    });
  });

  it('refuses an answer larger than the limit, whether declared or streamed, without retrying', async () => {
    handlers.set('/declared', (_q, res) => res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000)));
    handlers.set('/streamed', (_q, res) => {
      res.writeHead(200);
      for (let i = 0; i < 10; i += 1) res.write('y'.repeat(1000));
      res.end();
    });
    const client = new HttpClient(settings());
    await expect(get(client, '/declared', 1000)).rejects.toMatchObject({
      code: 'COLLECT_TOO_LARGE',
      message: 'thing /declared: larger than the limit of 1000 bytes (it declares 5000 bytes); not read',
    });
    await expect(get(client, '/streamed', 1000)).rejects.toMatchObject({
      code: 'COLLECT_TOO_LARGE',
      message: 'thing /streamed: larger than the limit of 1000 bytes (more than 1000 bytes arrived); not read',
    });
    expect([counts.get('/declared'), counts.get('/streamed')]).toEqual([1, 1]);
  });

  it('names the network error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(new HttpClient(settings({ retries: 0 })).send({ url: new URL(`http://127.0.0.1:${port}/x`), maxBytes: 10, what: 'x' })).rejects.toMatchObject({
      code: 'COLLECT_UNREACHABLE',
      message: expect.stringMatching(/x: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED/),
    });
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    handlers.set('/slow', (_q, res) => setTimeout(() => res.writeHead(200).end('ok'), 50));
    maxInFlight = 0;
    const client = new HttpClient(settings({ concurrency: 2 }));
    await Promise.all(Array.from({ length: 8 }, () => get(client, '/slow')));
    expect(maxInFlight).toBe(2);
  });

  it('follows a redirect to another origin (blob storage) without sending the Authorization header there', async () => {
    let seen: string | undefined = 'not called';
    handlers.set('/landing', (req, res) => {
      seen = req.headers.authorization;
      res.writeHead(200).end('blob');
    });
    handlers.set('/redirect', (_q, res) => res.writeHead(307, { location: `http://localhost:${base.port}/landing` }).end());
    const response = await new HttpClient(settings()).send({
      url: new URL('/redirect', base),
      headers: { authorization: 'Bearer secret-token' },
      maxBytes: 100,
      what: 'blob',
    });
    expect([response.status, response.body.toString(), response.url.hostname, seen]).toEqual([200, 'blob', 'localhost', undefined]);
  });

  it('lets credentials travel only over https, or to this machine', () => {
    expect(
      ['https://harbor.example/', 'http://127.0.0.1:5000/', 'http://localhost/', 'http://[::1]:8080/'].map((u) => mayCarryCredentials(new URL(u))),
    ).toEqual([true, true, true, true]);
    expect(mayCarryCredentials(new URL('http://harbor.example/'))).toBe(false);
  });

  it('refuses a concurrency limit that is not a whole number ≥ 1', () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
