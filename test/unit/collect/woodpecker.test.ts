import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectWoodpecker } from '../../../src/collect/woodpecker.js';

const digest = `sha256:${'ab'.repeat(32)}`;
let dir: string;

const logEntries = (lines: string[], stepId: number) =>
  JSON.stringify(lines.map((text, line) => ({ id: 1000 + line, step_id: stepId, time: line, line, data: Buffer.from(text).toString('base64'), type: 0 })));

async function write(path: string, content: string): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), content);
}

const REPO = { id: 7, owner: 'team', name: 'app', full_name: 'team/app', forge_url: 'https://forge.test/team/app', default_branch: 'main' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-wp-'));
  await write('wp/repo.json', JSON.stringify(REPO));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('collectWoodpecker', () => {
  it('reads a v3 pipeline with its workflows, steps and base64 step logs', async () => {
    await write(
      'wp/pipelines/7.json',
      JSON.stringify({
        id: 1,
        number: 7,
        status: 'success',
        event: 'push',
        branch: 'main',
        ref: 'refs/heads/main',
        commit: 'c0ffee',
        forge_url: 'https://forge.test/team/app/commit/c0ffee',
        started: 1775000000,
        finished: 1775000600,
        workflows: [
          { id: 2, name: '06-trivy', state: 'success', environ: { IMAGE: 'app' }, children: [{ id: 31, name: 'build', state: 'success', exit_code: 0 }] },
        ],
      }),
    );
    await write('wp/logs/7/31.json', logEntries(['+ buildah push', `Pushed registry/app@${digest}`], 31));
    const { runs, repository, evidence, problems } = await collectWoodpecker(dir, 'wp');
    expect(problems).toEqual([]);
    expect(repository).toMatchObject({ id: 7, fullName: 'team/app', forgeUrl: 'https://forge.test/team/app', source: 'wp/repo.json' });
    expect(runs[0]).toMatchObject({
      number: 7,
      status: 'success',
      branch: 'main',
      ref: 'refs/heads/main',
      forgeUrl: 'https://forge.test/team/app/commit/c0ffee',
      startedAt: '2026-03-31T23:33:20.000Z',
      finishedAt: '2026-03-31T23:43:20.000Z',
    });
    expect(runs[0]?.workflows[0]).toMatchObject({ name: '06-trivy', environ: { IMAGE: 'app' } });
    expect(runs[0]?.workflows[0]?.steps[0]?.log).toEqual(['+ buildah push', `Pushed registry/app@${digest}`]);
    expect(evidence.map((e) => e.kind).sort()).toEqual(['ci-repository', 'pipeline-log', 'pipeline-run']);
  });

  it('accepts the v2 field names (started_at, finished_at)', async () => {
    await write(
      'wp/pipelines/8.json',
      JSON.stringify({ number: 8, status: 'failure', branch: 'main', started_at: 1775000000, finished_at: 1775000060, workflows: [] }),
    );
    const { runs } = await collectWoodpecker(dir, 'wp');
    expect(runs[0]).toMatchObject({ status: 'failure', startedAt: '2026-03-31T23:33:20.000Z' });
  });

  it('orders log lines by their line number, not file order', async () => {
    await write('wp/pipelines/9.json', JSON.stringify({ number: 9, status: 'success', workflows: [{ name: 'w', children: [{ id: 5, name: 's' }] }] }));
    await write(
      'wp/logs/9/5.json',
      JSON.stringify([
        { line: 1, data: Buffer.from('second').toString('base64') },
        { line: 0, data: Buffer.from('first').toString('base64') },
      ]),
    );
    expect((await collectWoodpecker(dir, 'wp')).runs[0]?.workflows[0]?.steps[0]?.log).toEqual(['first', 'second']);
  });

  it('keeps a malformed pipeline file as evidence and reports it', async () => {
    await write('wp/pipelines/1.json', '{"number": 1, "status": ');
    await write('wp/pipelines/2.json', '{"hello": "world"}');
    const { runs, evidence, problems } = await collectWoodpecker(dir, 'wp');
    expect(runs).toEqual([]);
    expect(evidence).toHaveLength(3);
    expect(problems).toEqual([
      { code: 'EVIDENCE_MALFORMED', file: 'wp/pipelines/1.json', reason: expect.stringMatching(/^not JSON/) },
      { code: 'EVIDENCE_MALFORMED', file: 'wp/pipelines/2.json', reason: 'not a Woodpecker pipeline (no number or status)' },
    ]);
  });

  it('leaves a step without an exported log as unknown, and reports a malformed log', async () => {
    await write(
      'wp/pipelines/3.json',
      JSON.stringify({
        number: 3,
        status: 'success',
        workflows: [
          {
            name: 'w',
            children: [
              { id: 1, name: 'a' },
              { id: 2, name: 'b' },
            ],
          },
        ],
      }),
    );
    await write('wp/logs/3/2.json', 'not json');
    const { runs, problems } = await collectWoodpecker(dir, 'wp');
    expect(runs[0]?.workflows[0]?.steps.map((s) => s.log)).toEqual([undefined, undefined]);
    expect(problems[0]).toMatchObject({ code: 'EVIDENCE_MALFORMED', file: 'wp/logs/3/2.json' });
  });

  it('reports a missing export folder as missing evidence', async () => {
    const { problems } = await collectWoodpecker(dir, 'nowhere');
    expect(problems.map((p) => [p.code, p.file])).toEqual([
      ['EVIDENCE_MISSING', 'nowhere/repo.json'],
      ['EVIDENCE_MISSING', 'nowhere/pipelines'],
    ]);
  });

  it('reports a missing or malformed repo.json: without it no run can be bound to a repository', async () => {
    await rm(join(dir, 'wp/repo.json'));
    const missing = await collectWoodpecker(dir, 'wp');
    expect(missing.repository).toBeUndefined();
    expect(missing.problems[0]).toMatchObject({
      code: 'EVIDENCE_MISSING',
      file: 'wp/repo.json',
      reason: expect.stringMatching(/no run can be bound to the repository/),
    });
    await write('wp/repo.json', JSON.stringify({ id: 7, name: 'app' }));
    const malformed = await collectWoodpecker(dir, 'wp');
    expect(malformed.problems[0]).toMatchObject({ code: 'EVIDENCE_MALFORMED', file: 'wp/repo.json', reason: 'not a Woodpecker repository (no forge_url)' });
  });

  it("keeps the redaction record of auditpack collect woodpecker as evidence, so the bundle carries the originals' digests", async () => {
    const record = JSON.stringify({
      redactionFormat: 'auditpack-redactions',
      version: 1,
      files: [
        {
          file: 'logs/3/2.json',
          original: { sha256: 'ab'.repeat(32), size: 10 },
          written: { sha256: 'cd'.repeat(32), size: 9 },
          redactions: [{ line: 1, rules: ['token'] }],
        },
      ],
    });
    await write('wp/redactions.json', record);
    const { evidence, problems } = await collectWoodpecker(dir, 'wp');
    expect(problems.filter((p) => p.file === 'wp/redactions.json')).toEqual([]);
    const kept = evidence.find((e) => e.source === 'wp/redactions.json');
    expect(kept).toMatchObject({ kind: 'ci-redactions', sha256: createHash('sha256').update(record).digest('hex') });
    expect(kept?.bytes.toString('utf8')).toBe(record);
  });

  it('reads hand exports without a redaction record as they are: its absence is no problem', async () => {
    const { evidence, problems } = await collectWoodpecker(dir, 'wp');
    expect(evidence.map((e) => e.kind)).not.toContain('ci-redactions');
    expect(problems.map((p) => p.file)).not.toContain('wp/redactions.json');
  });

  it('keeps a redactions.json that is not a redaction record, and reports it', async () => {
    await write('wp/redactions.json', '{"files": "none"}');
    const other = await collectWoodpecker(dir, 'wp');
    expect(other.evidence.find((e) => e.source === 'wp/redactions.json')?.kind).toBe('ci-redactions');
    expect(other.problems).toContainEqual({
      code: 'EVIDENCE_MALFORMED',
      file: 'wp/redactions.json',
      reason: 'not a redaction record of auditpack collect woodpecker (redactionFormat auditpack-redactions with a files list)',
    });
    await write('wp/redactions.json', '{"redactionFormat": "auditpack-redactions", "files": [');
    const truncated = await collectWoodpecker(dir, 'wp');
    expect(truncated.problems).toContainEqual({ code: 'EVIDENCE_MALFORMED', file: 'wp/redactions.json', reason: expect.stringMatching(/^not JSON/) });
  });
});
