import { describe, expect, it } from 'vitest';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog } from '../../src/frameworks/catalog.js';

/**
 * regulations.md §7's do-not-map list: provisions a vendor might be tempted to
 * cite that supply-chain evidence must never be credited for.
 */
const DO_NOT_MAP: { what: string; citation: RegExp }[] = [
  { what: 'DORA Art. 6 as supply-chain integrity', citation: /2022\/2554, Art\. 6\b/ },
  { what: 'DORA Art. 28(3) register of information', citation: /2022\/2554, Art\. 28\(3\)/ },
  { what: 'NIS2 Annex I or II (scope lists)', citation: /2022\/2555, Annex (I|II)\b/ },
  { what: 'IR 2024/2690 point 6.7 (network security)', citation: /2024\/2690.*point 6\.7\b/ },
  { what: 'HDS chapter 6 contract clauses EXI 17-23, 25-27', citation: /EXI (1[7-9]|2[0-3]|2[5-7])\b/ },
  { what: 'HDS section 6.7', citation: /HDS.*\b6\.7\b/ },
  { what: 'ISO/IEC 27001 A.6.7 remote working', citation: /A\.6\.7\b/ },
];

describe('the do-not-map list is never credited', () => {
  it.each(BUILT_IN_FRAMEWORKS)('%s credits none of it', async (id) => {
    const catalog = await loadBuiltInCatalog(id);
    for (const control of catalog.controls) {
      for (const rule of DO_NOT_MAP) expect(control.citation, `${control.id}: ${rule.what}`).not.toMatch(rule.citation);
    }
  });
});
