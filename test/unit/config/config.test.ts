import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { isInPeriod, parseClock, parsePeriod } from '../../../src/config/period.js';

const valid = `
organisation: Example
period: 2026-Q2
images:
  - { name: app, ref: r/app:1, digest: "sha256:${'a'.repeat(64)}" }
trust:
  keys: [{ id: k, path: k.pub }]
  trustedRoot: root.json
evidence:
  images: evidence/{image}
frameworks: [dora]
`;
const parse = (text: string) => parseConfig(Buffer.from(text), 'auditpack.yaml');

describe('config', () => {
  it('fills defaults and hashes the bytes', () => {
    const { config, sha256 } = parse(valid);
    expect(config).toMatchObject({
      zone: 'UTC',
      outputs: ['json', 'html', 'pdf'],
      sbom: { minLicenceCoverage: 0.8, minPurlCoverage: 0.8 },
      trust: { requireTransparencyLog: true },
      evidence: { events: ['push', 'tag'], branches: ['main'] },
    });
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports every schema error with its path', () => {
    expect(() => parse(valid.replace('sha256:', 'md5:').replace('2026-Q2', '2026-Q5'))).toThrow(
      /\/period: must match pattern[\s\S]*\/images\/0\/digest: must match pattern/,
    );
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => parse(`${valid}colour: blue\n`)).toThrow(/must NOT have additional properties 'colour'/);
  });

  it('accepts keyless identities instead of keys, but not neither', () => {
    const keyless = valid.replace(
      'keys: [{ id: k, path: k.pub }]',
      'identities: [{ identity: "https://ci.example/wf@refs/heads/main", issuer: "https://token.example" }]',
    );
    expect(parse(keyless).config.trust.keys).toEqual([]);
    expect(() => parse(valid.replace('keys: [{ id: k, path: k.pub }]', 'keys: []'))).toThrow(/\/trust/);
  });

  it('takes a population from kubectl exports and registry listings, with namespace and repository filters', () => {
    const population = (lines: string) => parse(`${valid}population:\n${lines}`).config.population;
    expect(
      population(
        '  registry: collected/registry/registry-listing.json\n  excludeNamespaces: [kube-system]\n  repositories: ["harbor.example/akko/**", "**/team/*", "localhost:5000/x"]\n',
      ),
    ).toEqual({
      registry: 'collected/registry/registry-listing.json',
      excludeNamespaces: ['kube-system'],
      repositories: ['harbor.example/akko/**', '**/team/*', 'localhost:5000/x'],
    });
    expect(population('  kubernetes: [a.json, b.json]\n  namespaces: ["akko-*"]\n')).toMatchObject({ namespaces: ['akko-*'] });
    // A filter alone would compare the images with nothing.
    expect(() => population('  excludeNamespaces: [kube-system]\n')).toThrow(/\/population: must have required property 'kubernetes'/);
    expect(() => population('  kubernetes: a.json\n  namespaces: [Kube_System]\n')).toThrow(/\/population\/namespaces\/0: must match pattern/);
  });

  it('refuses a repository pattern without a registry host, showing the form that would match', () => {
    const population = (lines: string) => parse(`${valid}population:\n  registry: listing.json\n${lines}`);
    expect(() => population('  repositories: ["akko/*"]\n')).toThrow(
      "/population/repositories: 'akko/*' names no registry host: repositories are matched host first, as the report names them (harbor.example.com/akko/*, **/akko/* for any host, docker.io/library/nginx for nginx)",
    );
    expect(() => population('  excludeRepositories: [nginx]\n')).toThrow(/\/population\/excludeRepositories: 'nginx' names no registry host/);
  });

  it('takes the PDF signing certificate and key together, or a PKCS#12 file instead, and oscal as an output', () => {
    const seal = (lines: string) => parse(`${valid}outputs: [pdf, oscal]\nseal:\n${lines}`);
    expect(seal('  pdfCertificate: c.crt\n  pdfKey: c.key\n').config.seal).toEqual({ pdfCertificate: 'c.crt', pdfKey: 'c.key' });
    expect(seal('  pdfPkcs12: c.p12\n').config.outputs).toEqual(['pdf', 'oscal']);
    expect(() => seal('  pdfKey: c.key\n')).toThrow(/\/seal: must have property pdfCertificate when property pdfKey is present/);
    expect(() => seal('  pdfCertificate: c.crt\n')).toThrow(/\/seal/);
    expect(() => seal('  pdfPkcs12: c.p12\n  pdfCertificate: c.crt\n  pdfKey: c.key\n')).toThrow(/\/seal/);
    expect(() => parse(`${valid}outputs: [docx]\n`)).toThrow(/\/outputs\/0/);
  });

  it('needs a trusted root unless key-only signatures are accepted, and always for a key with a validity window', () => {
    const noRoot = valid.replace('  trustedRoot: root.json\n', '');
    expect(() => parse(noRoot)).toThrow(/\/trust: trustedRoot is required/);
    expect(parse(noRoot.replace('trust:\n', 'trust:\n  requireTransparencyLog: false\n')).config.trust.requireTransparencyLog).toBe(false);
    const windowed = noRoot
      .replace('trust:\n', 'trust:\n  requireTransparencyLog: false\n')
      .replace('{ id: k, path: k.pub }', '{ id: k, path: k.pub, validFrom: "2026-01-01T00:00:00Z" }');
    expect(() => parse(windowed)).toThrow(/key 'k' has a validity window/);
  });

  it('needs the repository CI runs are bound to when Woodpecker exports are configured', () => {
    const ci = valid.replace('  images: evidence/{image}', '  images: evidence/{image}\n  woodpecker: woodpecker');
    expect(() => parse(ci)).toThrow(/\/evidence: must have required property 'repository'/);
    const bound = parse(
      ci.replace('  woodpecker: woodpecker', '  woodpecker: woodpecker\n  repository: { url: "https://forge.test/team/app", id: 7 }\n  events: [push]'),
    );
    expect(bound.config.evidence).toMatchObject({ repository: { url: 'https://forge.test/team/app', id: 7 }, events: ['push'] });
    expect(() =>
      parse(ci.replace('  woodpecker: woodpecker', '  woodpecker: woodpecker\n  repository: { url: "https://forge.test/team/app" }\n  events: [merge]')),
    ).toThrow(/\/evidence\/events\/0: must be equal to one of the allowed values/);
  });

  it('rejects YAML that does not parse', () => {
    expect(() => parse('organisation: [unclosed')).toThrow(/not valid YAML/);
  });

  it('rejects an image name used twice', () => {
    expect(() => parse(valid.replace('images:', `images:\n  - { name: app, ref: r/app:2, digest: "sha256:${'b'.repeat(64)}" }`))).toThrow(
      /'app' is used twice/,
    );
  });
});

describe('maximum evidence age in the configuration', () => {
  const withMaxAge = (value: string) => parse(valid.replace('  images: evidence/{image}\n', `  images: evidence/{image}\n  maxAge: ${value}\n`));

  it('defaults to one year', () => {
    expect(parse(valid).config.evidence.maxAge).toBe('P1Y');
  });

  it('accepts ISO 8601 durations in whole units', () => {
    for (const value of ['P18M', 'P90D', 'P1Y6M', 'P2W', 'PT12H', 'P1DT12H']) expect(withMaxAge(value).config.evidence.maxAge).toBe(value);
  });

  it('refuses what is not a duration, a fraction, a negative or a zero duration, naming the key and the file', () => {
    for (const value of ['1Y', 'P', 'PT', 'P1.5Y', '-P1Y', 'one year', 'P1Y2']) expect(() => withMaxAge(value), value).toThrow(/\/evidence\/maxAge/);
    expect(() => withMaxAge('P0D')).toThrow(/'P0D' is zero/);
    const thrown = (() => {
      try {
        withMaxAge('P0Y0M');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID', file: 'auditpack.yaml' });
  });
});

describe('period in the configuration', () => {
  it('accepts every label the command line accepts, a bare year included', () => {
    for (const label of ['2026-Q2', '2026-H1', '2026', '2026-04-01..2026-06-30', 'previous', 'current', 'previous-year', 'current-half']) {
      expect(parse(valid.replace('2026-Q2', label)).config.period, label).toBe(label);
    }
  });
});

describe('period', () => {
  it('is the half-open quarter in the given zone', () => {
    const p = parsePeriod('2026-Q2', 'UTC');
    expect(p.interval.start.toISO()).toBe('2026-04-01T00:00:00.000Z');
    expect(p.interval.end.toISO()).toBe('2026-07-01T00:00:00.000Z');
    expect(isInPeriod(p, '2026-06-30T23:59:59.999Z')).toBe(true);
    expect(isInPeriod(p, '2026-07-01T00:00:00.000Z')).toBe(false);
  });

  it('depends on the zone at the boundary', () => {
    const berlin = parsePeriod('2026-Q2', 'Europe/Berlin');
    expect(isInPeriod(berlin, '2026-03-31T22:30:00.000Z')).toBe(true);
    expect(isInPeriod(parsePeriod('2026-Q2', 'UTC'), '2026-03-31T22:30:00.000Z')).toBe(false);
  });

  it('rejects what is not a quarter or not a zone', () => {
    expect(() => parsePeriod('2026-Q5', 'UTC')).toThrow(/not a period/);
    expect(() => parsePeriod('2026-Q1', 'Mars/Olympus')).toThrow(/not an IANA time zone/);
  });

  it('parses a clock and rejects a date without time', () => {
    expect(parseClock('2026-07-01T08:00:00+02:00').toISO()).toBe('2026-07-01T06:00:00.000Z');
    expect(() => parseClock('2026-07-01')).toThrow(/with a time/);
    expect(() => parseClock('yesterday')).toThrow(/ISO 8601/);
  });
});
