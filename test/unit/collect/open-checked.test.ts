import { closeSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChecked } from '../../../src/collect/read-file.js';

/*
 * readContainedFile checks a path (no link leads out of the folder), then
 * opens it. Whoever writes the evidence folder can swap a folder on that
 * path for a link in between; open(2) follows it (O_NOFOLLOW guards only the
 * last step). openChecked refuses a file the kernel opened elsewhere. The
 * swap is a race; here the link is simply there when the checked path is
 * opened, which is what the race leaves.
 */
let base: string;
const proc = existsSync('/proc/self/fd');

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'auditpack-open-checked-')));
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside/signature.jsonl'), 'a secret of another folder');
  await mkdir(join(base, 'evidence/app'), { recursive: true });
  await writeFile(join(base, 'evidence/app/signature.jsonl'), 'the evidence');
  await symlink(join(base, 'outside'), join(base, 'evidence/swapped'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('openChecked', () => {
  it('opens the file at the real path it is given', () => {
    const fd = openChecked(join(base, 'evidence/app/signature.jsonl'));
    try {
      expect(readFileSync(fd, 'utf8')).toBe('the evidence');
    } finally {
      closeSync(fd);
    }
  });

  it.runIf(proc)('refuses a file reached through a folder that became a link, naming where it led', () => {
    expect(() => openChecked(join(base, 'evidence/swapped/signature.jsonl'))).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_LINK_OUTSIDE', message: expect.stringContaining(join(base, 'outside/signature.jsonl')) as unknown }),
    );
  });

  it('still refuses a link at the last step, as O_NOFOLLOW does', async () => {
    await symlink(join(base, 'outside/signature.jsonl'), join(base, 'evidence/app/linked.jsonl'));
    expect(() => openChecked(join(base, 'evidence/app/linked.jsonl'))).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });
});
