import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryWriter, inventoryChunk } from '../../../src/sbom/inventory-writer.js';
import { identityOf, inventorySbom, sharedComponents, toCsv, type SbomInventory } from '../../../src/sbom/inventory.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-inventory-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const component = (name: string, version: string, extra: Record<string, unknown> = {}) => ({ type: 'library', name, version, ...extra });
const bom = (...components: Record<string, unknown>[]) => ({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components });

/** Images sharing some packages, with names a spreadsheet would run, quotes, commas and newlines. */
function inventories(): SbomInventory[] {
  const shared = component('left-pad', '1.0.0', { purl: 'pkg:npm/left-pad@1.0.0?arch=x', licenses: [{ license: { id: 'MIT' } }] });
  const tricky = component('=HYPERLINK("x")', '1', { licenses: [{ license: { name: 'Custom, "quoted"\nlicence' } }] });
  return [
    inventorySbom('web', bom(shared, tricky, component('react', '18.0.0', { purl: 'pkg:npm/react@18.0.0' }))),
    inventorySbom(
      'api',
      bom(shared, component('express', '4.0.0', { purl: 'pkg:npm/express@4.0.0' }), component('express', '4.0.0', { purl: 'pkg:npm/express@4.0.0' })),
    ),
    inventorySbom('db', bom(component('glibc', '2.0', { purl: 'pkg:deb/debian/glibc@2.0', licenses: [{ expression: 'LGPL-2.1-or-later' }] }), tricky)),
    inventorySbom('worker', bom(shared, component('express', '4.0.0', { purl: 'pkg:npm/express@4.0.0' }))),
  ];
}

async function written(order: number[], shown = 25): Promise<{ csv: string; totals: Awaited<ReturnType<InventoryWriter['finish']>> }> {
  const all = inventories();
  const scratch = join(dir, `rows-${order.join('')}-${shown}`);
  const writer = new InventoryWriter(scratch);
  // Images arrive in any order (worker threads); `order` is each one's place in the configuration.
  for (const i of order) {
    const inventory = all[i];
    if (inventory) writer.add(inventoryChunk(inventory), i);
  }
  let csv = '';
  const totals = await writer.finish((text) => {
    csv += text;
    return Promise.resolve();
  }, shown);
  expect(existsSync(scratch)).toBe(false);
  return { csv, totals };
}

describe('InventoryWriter', () => {
  it('writes byte for byte the CSV toCsv writes for the same inventories, in whatever order images arrive', async () => {
    const expected = toCsv(inventories());
    expect((await written([0, 1, 2, 3])).csv).toBe(expected);
    expect((await written([3, 1, 0, 2])).csv).toBe(expected);
  });

  it('counts components, distinct packages, and names the most shared ones with their images as sharedComponents does', async () => {
    const all = inventories();
    const { totals } = await written([2, 0, 3, 1]);
    expect(totals.components).toBe(all.reduce((n, i) => n + i.components, 0));
    expect(totals.distinct).toBe(new Set(all.flatMap((i) => i.entries.map(identityOf))).size);
    expect(totals.distinct).toBe(5);
    expect(totals.shared).toEqual(sharedComponents(all).map((s) => ({ component: s.key, images: s.images })));
    expect(totals.shared[0]).toEqual({ component: 'pkg:npm/left-pad@1.0.0', images: ['api', 'web', 'worker'] });
    expect((await written([0, 1, 2, 3], 1)).totals.shared).toHaveLength(1);
  });

  it('counts a package an image lists twice once for that image', async () => {
    const { csv } = await written([1]);
    expect(csv.split('\r\n').filter((l) => l.includes('express'))).toEqual([
      'api,npm,,express,4.0.0,library,pkg:npm/express@4.0.0,,,1',
      'api,npm,,express,4.0.0,library,pkg:npm/express@4.0.0,,,1',
    ]);
  });

  it('hands each piece to a slow write only once the one before is written, in order', async () => {
    const writer = new InventoryWriter(join(dir, 'slow'));
    for (const [i, inventory] of inventories().entries()) writer.add(inventoryChunk(inventory), i);
    let csv = '';
    let writing = false;
    await writer.finish(async (text) => {
      expect(writing, 'a piece handed over while another was still being written').toBe(false);
      writing = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      csv += text;
      writing = false;
    }, 25);
    expect(csv).toBe(toCsv(inventories()));
  });

  it('fails with the write’s own error when a piece cannot be written, and still removes its scratch file', async () => {
    const scratch = join(dir, 'failing');
    const writer = new InventoryWriter(scratch);
    for (const [i, inventory] of inventories().entries()) writer.add(inventoryChunk(inventory), i);
    let pieces = 0;
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    await expect(writer.finish((text) => (++pieces === 3 ? Promise.reject(full) : Promise.resolve(void text)), 25)).rejects.toBe(full);
    expect(pieces).toBe(3);
    expect(existsSync(scratch)).toBe(false);
  });

  it('removes its scratch file when discarded', async () => {
    const scratch = join(dir, 'discarded');
    const writer = new InventoryWriter(scratch);
    const first = inventories()[0];
    if (first) writer.add(inventoryChunk(first), 0);
    expect(existsSync(scratch)).toBe(true);
    expect(writer.empty).toBe(false);
    await writer.discard();
    expect(existsSync(scratch)).toBe(false);
  });
});
