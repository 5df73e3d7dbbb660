/**
 * The replaying Woodpecker server the collection tests use answers exactly
 * in the shapes of Woodpecker's own API description (the Swagger files of
 * v3.17.0 and v2.8.3 in ../shared/testdata/external/woodpecker/), except
 * where the real server is known to differ from its description
 * (SOURCES.md): a log entry's `data` is Go []byte, sent as a base64 string,
 * and Go sends a nil list as `null`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionFixture } from '../helpers/woodpecker-fixture.js';
import { startWoodpecker, type FakeWoodpecker, type WoodpeckerFixture } from '../helpers/woodpecker-server.js';
import { ROOT } from '../e2e/cli.js';

const SWAGGER_DIR = join(ROOT, '..', 'shared', 'testdata', 'external', 'woodpecker', 'swagger');
const TOKEN = 'contract-token';

/** The Swagger definitions, amended only where the real server is documented to differ. */
async function definitions(file: string): Promise<Record<string, Record<string, unknown>>> {
  const swagger = JSON.parse(await readFile(join(SWAGGER_DIR, file), 'utf8')) as {
    definitions: Record<string, Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }>;
  };
  const defs = swagger.definitions;
  const log = defs.LogEntry?.properties;
  if (log) log.data = { type: 'string', contentEncoding: 'base64' };
  for (const def of Object.values(defs)) {
    for (const property of Object.values(def.properties ?? {})) if (property.type === 'array') property.type = ['array', 'null'];
  }
  return defs;
}

async function validator(file: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'woodpecker', definitions: await definitions(file) });
  return (definition: string, value: unknown) => {
    const validate = ajv.compile({ $ref: `woodpecker#/definitions/${definition}` });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}

let fixture: WoodpeckerFixture;
const servers: FakeWoodpecker[] = [];
beforeAll(async () => {
  fixture = await collectionFixture();
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function answers(version: 'v2' | 'v3'): Promise<{ repo: unknown; list: unknown[]; detail: unknown; log: unknown[] }> {
  const server = await startWoodpecker(fixture, { token: TOKEN, version });
  servers.push(server);
  const get = async (path: string) => {
    const response = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    return await response.json();
  };
  return {
    repo: await get('/api/repos/lookup/akko/akko'),
    list: (await get(`/api/repos/${fixture.repoId}/pipelines?page=1&perPage=50`)) as unknown[],
    detail: await get(`/api/repos/${fixture.repoId}/pipelines/1216`),
    log: (await get(`/api/repos/${fixture.repoId}/logs/1216/48318`)) as unknown[],
  };
}

describe.each([
  ['v3', 'swagger-v3.17.0.json'],
  ['v2', 'swagger-v2.8.3.json'],
] as const)('replayed answers against the Woodpecker %s API description', (version, file) => {
  it('repository, pipeline list, pipeline detail and step log validate against Repo, Pipeline and LogEntry', async () => {
    const check = await validator(file);
    const a = await answers(version);
    expect(check('Repo', a.repo)).toEqual([]);
    expect(a.list.length).toBeGreaterThan(16);
    for (const item of a.list) expect(check('Pipeline', item)).toEqual([]);
    expect(check('Pipeline', a.detail)).toEqual([]);
    for (const entry of a.log) expect(check('LogEntry', entry)).toEqual([]);
  });

  it('uses the field names of that version only', async () => {
    const a = await answers(version);
    const detail = a.detail as Record<string, unknown> & { workflows: Record<string, unknown>[] };
    const names = version === 'v3' ? ['created', 'started', 'finished'] : ['created_at', 'started_at', 'finished_at'];
    const absent = version === 'v3' ? ['created_at', 'finished_at'] : ['created', 'finished'];
    for (const n of names) expect(detail[n], n).toBeTypeOf('number');
    for (const n of absent) expect(detail, n).not.toHaveProperty(n);
    expect(detail.workflows[0]).toHaveProperty(version === 'v3' ? 'started' : 'start_time');
  });

  it('the list carries no workflows (only the detail does), as the real server', async () => {
    const a = await answers(version);
    for (const item of a.list) expect(item).not.toHaveProperty('workflows');
  });
});
