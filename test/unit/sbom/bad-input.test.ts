/** Large and broken inputs through the whole path (read → extract → validate/score): each a clear result, no crash. */
import { rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SbomReader } from '../../../src/sbom/extract.js';
import { MAX_SBOM_FILE_BYTES, readSbomFile } from '../../../src/sbom/read.js';
import { scoreSbom } from '../../../src/sbom/score.js';
import { validateCycloneDx } from '../../../src/sbom/validate.js';
import { deeplyNested, envelopeOf, json, sbom, statementOf, tempDir, writeTemp } from './fixtures.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (path: string, max?: number) => readSbomFile(path, new SbomReader(), max);

describe('readSbomFile: size is checked before reading', () => {
  it('refuses a 500 MB file unread (sparse file, nothing on disk)', async () => {
    const path = join(dir, 'huge.json');
    writeTemp(dir, 'huge.json', '');
    truncateSync(path, 500 * 2 ** 20);
    const rssBefore = process.memoryUsage().rss;
    const file = await read(path);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 2 ** 20);
    expect(file).toMatchObject({
      size: 500 * 2 ** 20,
      items: [{ kind: 'unreadable', code: 'EVIDENCE_MALFORMED', reason: 'the file is 500.0 MiB, over the 256.0 MiB limit for an SBOM; not read' }],
    });
    expect(file.sha256).toBeUndefined();
    truncateSync(path, 0);
  });

  it('documents a limit between the 100 MB it must handle and the 500 MB it must refuse', () => {
    expect(MAX_SBOM_FILE_BYTES).toBeGreaterThan(100 * 2 ** 20);
    expect(MAX_SBOM_FILE_BYTES).toBeLessThan(500 * 2 ** 20);
  });

  it('honours a smaller limit', async () => {
    const file = await read(writeTemp(dir, 'small.json', json(sbom(50))), 1024);
    expect(file.items[0]).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('over the 0.0 MiB limit') as string });
  });

  it('says so for a folder', async () => {
    expect((await read(dir)).items[0]).toMatchObject({ kind: 'unreadable', reason: 'not a regular file' });
  });
});

describe('broken SBOMs give clear results', () => {
  it('truncated JSON', async () => {
    const file = await read(writeTemp(dir, 'truncated.json', json(sbom(20)).subarray(0, 500)));
    expect(file.items).toEqual([expect.objectContaining({ kind: 'unreadable', reason: expect.stringMatching(/^not JSON: .*\(truncated\?\)$/) as string })]);
  });

  it('components nested 10,000 deep: JSON.parse copes, the schema validator is reported as overwhelmed, scoring still works', async () => {
    const file = await read(writeTemp(dir, 'deep.json', deeplyNested(10_000)));
    const item = file.items[0];
    if (item?.kind !== 'sbom') throw new Error(`expected an SBOM, got ${JSON.stringify(item)}`);
    expect(await validateCycloneDx(item.document)).toMatchObject({ status: 'could-not-validate', reason: expect.stringContaining('stack overflow') as string });
    expect(scoreSbom(item.document).components).toBe(10_001);
  });

  it('a wrong bomFormat', async () => {
    const file = await read(writeTemp(dir, 'wrong-format.json', json({ ...sbom(1), bomFormat: 'CycloneDx' })));
    const item = file.items[0];
    expect(item?.kind).toBe('sbom');
    expect(await validateCycloneDx(item?.kind === 'sbom' ? item.document : undefined)).toMatchObject({
      status: 'invalid',
      errors: ["/bomFormat: bomFormat is 'CycloneDx', not CycloneDX"],
    });
  });

  it('a DSSE payload that is not JSON', async () => {
    const file = await read(writeTemp(dir, 'not-json.att.json', json(envelopeOf('{"_type": "https://in-toto.io/Statement/v0.1", '))));
    expect(file.items).toEqual([
      expect.objectContaining({ kind: 'unreadable', code: 'PAYLOAD_INVALID', reason: expect.stringContaining('is not JSON') as string }),
    ]);
  });

  it('binary junk', async () => {
    const file = await read(writeTemp(dir, 'junk.bin', Buffer.from([0, 159, 146, 150, 255, 0, 1])));
    expect(file.items[0]).toMatchObject({ kind: 'unreadable', code: 'EVIDENCE_MALFORMED' });
  });

  it('an SBOM of ~15 MB in a DSSE envelope reads and validates', async () => {
    const big = sbom(20_000) as Record<string, unknown> & { components: Record<string, unknown>[] };
    for (const c of big.components) c.description = 'd'.repeat(500);
    const file = await read(writeTemp(dir, 'big.att.json', json(envelopeOf(statementOf(big)))));
    const item = file.items[0];
    expect(file.size).toBeGreaterThan(14 * 2 ** 20);
    expect(await validateCycloneDx(item?.kind === 'sbom' ? item.document : undefined)).toMatchObject({ status: 'valid', components: 20_000 });
  });
});
