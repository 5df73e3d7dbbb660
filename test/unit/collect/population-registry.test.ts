import { describe, expect, it } from 'vitest';
import { readRegistryListing } from '../../../src/collect/population-registry.js';
import { LISTING_TIME, listingText, published } from '../../helpers/listings.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const origin = { source: 'collected/registry/registry-listing.json', evidence: 'e'.repeat(64) };
const read = (text: string, limit?: number) => readRegistryListing(Buffer.from(text), origin, limit);
const reading = (text: string, limit?: number) => {
  const parsed = read(text, limit);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.reading;
};

describe('registry listing: what a registry published', () => {
  it('reads every resolved tag as a published digest, with its reference, normalised repository and platforms', () => {
    const index = {
      tag: '2026.04',
      digest: d('a'),
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: [
        { platform: 'linux/amd64', digest: d('1') },
        { platform: 'linux/arm64', digest: d('2') },
      ],
    };
    const r = reading(listingText({ 'akko/cockpit': [index], 'akko/trino': [published('2026.04', d('b'))] }));
    expect(r).toMatchObject({ host: 'harbor.example', collectedAt: LISTING_TIME, repositories: 2, absent: 0, skipped: [], incomplete: [], truncated: false });
    expect(r.published).toEqual([
      {
        reference: 'harbor.example/akko/cockpit:2026.04',
        repository: 'harbor.example/akko/cockpit',
        tag: '2026.04',
        digest: d('a'),
        platforms: index.platforms,
        ...origin,
      },
      expect.objectContaining({ reference: 'harbor.example/akko/trino:2026.04', digest: d('b'), platforms: [] }),
    ]);
  });

  it('names Docker Hub repositories as image references do', () => {
    const r = reading(listingText({ 'library/nginx': [published('1.27', d('c'))] }, { host: 'docker.io' }));
    expect(r.published[0]).toMatchObject({ reference: 'docker.io/library/nginx:1.27', repository: 'docker.io/library/nginx' });
  });

  it('counts a tag the registry does not have as absent (not published), and keeps an unresolved one with its reason', () => {
    const r = reading(
      listingText({
        'akko/legacy': [{ tag: '2026.04', absent: true }],
        'akko/slow': [{ tag: '2026.04', problem: { code: 'COLLECT_TIMEOUT', reason: 'no answer within 30 s' } }],
      }),
    );
    expect([r.absent, r.published.length, r.skipped, r.incomplete]).toEqual([1, 0, [], []]);
    expect(r.unresolved).toEqual([
      expect.objectContaining({ reference: 'harbor.example/akko/slow:2026.04', code: 'COLLECT_TIMEOUT', reason: 'no answer within 30 s' }),
    ]);
  });

  it("takes the listing's own word that it is not whole: its problems, or complete not true", () => {
    const problems = [{ code: 'COLLECT_AUTH_FAILED' as const, where: 'catalog', reason: 'the registry does not list its catalog to these credentials' }];
    expect(reading(listingText({}, { problems })).incomplete).toEqual(['COLLECT_AUTH_FAILED: the registry does not list its catalog to these credentials']);
    const edited = listingText({ 'akko/app': [published('1', d('a'))] }, { edit: (l) => delete l.complete });
    expect(reading(edited).incomplete).toEqual(['the listing does not say it is complete ("complete" is not true)']);
  });
});

describe('registry listing: hostile shapes', () => {
  it('refuses what is not a listing, naming why', () => {
    expect(read('{"listingFormat":')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(read('[]')).toMatchObject({ ok: false, reason: expect.stringContaining('not a registry listing') });
    expect(read(JSON.stringify({ kind: 'List', items: [] }))).toMatchObject({ ok: false, reason: expect.stringContaining('listingFormat') });
    const edit = (change: (l: Record<string, unknown>) => void) => read(listingText({}, { edit: change }));
    expect(edit((l) => (l.version = 2))).toMatchObject({ ok: false, reason: 'listing version 2 is newer than this auditpack reads (1)' });
    expect(edit((l) => (l.version = '1'))).toMatchObject({ ok: false, reason: 'the listing has no valid version' });
    expect(edit((l) => (l.host = '../../etc'))).toMatchObject({ ok: false, reason: expect.stringContaining('host') });
    expect(edit((l) => (l.host = 'Harbor.Example'))).toMatchObject({ ok: false });
    expect(edit((l) => (l.repositories = {}))).toMatchObject({ ok: false, reason: 'the listing has no "repositories" list' });
  });

  it('names every entry it cannot read, and still reads the others', () => {
    const text = listingText(
      {
        'akko/app': [
          published('1.0', d('a')),
          { tag: '1.1', digest: 'sha256:short', mediaType: 'x', platforms: [] },
          { tag: '../x', digest: d('b'), mediaType: 'x', platforms: [] },
          { tag: '1.2', digest: d('c'), mediaType: 'x', platforms: [{ platform: 'linux/amd64', digest: 'nope' }] },
          { tag: '1.3', problem: { code: 'NOT_A_CODE', reason: 'x' } },
        ] as never,
      },
      {
        edit: (l) => {
          const repositories = l.repositories as unknown[];
          repositories.push(
            'akko/string',
            { name: '../../etc', tags: [] },
            { name: 'akko/no-tags' },
            { name: 'akko/app', tags: [{ tag: '1.0', digest: d('f') }] },
          );
        },
      },
    );
    const r = reading(text);
    expect(r.published.map((p) => [p.reference, p.digest])).toEqual([['harbor.example/akko/app:1.0', d('a')]]);
    expect(r.skipped).toEqual([
      // The writer sorts tags by name: `../x` comes first.
      'repositories[0].tags[0] (akko/app): no valid tag',
      'repositories[0].tags[2] (akko/app): no digest (sha256:<64 hex>), no absent: true and no problem',
      'repositories[0].tags[3] (akko/app): a platform entry has no platform and digest (sha256:<64 hex>)',
      'repositories[0].tags[4] (akko/app): its problem has no known code and reason',
      'repositories[1] is not a valid repository name with a tags list',
      'repositories[2] (../../etc) is not a valid repository name with a tags list',
      'repositories[3] (akko/no-tags) is not a valid repository name with a tags list',
      'repositories[4].tags[0] (akko/app): harbor.example/akko/app:1.0 is listed twice',
    ]);
  });

  it('stops at the tag limit and says so', () => {
    const tags = Array.from({ length: 5 }, (_, i) => published(`1.${i}`, d(String(i))));
    const r = reading(listingText({ 'akko/app': tags }), 3);
    expect([r.published.length, r.truncated]).toEqual([3, true]);
  });

  it('keeps hostile strings out of messages beyond 200 characters', () => {
    const r = reading(listingText({ 'akko/app': [{ tag: '1', problem: { code: 'COLLECT_TIMEOUT', reason: 'x'.repeat(10_000) } }] }));
    expect(r.unresolved[0]?.reason.length).toBeLessThan(300);
    const named = reading(
      listingText(
        {},
        {
          edit: (l) =>
            (l.repositories = [
              { name: 'y'.repeat(10_000), tags: [] },
              { name: 'Y'.repeat(10_000), tags: [] },
            ]),
        },
      ),
    );
    expect(named.skipped).toHaveLength(2);
    for (const line of named.skipped) expect(line.length).toBeLessThan(400);
  });
});
