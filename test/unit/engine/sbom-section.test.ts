import { describe, expect, it } from 'vitest';
import { buildSbomSection } from '../../../src/engine/sbom-section.js';
import type { FrameworkResult } from '../../../src/report/model.js';
import { sbom } from '../../helpers/estate.js';

const frameworks = [
  {
    id: 'dora',
    controls: [
      { id: 'a', citation: 'Regulation (EU) 2022/2554, Art. 8(1)', support: [{ checkId: 'sbom.valid' }] },
      { id: 'b', citation: 'Regulation (EU) 2022/2554, Art. 9(2)', support: [{ checkId: 'signature.verified' }] },
    ],
  },
] as unknown as FrameworkResult[];
const attested = (document: unknown) => new Map([['app', { evidence: 'e'.repeat(64), document }]]);

describe('buildSbomSection', () => {
  it('scores and inventories each attested SBOM, and writes the CSV', () => {
    const { section, csv } = buildSbomSection({ attested: attested(sbom(4)), frameworks, minGrade: 'F' });
    expect(section.entries).toHaveLength(1);
    expect(section.entries[0]).toMatchObject({
      subject: 'app',
      evidence: 'e'.repeat(64),
      specVersion: '1.5',
      components: 4,
      meetsMinimum: true,
      weakens: [],
      byEcosystem: { npm: 4 },
    });
    expect(section.entries[0]?.licences.top).toEqual([{ licence: 'MIT', components: 4 }]);
    expect(section.estate).toMatchObject({ components: 4, distinct: 4, inventoryCsv: 'inventory.csv' });
    expect(csv?.split(/\r?\n/).filter(Boolean)).toHaveLength(5);
  });

  it('lists the clauses an SBOM below the minimum grade weakens, and only SBOM-backed ones', () => {
    const { section } = buildSbomSection({ attested: attested(sbom(2, { licences: false, purls: false })), frameworks, minGrade: 'A' });
    expect(section.entries[0]).toMatchObject({ meetsMinimum: false, weakens: ['Regulation (EU) 2022/2554, Art. 8(1)'] });
  });

  it('finds packages shared by several images', () => {
    const two = new Map([
      ['a', { evidence: 'a'.repeat(64), document: sbom(3) }],
      ['b', { evidence: 'b'.repeat(64), document: sbom(2) }],
    ]);
    const { section } = buildSbomSection({ attested: two, frameworks, minGrade: 'F' });
    expect(section.estate).toMatchObject({ components: 5, distinct: 3 });
    expect(section.estate.shared.map((s) => s.images)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('has no entry and no CSV when no SBOM was attested', () => {
    const { section, csv } = buildSbomSection({ attested: new Map(), frameworks, minGrade: 'D' });
    expect(section.entries).toEqual([]);
    expect(csv).toBeUndefined();
    expect(section.estate.inventoryCsv).toBeUndefined();
  });
});
