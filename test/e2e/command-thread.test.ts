import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandThreadLimits, HEAP_GROWING_PERCENT, heapGrowingFlag } from '../../src/cli/thread.js';

// The built module: its thread runs dist/cli/thread-main.js (built before the tests).
const { runInThread } = (await import(new URL('../../dist/cli/thread.js', import.meta.url).href)) as typeof import('../../src/cli/thread.js');

function run(argv: string[]) {
  const printed: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const code = runInThread(
    { argv, isTty: false },
    { stdout: (t) => (out.push(t), printed.push(`out:${t}`)), stderr: (t) => (err.push(t), printed.push(`err:${t}`)) },
  );
  return code.then((c) => ({ code: c, out: out.join(''), err: err.join(''), printed }));
}

describe('the command thread', () => {
  /** The built module's commandThreadLimits(), in a node started with these flags and NODE_OPTIONS. */
  function limitsIn(flags: string[], nodeOptions?: string): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
    const r = spawnSync(
      process.execPath,
      [
        ...flags,
        '--input-type=module',
        '-e',
        `import('${new URL('../../dist/cli/thread.js', import.meta.url).href}').then((m) => console.log(JSON.stringify(m.commandThreadLimits())))`,
      ],
      { encoding: 'utf8', env },
    );
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number };
  }

  it('bounds the young generation, and the old generation at 2047 MB when node was given no heap size', () => {
    expect(commandThreadLimits().maxYoungGenerationSizeMb).toBe(48);
    // V8 grows a heap whose limit is under 2 GB to about twice its live set, not four times.
    const old = limitsIn([]).maxOldGenerationSizeMb;
    expect(old).toBeLessThanOrEqual(2047);
    // Node's own default limit, in a node started the same way (a machine with less memory has a smaller one).
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const limit = spawnSync(process.execPath, ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], { encoding: 'utf8', env });
    expect(old).toBe(Math.min(2047, Math.round(Number(limit.stdout) / 2 ** 20)));
  });

  it("gives the old generation the main thread's heap limit when node was given --max-old-space-size, on its command line or in NODE_OPTIONS", () => {
    // V8's heap limit adds the main thread's young generation to the flag.
    const small = limitsIn(['--max-old-space-size=700']).maxOldGenerationSizeMb;
    expect(small).toBeGreaterThanOrEqual(700);
    expect(small).toBeLessThan(1000);
    const large = limitsIn([], '--max-old-space-size=3000').maxOldGenerationSizeMb;
    expect(large).toBeGreaterThanOrEqual(3000);
    expect(large).toBeLessThan(3300);
  });

  it("lowers V8's heap growing factor unless node was started with one of its own", () => {
    expect(heapGrowingFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowingFlag(['--max-old-space-size=700'])).toBe('--heap-growing-percent=20');
    expect(heapGrowingFlag(['--heap-growing-percent=50'])).toBeUndefined();
    expect(heapGrowingFlag(['--heap_growing_percent=50'])).toBeUndefined();
    // Another flag that merely starts the same way is not the growing factor.
    expect(heapGrowingFlag(['--heap-growing-percentage=50'])).toBe('--heap-growing-percent=20');
  });

  it("passes the command's output through in order and resolves with its exit code", async () => {
    const listed = await run(['frameworks', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^dora\b/m);
    expect(listed.err).toBe('');

    const wrong = await run(['frameworks', 'show', 'no-such-framework']);
    expect(wrong.code).toBe(2);
    expect(wrong.out).toBe('');
    expect(wrong.err).toMatch(/^auditpack: no built-in framework 'no-such-framework'.*\n$/);
    expect(wrong.printed.every((p) => p.startsWith('err:'))).toBe(true);
  });
});

describe('a command that runs out of memory', () => {
  it('says so, with the limit and how to raise it, exits 3 and writes no bundle', () => {
    const parent = mkdtempSync(join(tmpdir(), 'auditpack-oom-'));
    try {
      const bin = new URL('../../bin/auditpack.js', import.meta.url).pathname;
      const config = new URL('../../samples/akko/auditpack.yaml', import.meta.url).pathname;
      // A heap far too small for a report (16 MB old generation, 1 MB semi-spaces: about 19 MB for the command thread):
      // the command thread stops, the process does not crash.
      const r = spawnSync(
        process.execPath,
        ['--max-old-space-size=16', '--max-semi-space-size=1', bin, 'report', '--config', config, '--out', join(parent, 'bundle')],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/^auditpack: out of memory: the command needed more than the \d+ MB heap Node gives it here/);
      expect(r.stderr).toContain('--max-old-space-size');
      expect(r.stderr).not.toContain('please report it');
      expect(readdirSync(parent)).not.toContain('bundle');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
