import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGithubInstanceRoot } from '../../../src/trust/github-instance.js';
import { loadTrust, loadTrustedRoot } from '../../../src/trust/load.js';
import { trustedRootFiles } from '../../../src/trust/root-files.js';
import { makeTestSigstore } from '../../helpers/bundles.js';
import { makeTestGithubInstance } from '../../helpers/github-instance.js';

let dir: string;
const publicGood = makeTestSigstore();
const github = makeTestGithubInstance();
const publicJson = JSON.parse(publicGood.root.bytes.toString('utf8')) as object;
// `gh attestation trusted-root`: one compact root a line, public-good first, then GitHub's.
const jsonl = `${JSON.stringify(publicJson)}\n${JSON.stringify(github.rootJson)}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-gh-trust-'));
  await writeFile(join(dir, 'trusted_root.jsonl'), jsonl);
  await writeFile(join(dir, 'public.json'), JSON.stringify(publicJson));
  await writeFile(join(dir, 'no-tsa.json'), JSON.stringify({ ...github.rootJson, timestampAuthorities: [] }));
  await writeFile(join(dir, 'bad-line.jsonl'), `${JSON.stringify(publicJson)}\n{"mediaType":\n`);
  await writeFile(join(dir, 'not-root.jsonl'), `${JSON.stringify(publicJson)}\n{"mediaType":"text/plain"}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gh attestation trusted-root output as trust material', () => {
  it('reads the JSON lines as trust.trustedRoot: every root merged, the file kept with its own SHA-256', async () => {
    const loaded = await loadTrustedRoot(dir, 'trusted_root.jsonl');
    expect(loaded.root.tlogs).toHaveLength(1);
    expect(loaded.root.certificateAuthorities).toHaveLength(2);
    expect(loaded.sha256).toBe(createHash('sha256').update(jsonl).digest('hex'));
    expect(loaded.files).toEqual([{ source: 'trusted_root.jsonl', bytes: Buffer.from(jsonl), sha256: loaded.sha256 }]);
  });

  it('takes only the roots without a transparency log as the GitHub instance', async () => {
    const instance = await loadGithubInstanceRoot(dir, 'trusted_root.jsonl');
    expect(instance.root.tlogs).toHaveLength(0);
    expect(instance.root.certificateAuthorities.map((ca) => ca.subject?.commonName)).toEqual(['test github fulcio']);
    expect(instance.root.timestampAuthorities).toHaveLength(1);
  });

  it('refuses (TRUST_INVALID) a file with no root without log, and an instance root without timestamp authority', async () => {
    await expect(loadGithubInstanceRoot(dir, 'public.json')).rejects.toMatchObject({ code: 'TRUST_INVALID', file: 'public.json' });
    await expect(loadGithubInstanceRoot(dir, ['no-tsa.json'])).rejects.toMatchObject({
      code: 'TRUST_INVALID',
      message: expect.stringMatching(/timestamp authority/),
    });
  });

  it('names the file and line of JSON lines that are not all trusted roots', async () => {
    await expect(loadTrustedRoot(dir, 'bad-line.jsonl')).rejects.toMatchObject({
      code: 'TRUST_INVALID',
      file: 'bad-line.jsonl',
      message: /line 2 is not JSON/,
    });
    await expect(loadTrustedRoot(dir, 'not-root.jsonl')).rejects.toMatchObject({ code: 'TRUST_INVALID', file: 'not-root.jsonl', message: /\(line 2\)/ });
  });

  it('lists each trust file once, when one file serves as both the trusted root and the GitHub instance', async () => {
    const trust = await loadTrust(dir, [], 'trusted_root.jsonl', 'trusted_root.jsonl');
    expect(trust.githubInstance?.root.tlogs).toHaveLength(0);
    expect(trustedRootFiles(trust).map((f) => f.source)).toEqual(['trusted_root.jsonl']);
    const apart = await loadTrust(dir, [], 'public.json', 'trusted_root.jsonl');
    expect(trustedRootFiles(apart).map((f) => f.source)).toEqual(['public.json', 'trusted_root.jsonl']);
  });
});
