import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseOutputInsideEvidence } from '../../../src/bundle/output-place.js';
import type { Config } from '../../../src/config/schema.js';

let base: string;
const config = (images: string, woodpecker?: string) =>
  ({ images: [{ name: 'app' }, { name: 'db' }], evidence: { images, ...(woodpecker === undefined ? {} : { woodpecker }) } }) as unknown as Config;
const place = (out: string, c: Config) => () => refuseOutputInsideEvidence(join(base, out), c, base);

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'auditpack-output-place-'));
  for (const folder of ['evidence/app', 'evidence/db', 'ci/pipelines', 'app', 'db']) await mkdir(join(base, folder), { recursive: true });
  await symlink(join(base, 'evidence'), join(base, 'linked'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('refuseOutputInsideEvidence', () => {
  it('refuses an output folder inside the images’ evidence folder, or inside an image’s folder, naming the evidence folder', () => {
    expect(place('evidence/out', config('evidence/{image}'))).toThrow(
      expect.objectContaining({ code: 'OUTPUT_INVALID', message: expect.stringContaining(`inside the evidence folder ${join(base, 'evidence')}`) as unknown }),
    );
    expect(place('evidence/app/bundle', config('evidence/{image}'))).toThrow(/inside the evidence folder/);
    expect(place('evidence', config('evidence/{image}'))).toThrow(/inside the evidence folder/);
  });

  it('refuses one inside the Woodpecker exports, and one that reaches the evidence through a link', () => {
    expect(place('ci/pipelines/out', config('evidence/{image}', 'ci'))).toThrow(new RegExp(`inside the evidence folder ${join(base, 'ci')}`));
    expect(place('linked/out', config('evidence/{image}'))).toThrow(/inside the evidence folder/);
  });

  it('takes the images’ own folders when they sit in the configuration’s folder, so an output beside them is allowed', () => {
    expect(place('app/out', config('{image}'))).toThrow(new RegExp(`inside the evidence folder ${join(base, 'app')}`));
    expect(place('out/akko-2026-Q2', config('{image}'))).not.toThrow();
    expect(place('out/akko-2026-Q2', config('./{image}/cosign'))).not.toThrow();
  });

  it('allows an output folder beside the evidence, or elsewhere', () => {
    expect(place('out/akko-2026-Q2', config('evidence/{image}', 'ci'))).not.toThrow();
    expect(place('evidence-out', config('evidence/{image}', 'ci'))).not.toThrow();
    expect(() => refuseOutputInsideEvidence(join(tmpdir(), 'elsewhere'), config('evidence/{image}'), base)).not.toThrow();
  });
});
