import { describe, expect, it } from 'vitest';
import { INVENTORY_COLUMNS, csvField, inventorySbom, sharedComponents, toCsv } from '../../../src/sbom/inventory.js';
import { COPYLEFT_LICENCES, copyleftKind } from '../../../src/sbom/licences.js';

const component = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'library', name, version: '1.0.0', ...extra });
const bom = (...components: Record<string, unknown>[]) => ({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components });

const mixed = bom(
  component('left-pad', { purl: 'pkg:npm/left-pad@1.0.0', licenses: [{ license: { id: 'MIT' } }] }),
  component('readline', { purl: 'pkg:deb/debian/readline@1.0.0?arch=amd64', licenses: [{ license: { id: 'GPL-3.0-only' } }] }),
  component('glibc', { type: 'operating-system', purl: 'pkg:deb/debian/glibc@1.0.0', licenses: [{ expression: 'LGPL-2.1-or-later AND GPL-2.0+' }] }),
  component('server', { type: 'application', purl: 'pkg:maven/org.acme/server@1.0.0', licenses: [{ license: { id: 'AGPL-3.0-or-later' } }] }),
  component('dual', { purl: 'pkg:npm/dual@1.0.0', licenses: [{ expression: 'MIT OR MPL-2.0' }] }),
  component('mystery', { licenses: [{ license: { name: 'Proprietary, see EULA' } }] }),
  component('nothing', { purl: 'not a purl' }),
);

describe('inventorySbom', () => {
  const inv = inventorySbom('app', mixed);

  it('counts components by type and by ecosystem (purl type)', () => {
    expect(inv.components).toBe(7);
    expect(inv.byType).toEqual({ application: 1, library: 5, 'operating-system': 1 });
    expect(inv.byEcosystem).toEqual({ deb: 2, maven: 1, npm: 2, unknown: 2 });
  });

  it('counts licences as SPDX ids, expressions, free-text names and unknown', () => {
    expect(inv.licences.spdxIds).toEqual({ 'AGPL-3.0-or-later': 1, 'GPL-2.0': 1, 'GPL-3.0-only': 1, 'LGPL-2.1-or-later': 1, MIT: 2, 'MPL-2.0': 1 });
    expect(inv.licences.expressions).toEqual({ 'LGPL-2.1-or-later AND GPL-2.0+': 1, 'MIT OR MPL-2.0': 1 });
    expect(inv.licences.named).toEqual({ 'Proprietary, see EULA': 1 });
    expect(inv.licences.unknown).toBe(1);
  });

  it('flags copyleft components with the strongest kind their licences name', () => {
    const flags = Object.fromEntries(inv.entries.map((e) => [e.name, e.copyleft]));
    expect(flags).toEqual({
      'left-pad': undefined,
      readline: 'strong',
      glibc: 'strong',
      server: 'network',
      dual: 'weak',
      mystery: undefined,
      nothing: undefined,
    });
    expect(inv.copyleft).toEqual({ network: 1, strong: 2, weak: 1 });
  });

  it('lists entries in a stable order whatever the input order', () => {
    const reversed = inventorySbom('app', bom(...[...mixed.components].reverse()));
    expect(reversed.entries).toEqual(inv.entries);
  });

  it('counts nested components', () => {
    expect(inventorySbom('x', bom(component('outer', { components: [component('inner')] }))).components).toBe(2);
  });
});

describe('copyleft list', () => {
  it('matches -only, -or-later and + forms of the listed ids and nothing else', () => {
    expect(['GPL-2.0', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-2.0+'].map(copyleftKind)).toEqual(['strong', 'strong', 'strong', 'strong']);
    expect(copyleftKind('MIT')).toBeUndefined();
    expect(copyleftKind('GPL-2.0-with-bison-exception')).toBeUndefined();
    expect(Object.keys(COPYLEFT_LICENCES).length).toBeLessThan(30);
  });
});

describe('estate inventory', () => {
  const a = inventorySbom('registry.test/a', mixed);
  const b = inventorySbom(
    'registry.test/b',
    bom(component('left-pad', { purl: 'pkg:npm/left-pad@1.0.0' }), component('readline', { purl: 'pkg:deb/debian/readline@1.0.0?arch=arm64' })),
  );

  it('finds components shared by several images (purl qualifiers ignored)', () => {
    expect(sharedComponents([a, b])).toEqual([
      { key: 'pkg:deb/debian/readline@1.0.0', images: ['registry.test/a', 'registry.test/b'] },
      { key: 'pkg:npm/left-pad@1.0.0', images: ['registry.test/a', 'registry.test/b'] },
    ]);
  });

  it('writes RFC 4180 CSV: header, CRLF, quoting, deterministic order', () => {
    const csv = toCsv([b, a]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(INVENTORY_COLUMNS.join(','));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines).toHaveLength(1 + 7 + 2 + 1);
    expect(lines[1]?.startsWith('registry.test/a,')).toBe(true);
    expect(csv).toContain(',"Proprietary, see EULA",');
    expect(csv).toContain('registry.test/a,npm,,left-pad,1.0.0,library,pkg:npm/left-pad@1.0.0,MIT,,2\r\n');
    expect(toCsv([a, b])).toBe(csv);
  });

  it('quotes fields per RFC 4180 and neutralises spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
