import { beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/render/content/blocks.js';
import { buildDocument } from '../../../src/render/content/document.js';
import { TAGS_SHOWN } from '../../../src/render/content/population-registry.js';
import { renderOscal } from '../../../src/render/oscal.js';
import type { Report } from '../../../src/report/model.js';
import { populationReport, registryPopulationReport } from '../../fixtures/report-population.js';
import { documentText, sectionById, sectionText } from './document-text.js';

/*
 * The population section when a registry listing is a source, from reports
 * the collector read (a real listing written by the listing writer, a pods
 * export, filters) and the engine shaped: published is said, never "runs";
 * the tags per image are bounded; unresolved tags and what the filters left
 * out are listed; page 1 and the limits stay true for each kind of source.
 */

let both: Report;
let published: Report;
let running: Report;
beforeAll(async () => {
  [both, published, running] = await Promise.all([registryPopulationReport(), registryPopulationReport({ kubernetes: false }), populationReport()]);
});

const section = (r: Report, locale: 'en' | 'fr' = 'en') => sectionById(buildDocument(r, locale), 'population');
function tableRows(r: Report): string[] {
  return section(r).blocks.flatMap((b) => (b.type === 'table' ? b.rows.map((row) => row.cells.map(plainText).join(' | ')) : []));
}
const rowOf = (rows: string[], start: string) => rows.find((r) => r.startsWith(start)) ?? '';

describe('the population section with a registry listing', () => {
  it('is titled after its sources: what runs, what is published, or both', () => {
    expect(section(running).title).toBe('Population: what runs');
    expect(section(published).title).toBe('Population: what is published');
    expect(section(both).title).toBe('Population: what runs and what is published');
  });

  it('says that a listing tells what is published, not what runs, and counts tags read and not resolved', () => {
    const text = sectionText(section(published));
    expect(text).toContain('Published is not running: a listing says nothing of where, or whether, an image runs.');
    expect(text).not.toContain('What runs, read from the population exports');
    expect(text).toContain(
      '0 containers and 11 registry tags read; 2 distinct digests published: 1 covered by the configuration, 1 NOT covered, 0 another digest than the configuration names; 0 containers without a registry digest; 1 tag not resolved; 2 configured images not found.',
    );
    expect(text).toContain('Digests published (2)');
    expect(text).toContain('Configured images not found published at a listed tag (2)');
    expect(sectionText(section(both))).toContain('Digests running or published (2)');
  });

  it('gives each listing its repositories, tags and collection time, as the listing states', () => {
    expect(rowOf(tableRows(both), 'registry-listing.json')).toMatch(
      /^registry-listing\.json\nsha256:[0-9a-f]{12}… \| — \| — \| read whole \(unsigned\)\nregistry listing: 4 repositories, 11 tags, collected 28 June 2026, 09:00 UTC \(as it states\)$/,
    );
  });

  it('lists the tags that publish each digest up to a bound, counts the rest, and never says a published-only digest runs', () => {
    const rows = tableRows(both);
    const cockpit = (rowOf(rows, 'cockpit').split(' | ')[2] ?? '').split('\n');
    expect(cockpit.slice(0, 3)).toEqual(['in 1 container:', 'prod/cockpit-0 · web', 'published as 8 tags:']);
    expect(cockpit.slice(3, 3 + TAGS_SHOWN)).toEqual(['1.0', '1.0.1', '2026.04', 'latest', 'lts'].map((t) => `registry.example/app/cockpit:${t}`));
    expect(cockpit.at(-1)).toBe('… and 3 more');
    expect(rowOf(rows, 'trino-ffffffffffff')).toContain(' | NOT COVERED | not found running\npublished as 1 tag:\nregistry.example/app/trino:2026.04');
    expect(rowOf(tableRows(published), 'trino-ffffffffffff')).toMatch(/ \| NOT COVERED \| published as 1 tag:\nregistry\.example\/app\/trino:2026\.04$/);
  });

  it('lists the tags the collection could not resolve, with code and reason', () => {
    const text = sectionText(section(both));
    expect(text).toContain('Registry tags not resolved (1)');
    expect(rowOf(tableRows(both), 'registry.example/app/slow:2026.04')).toBe('registry.example/app/slow:2026.04 | COLLECT_TIMEOUT: no answer within 30 s');
  });

  it('shows the filters, the count per rule and what each left out: never silent', () => {
    const text = sectionText(section(both));
    expect(text).toContain('Left out by the filters (2)');
    expect(text).toContain('Filters as configured: population.excludeNamespaces: kube-system; population.excludeRepositories: registry.example/app/legacy');
    const rows = tableRows(both);
    expect(rows).toContain('population.excludeNamespaces: kube-system | 1 | 0');
    expect(rows).toContain('population.excludeRepositories: registry.example/app/legacy | 0 | 1');
    expect(rows).toContain('population.excludeNamespaces: kube-system | registry.k8s.io/coredns/coredns:v1.11.1 | kube-system/coredns-x · coredns');
    expect(rows).toContain('population.excludeRepositories: registry.example/app/legacy | registry.example/app/legacy:0.9 | tag in registry-listing.json');
  });
});

describe('page 1 and the limits for each kind of population', () => {
  const cover = (r: Report) => sectionText(buildDocument(r, 'en').cover);
  const limits = (r: Report) => sectionText(sectionById(buildDocument(r, 'en'), 'trust'));

  it('registry only: what is published, not what runs, with unresolved tags and exclusions counted', () => {
    const line = cover(published);
    expect(line).toContain(
      'Population: what is published, read from registry-listing.json (unsigned operator evidence): 2 digests published, 1 covered by the configuration, 1 not covered, 0 another digest than configured, 0 containers without a known digest, 1 registry tag not resolved. A registry listing says what was published at the listed tags when it was collected, not what runs.',
    );
    expect(line).toContain('The filters (config population) left out 1 container or tag, each listed with its rule. More in Population: what is published');
    expect(line).not.toContain('what runs,');
    expect(limits(published)).toContain('A registry listing shows what the registry published at the listed tags when it was collected');
    expect(limits(published)).not.toContain('The population is what the exports show');
    expect(limits(published)).toContain('The filters (config population) put namespaces and repositories out of scope');
  });

  it('both: what runs and what is published, and both limits', () => {
    expect(cover(both)).toContain('Population: what runs and what is published, read from pods.json and registry-listing.json');
    expect(cover(both)).toContain('left out 2 containers and tags');
    expect(limits(both)).toContain('The population is what the exports show');
    expect(limits(both)).toContain('it says nothing of what runs');
  });

  it('kubernetes only, no filters: the exports alone, no word of listings or filters', () => {
    expect(cover(running)).not.toContain('published');
    expect(cover(running)).not.toContain('filters');
    expect(limits(running)).not.toContain('registry listing');
    expect(limits(running)).not.toContain('The filters');
  });

  it('reads in French', () => {
    const text = documentText(buildDocument(both, 'fr'));
    expect(text).toContain('Population : ce qui s’exécute et ce qui est publié');
    expect(text).toContain('publiée sous 8 tags :');
    expect(text).toContain('Tags de registre non résolus (1)');
    expect(text).toContain('Écartés par les filtres (2)');
    expect(documentText(buildDocument(published, 'fr'))).toContain('Population : ce qui est publié');
  });
});

describe('OSCAL observations of a published digest', () => {
  it('say it is published, at which tags, and not that it runs', () => {
    const oscal = JSON.parse(renderOscal(both).toString('utf8')) as {
      'assessment-results': { results: { observations: { title: string; description: string }[] }[] };
    };
    const observations = oscal['assessment-results'].results[0]?.observations ?? [];
    const trino = observations.find((o) => o.title.startsWith('Population: trino-ffffffffffff'));
    expect(trino?.title).toBe('Population: trino-ffffffffffff is published (uncovered)');
    expect(trino?.description).toContain(
      `Digest sha256:${'f'.repeat(64)} is published as 1 tag(s): registry.example/app/trino:2026.04 (registry listing: published, not necessarily running)`,
    );
    expect(trino?.description).not.toContain('runs in');
    const cockpit = observations.find((o) => o.title.startsWith('Population: cockpit'));
    expect(cockpit?.description).toContain('runs in 1 container(s): prod/cockpit-0 web');
    expect(cockpit?.description).toContain('is published as 8 tag(s): registry.example/app/cockpit:1.0');
  });
});
