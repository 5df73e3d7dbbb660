import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { listFrameworks, showFramework, validateFramework } from '../../../src/cli/frameworks-command.js';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { BUILT_IN_FRAMEWORKS } from '../../../src/frameworks/catalog.js';

const EXAMPLE = fileURLToPath(new URL('../../../docs/examples/custom-framework.yaml', import.meta.url));

function fakeIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), progress: () => {} };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-frameworks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a variant of the worked example, changed by `mutate`, and returns its path. */
async function variant(name: string, mutate: (catalog: Record<string, unknown> & { controls: Record<string, unknown>[] }) => void): Promise<string> {
  const catalog = parse(await readFile(EXAMPLE, 'utf8')) as Record<string, unknown> & { controls: Record<string, unknown>[] };
  mutate(catalog);
  const file = join(dir, name);
  await writeFile(file, stringify(catalog));
  return file;
}

describe('frameworks list', () => {
  it('prints every built-in framework with version, applies-to and control count', async () => {
    const io = fakeIo();
    expect(await listFrameworks({ format: 'text' }, io)).toBe(0);
    const text = io.lines.join('\n');
    for (const id of BUILT_IN_FRAMEWORKS) expect(text).toMatch(new RegExp(`^${id}\\s+\\d+ controls`, 'm'));
    expect(text).toContain('applies to: financial-entity');
    expect(text).toContain('version: Regulation (EU) 2022/2554');
  });

  it('--format json gives one document with the same facts', async () => {
    const io = fakeIo();
    expect(await listFrameworks({ format: 'json' }, io)).toBe(0);
    const doc = JSON.parse(io.lines.join('')) as { frameworks: { id: string; appliesTo: string[]; controls: number; version: string }[] };
    expect(doc.frameworks.map((f) => f.id)).toEqual([...BUILT_IN_FRAMEWORKS]);
    const cra = doc.frameworks.find((f) => f.id === 'cra');
    expect(cra?.appliesTo).toEqual(['manufacturer']);
    expect(cra?.controls).toBeGreaterThan(0);
  });

  it('runs through main as `auditpack frameworks list`', async () => {
    const io = fakeIo();
    expect(await main(['frameworks', 'list', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.lines.join('')).command).toBe('frameworks list');
  });
});

describe('frameworks show', () => {
  it('prints each control with citation, title, strength, dates, the checks that decide its status and what is not covered', async () => {
    const io = fakeIo();
    expect(await showFramework({ id: 'dora', format: 'text' }, io)).toBe(0);
    const text = io.lines.join('\n');
    expect(text).toContain('dora-rts-art-16-1-c  Commission Delegated Regulation (EU) 2024/1774, Art. 16(1)(c)');
    expect(text).toContain('status from: signature.verified (partial), signature.binds-digest (partial)');
    expect(text).toContain('not covered: Protection of the signing key or identity');
    expect(text).toContain('CELEX 32022R2554');
    expect(text).toMatch(/^from 2025-01-17: DORA applies .*\(source: https:\/\/eur-lex\.europa\.eu\/eli\/reg\/2022\/2554\/oj\)$/m);
  });

  it('prints strength, conditions and dates for every control of every built-in framework', async () => {
    for (const id of BUILT_IN_FRAMEWORKS) {
      const io = fakeIo();
      expect(await showFramework({ id, format: 'text' }, io)).toBe(0);
      const blocks = io.lines.join('\n').split('\n\n').slice(1);
      expect(blocks.length, id).toBeGreaterThan(0);
      for (const block of blocks) {
        expect(block, `${id}: ${block.split('\n')[0]}`).toMatch(/^ {2}applies from: \d{4}-\d{2}-\d{2}$/m);
        expect(block, `${id}: ${block.split('\n')[0]}`).toMatch(/^ {2}strength: (full|partial|supporting|none: manual evidence only)/m);
      }
    }
  });

  it('names the entity-profile condition of a conditional full mapping and of a scoped clause', async () => {
    const io = fakeIo();
    await showFramework({ id: 'dora', format: 'text' }, io);
    const text = io.lines.join('\n');
    expect(text).toContain(
      '  strength: partial; full when the images serve ICT services supporting critical or important functions (entity.criticalOrImportantFunctions)',
    );
    expect(text).toContain('attestation.verified (partial, full when critical-or-important-functions)');
    expect(text).toMatch(
      /dora-rts-art-2-1-c[\s\S]*?not for: the entity is on the simplified ICT risk-management framework \(DORA Art\. 16\) \(entity\.simplifiedFramework\)/,
    );
    expect(text).toMatch(/dora-rts-art-37-c[\s\S]*?only for: the entity is on the simplified/);
  });

  it('says when a control has no automated support, and when it applies from', async () => {
    const io = fakeIo();
    expect(await showFramework({ id: 'cra', format: 'text' }, io)).toBe(0);
    expect(io.lines).toContain('  applies from: 2027-12-11');
    expect(io.lines).toContain('  applies from: 2026-09-11');
    expect(io.lines).toContain('  strength: none: manual evidence only, no automated check bears on the clause');
  });

  it('--format json lists strength, conditions, dates, support and notCovered per control', async () => {
    const io = fakeIo();
    expect(await showFramework({ id: 'pci-dss', format: 'json' }, io)).toBe(0);
    const doc = JSON.parse(io.lines.join('')) as {
      framework: {
        dates: { from: string; source: string }[];
        controls: {
          id: string;
          appliesFrom?: string;
          manualOnly: boolean;
          strength: string;
          support: { check: string; strength: string; fullWhen?: string }[];
          notCovered: string[];
        }[];
      };
    };
    const control = doc.framework.controls.find((c) => c.id === 'pci-dss-6-3-2');
    expect(control?.appliesFrom).toBe('2025-04-01');
    expect(control?.manualOnly).toBe(false);
    expect(control?.strength).toBe('partial; full when the images are bespoke and custom software (entity.bespokeSoftware)');
    expect(control?.support).toContainEqual({ check: 'sbom.valid', strength: 'partial', fullWhen: 'bespoke-software' });
    expect(control?.notCovered.length).toBeGreaterThan(0);
    expect(doc.framework.dates.every((d) => d.source.startsWith('https://'))).toBe(true);
  });

  it('exits 2 for an unknown id and names the built-in ones', async () => {
    const io = fakeIo();
    expect(await showFramework({ id: 'dora-2', format: 'text' }, io)).toBe(2);
    expect(io.errors.join('\n')).toMatch(/no built-in framework 'dora-2'.*dora, nis2, hds/);
    expect(io.lines).toEqual([]);
  });
});

describe('frameworks validate', () => {
  it('accepts the worked example of docs/frameworks.md', async () => {
    const io = fakeIo();
    expect(await validateFramework({ file: EXAMPLE, format: 'text' }, io), io.lines.join('\n')).toBe(0);
    expect(io.lines.join('\n')).toContain("valid catalog 'example-bank-iss-7' (5 controls, 1 manual only)");
  });

  it('accepts it through main too, in JSON', async () => {
    const io = fakeIo();
    expect(await main(['frameworks', 'validate', EXAMPLE, '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.lines.join(''))).toMatchObject({ ok: true, id: 'example-bank-iss-7', controls: 5, problems: [] });
  });

  it('prints every schema error with the file and the path, and exits 1', async () => {
    const file = await variant('schema.yaml', (c) => {
      delete c.appliesTo;
      c.source = 'http://insecure.example.com/';
      (c.controls[0] as { strength?: string }).strength = 'full';
      (c.controls[1] as { support: { strength: string }[] }).support[0]!.strength = 'strong';
    });
    const io = fakeIo();
    expect(await validateFramework({ file, format: 'text' }, io)).toBe(1);
    const text = io.lines.join('\n');
    expect(text).toContain(`${file}: (top level): must have required property 'appliesTo'`);
    expect(text).toContain(`${file}: /source: must match pattern`);
    expect(text).toContain(`${file}: /controls/0: must NOT have additional properties 'strength'`);
    expect(text).toContain(`${file}: /controls/1/support/0/strength: must be equal to one of the allowed values`);
    expect(text).toMatch(/invalid catalog \(\d+ problems\)$/);
  });

  it('lists every unresolved reference, not only the first', async () => {
    const file = await variant('references.yaml', (c) => {
      (c.controls[0] as { support: { check: string }[] }).support[1]!.check = 'signature.valid';
      (c.controls[2] as { id: string }).id = 'iss-7-4-1';
      (c.controls[3] as { support: { check: string }[] }).support[0]!.check = 'vex.reviewed';
      delete (c.controls[4] as { manualOnly?: boolean }).manualOnly;
    });
    const io = fakeIo();
    expect(await validateFramework({ file, format: 'json' }, io)).toBe(1);
    const doc = JSON.parse(io.lines.join('')) as { ok: boolean; problems: { path: string; message: string }[] };
    expect(doc.ok).toBe(false);
    expect(doc.problems).toEqual([
      { path: '/controls/0/support/1/check', message: "no check 'signature.valid'" },
      { path: '/controls/2/id', message: "'iss-7-4-1' is used twice" },
      { path: '/controls/3/support/0/check', message: "no check 'vex.reviewed'" },
      { path: '/controls/4', message: "'iss-7-6-1' has no supporting check and is not marked manualOnly" },
    ]);
  });

  it('reports YAML that does not parse against the file', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'id: x\ncontrols: [\n');
    const io = fakeIo();
    expect(await validateFramework({ file, format: 'text' }, io)).toBe(1);
    expect(io.lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: \\(file\\): not valid YAML`));
  });

  it('exits 2 when the file cannot be read', async () => {
    const io = fakeIo();
    expect(await validateFramework({ file: join(dir, 'missing.yaml'), format: 'text' }, io)).toBe(2);
    expect(io.errors.join('\n')).toContain('missing.yaml: cannot read the catalog');
  });
});
