import { describe, expect, it } from 'vitest';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog } from '../../src/frameworks/catalog.js';

/**
 * regulations.md §7's do-not-map list (and §1's EBA note): provisions a vendor
 * might be tempted to cite that supply-chain evidence must never be credited for.
 */
const DO_NOT_MAP: { what: string; citation: RegExp }[] = [
  { what: 'DORA Art. 6 as supply-chain integrity', citation: /2022\/2554, Art\. 6\b/ },
  { what: 'DORA Art. 28(3) register of information', citation: /2022\/2554, Art\. 28\(3\)/ },
  { what: 'NIS2 Annex I or II (scope lists)', citation: /2022\/2555, Annex (I|II)\b/ },
  { what: 'IR 2024/2690 point 6.7 (network security)', citation: /2024\/2690.*point 6\.7\b/ },
  { what: 'HDS chapter 6 contract clauses EXI 17, 19-21, 23, 25-27 (no evidence bears on them)', citation: /EXI (17|19|2[0-1]|23|2[5-7])\b/ },
  { what: 'HDS chapter 7 sovereignty clauses EXI 28-31', citation: /EXI (2[89]|3[01])\b/ },
  { what: 'HDS section 6.7', citation: /HDS.*\b6\.7\b/ },
  { what: 'ISO/IEC 27001 A.6.7 remote working', citation: /A\.6\.7\b/ },
  { what: 'ISO/IEC 27001 clause 6.4 or beyond (clause 6 ends at 6.3)', citation: /27001:2022, (?!Annex A)[^,]*\b6\.([4-9]|\d\d)\b/ },
  { what: 'OMB M-22-18 / M-23-16 as a current mandate (rescinded by M-26-05)', citation: /\bM-2[23]-1[68]\b/ },
  { what: 'EBA/GL/2019/04 ICT sections for DORA entities (narrowed by EBA/GL/2025/02)', citation: /EBA\/GL\/2019\/04/ },
];

/** Provisions §7 allows only as supporting context (or manual-only): never partial or full. */
const SUPPORTING_ONLY: { what: string; citation: RegExp }[] = [
  { what: 'HDS chapter 6 contract clauses (EXI 17-27) as contract context', citation: /EXI (1[7-9]|2[0-7])\b/ },
  { what: 'any HDS requirement: HDS has no provenance, signing or SBOM requirement', citation: /Référentiel de certification HDS/ },
  { what: 'HIPAA 164.312(c)(1) as software integrity (it protects ePHI, not software)', citation: /164\.312\(c\)/ },
];

describe('the do-not-map list is never credited', () => {
  it.each(BUILT_IN_FRAMEWORKS)('%s credits none of it', async (id) => {
    const catalog = await loadBuiltInCatalog(id);
    for (const control of catalog.controls) {
      for (const rule of DO_NOT_MAP) expect(control.citation, `${control.id}: ${rule.what}`).not.toMatch(rule.citation);
    }
  });

  it.each(BUILT_IN_FRAMEWORKS)('%s maps the supporting-only provisions as supporting, if at all', async (id) => {
    const catalog = await loadBuiltInCatalog(id);
    for (const control of catalog.controls) {
      for (const rule of SUPPORTING_ONLY) {
        if (!rule.citation.test(control.citation)) continue;
        for (const s of control.support) expect(s.strength, `${control.id} (${s.check}): ${rule.what}`).toBe('supporting');
      }
    }
  });

  it('ssdf presents OMB M-22-18 as rescinded, not as a current mandate', async () => {
    const ssdf = await loadBuiltInCatalog('ssdf');
    expect(ssdf.applicability).toMatch(/M-22-18[^.]*rescinded by OMB\s+M-26-05/);
    expect(ssdf.applicability).toMatch(/not a current federal mandate/);
  });
});
