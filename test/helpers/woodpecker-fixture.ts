/**
 * The sample estate's Woodpecker export, extended for collection tests:
 * a pipeline before the period and one after it (neither may be
 * collected), and a step log that printed secrets and bytes that are not
 * UTF-8 (the secrets must never be written; the other bytes must be kept).
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { SAMPLE_DIR } from './sample-registry.js';
import { loadWoodpeckerExport, type WoodpeckerFixture } from './woodpecker-server.js';

export const SECRET_LOG = { pipeline: 1201, step: 48218 };
export const SECRETS = ['hunter2', 'MHcCAQEEIAuditpackTestKeyMaterialNotARealKey', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 's3cr3t-value'];
export const NOT_UTF8 = Buffer.from([0x62, 0x79, 0x74, 0x65, 0x73, 0x3a, 0x20, 0xff, 0xfe, 0x41, 0x80, 0xc3]);

const secretLines = [
  '+ echo "password=hunter2"',
  '-----BEGIN EC PRIVATE KEY-----',
  'MHcCAQEEIAuditpackTestKeyMaterialNotARealKey',
  '-----END EC PRIVATE KEY-----',
  'curl -H "Authorization: Bearer ghp_0123456789abcdefghijklmnopqrstuvwxyzAB" https://api.example',
  'DEPLOY_KEY_ID=s3cr3t-value',
];

function pipelineAt(template: Buffer, number: number, iso: string): Buffer {
  const json = JSON.parse(template.toString('utf8')) as Record<string, unknown>;
  const at = DateTime.fromISO(iso, { zone: 'utc' }).toSeconds();
  return Buffer.from(
    JSON.stringify({ ...json, id: (json.id as number) + 1000 + number, number, created: at, updated: at + 600, started: at + 5, finished: at + 600 }),
  );
}

export async function collectionFixture(): Promise<WoodpeckerFixture> {
  const fixture = await loadWoodpeckerExport(join(SAMPLE_DIR, 'woodpecker'));
  const template = fixture.pipelines.get(1201);
  if (template === undefined) throw new Error('sample pipeline 1201 missing');
  fixture.pipelines.set(1190, pipelineAt(template, 1190, '2026-03-10T09:00:00Z'));
  fixture.pipelines.set(1217, pipelineAt(template, 1217, '2026-07-02T09:00:00Z'));
  const key = `${SECRET_LOG.pipeline}/${SECRET_LOG.step}`;
  const entries = JSON.parse((fixture.logs.get(key) ?? Buffer.from('[]')).toString('utf8')) as {
    id: number;
    step_id: number;
    time: number;
    line: number;
    data: string;
    type: number;
  }[];
  const last = entries.at(-1) ?? { id: 0, step_id: SECRET_LOG.step, time: 0, line: -1, data: '', type: 0 };
  const added = [...secretLines.map((l) => Buffer.from(l)), NOT_UTF8].map((bytes, i) => ({
    ...last,
    id: last.id + 1 + i,
    line: last.line + 1 + i,
    data: bytes.toString('base64'),
  }));
  fixture.logs.set(key, Buffer.from(JSON.stringify([...entries, ...added])));
  return fixture;
}
