import { describe, expect, it } from 'vitest';
import { buildSbomSection } from '../../../src/engine/sbom-section.js';
import type { Finding, FrameworkResult } from '../../../src/report/model.js';
import { IMAGE, envelope, evidenceFrom, jsonLines, makeKeyPair, sbom, statement } from '../../helpers/estate.js';

const signer = makeKeyPair();
const attestation = (predicate: unknown) => evidenceFrom('attestation.jsonl', jsonLines([envelope(signer, statement(IMAGE.digest.slice(7), predicate))])).evidence;
const finding = (evidence: string[]): Finding => ({ id: `sbom.valid:${IMAGE.name}`, checkId: 'sbom.valid', checkTitle: '', subject: IMAGE.name, status: 'pass', message: '', details: {}, evidence });
const frameworks = [
  {
    id: 'dora',
    controls: [
      { id: 'a', citation: 'Regulation (EU) 2022/2554, Art. 8(1)', support: [{ checkId: 'sbom.valid' }] },
      { id: 'b', citation: 'Regulation (EU) 2022/2554, Art. 9(2)', support: [{ checkId: 'signature.verified' }] },
    ],
  },
] as unknown as FrameworkResult[];
const digests = new Map([[IMAGE.name, IMAGE.digest]]);

describe('buildSbomSection', () => {
  it('scores and inventories the SBOM behind the sbom.valid finding, and writes the CSV', () => {
    const e = attestation(sbom(4));
    const { section, csv } = buildSbomSection({ findings: [finding([e.sha256])], evidence: [e], frameworks, digests, minGrade: 'F' });
    expect(section.entries).toHaveLength(1);
    expect(section.entries[0]).toMatchObject({ subject: 'app', specVersion: '1.5', components: 4, meetsMinimum: true, weakens: [], byEcosystem: { npm: 4 } });
    expect(section.entries[0]?.licences.top).toEqual([{ licence: 'MIT', components: 4 }]);
    expect(section.estate).toMatchObject({ components: 4, distinct: 4, inventoryCsv: 'inventory.csv' });
    expect(csv?.split(/\r?\n/).filter(Boolean)).toHaveLength(5);
  });

  it('lists the clauses an SBOM below the minimum grade weakens, and only SBOM-backed ones', () => {
    const e = attestation(sbom(2, { licences: false, purls: false }));
    const { section } = buildSbomSection({ findings: [finding([e.sha256])], evidence: [e], frameworks, digests, minGrade: 'A' });
    expect(section.entries[0]).toMatchObject({ meetsMinimum: false, weakens: ['Regulation (EU) 2022/2554, Art. 8(1)'] });
  });

  it('has no entry and no CSV when no SBOM was attested', () => {
    const { section, csv } = buildSbomSection({ findings: [finding([])], evidence: [], frameworks, digests, minGrade: 'D' });
    expect(section.entries).toEqual([]);
    expect(csv).toBeUndefined();
    expect(section.estate.inventoryCsv).toBeUndefined();
  });
});
