/**
 * Plain inputs for the engine's unit tests: a valid configuration, a small
 * catalog whose controls cite real checks, and findings in the report's shape.
 */
import type { CheckId } from '../../../src/checks/index.js';
import type { Config } from '../../../src/config/schema.js';
import type { Catalog } from '../../../src/frameworks/catalog.js';
import type { ErrorCode, Finding, FindingStatus } from '../../../src/report/model.js';

export const CLOCK = '2026-07-01T08:00:00.000Z';
export const digestOf = (name: string) => `sha256:${Buffer.from(name.padEnd(32, '.')).toString('hex').slice(0, 64)}`;

export function testConfig(images: string[] = ['api', 'web']): Config {
  return {
    organisation: 'Test Org',
    period: '2026-Q2',
    zone: 'UTC',
    images: images.map((name) => ({ name, ref: `registry.test/${name}:1`, digest: digestOf(name) })),
    trust: { keys: [{ id: 'k', path: 'keys/k.pub' }], requireTransparencyLog: true },
    evidence: { images: 'evidence/{image}', events: ['push', 'tag'], branches: ['main'], maxAge: 'P1Y' },
    frameworks: ['test'],
    sbom: { minLicenceCoverage: 0.8, minPurlCoverage: 0.8, minGrade: 'D' },
    outputs: ['json'],
    locale: 'en',
    pdfAttachments: 'auto',
    seal: {},
  };
}

const control = (id: string, checks: CheckId[], extra: Partial<Catalog['controls'][number]> = {}): Catalog['controls'][number] => ({
  id,
  citation: `Test Regulation, Art. ${id}`,
  title: `Control ${id}`,
  paraphrase: ` What ${id} asks. `,
  source: `https://regulation.test/${id}`,
  support: checks.map((check) => ({ check, strength: 'full' as const, reasoning: ` ${check} bears on all of it. ` })),
  notCovered: ['the organisation’s policies'],
  ...extra,
});

/** `signed` rests on signature.verified, `sbom` on sbom.valid; `manual` has no check; `later` applies after the period. */
export const TEST_CATALOG: Catalog = {
  id: 'test',
  title: 'Test Regulation',
  version: '2026',
  source: 'https://regulation.test/',
  applicability: '  Every test entity.\n',
  appliesTo: ['any'],
  celex: '32026R0001',
  controls: [
    control('signed', ['signature.verified']),
    control('sbom', ['sbom.valid']),
    control('manual', [], { manualOnly: true }),
    control('later', ['signature.verified'], { appliesFrom: '2027-12-11' }),
  ],
};

export function finding(checkId: string, subject: string, status: FindingStatus, code?: ErrorCode): Finding {
  return {
    id: `${checkId}:${subject}`,
    checkId,
    checkTitle: checkId,
    subject,
    status,
    ...(code === undefined ? {} : { code }),
    message: `${checkId} ${status} for ${subject}`,
    details: {},
    evidence: [],
  };
}
