import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/checks/index.js';
import type { Check, CheckContext } from '../../../src/checks/types.js';
import type { Collection } from '../../../src/collect/evidence.js';
import { parsePeriod } from '../../../src/config/period.js';
import { matchPopulation } from '../../../src/collect/population-match.js';
import { runChecks, type VerifyInput } from '../../../src/engine/run-checks.js';
import { testConfig } from './inputs.js';

const emptyCollection = (): Collection => ({ evidence: [], subjects: new Map(), runs: [], problems: [], manualEvidence: [] });

function verify(over: Partial<VerifyInput> = {}) {
  return runChecks({ config: testConfig(), collection: emptyCollection(), trust: { keys: [] }, period: parsePeriod('2026-Q2', 'UTC'), ...over });
}

const check = (id: string, run: Check['run']): Check => ({ id, title: `Title of ${id}`, description: `What ${id} means.`, run });

describe('runChecks', () => {
  it('runs every check for every image, in configuration order, one finding each', async () => {
    const checks = [
      check('test.first', ({ image }) => ({ status: 'pass', message: `first ${image.name}` })),
      check('test.second', async ({ image }) => Promise.resolve({ status: 'fail', code: 'SIGNATURE_INVALID', message: `second ${image.name}` })),
    ];
    const { findings } = await verify({ checks });
    expect(findings.map((f) => f.id)).toEqual(['test.first:api', 'test.second:api', 'test.first:web', 'test.second:web']);
    expect(findings[1]).toEqual({
      id: 'test.second:api',
      checkId: 'test.second',
      checkTitle: 'Title of test.second',
      subject: 'api',
      status: 'fail',
      code: 'SIGNATURE_INVALID',
      message: 'second api',
      details: {},
      evidence: [],
    });
  });

  it('keeps a finding’s evidence ids unique and sorted, its quotes only when there are some', async () => {
    const checks = [
      check('test.quoted', () => ({
        status: 'fail',
        code: 'PIPELINE_WARNING',
        message: 'm',
        quotes: ['error: signing failed'],
        evidence: ['bb', 'aa', 'bb'],
        details: { run: '#12' },
      })),
      check('test.unquoted', () => ({ status: 'pass', message: 'm', quotes: [] })),
    ];
    const { findings } = await verify({ config: testConfig(['api']), checks });
    expect(findings[0]).toMatchObject({ quotes: ['error: signing failed'], evidence: ['aa', 'bb'], details: { run: '#12' } });
    expect(findings[1]).not.toHaveProperty('quotes');
    expect(findings[1]).not.toHaveProperty('code');
  });

  it('turns a check that throws or rejects into an error finding, never a pass, and runs the others', async () => {
    const checks = [
      check('test.throws', () => {
        throw new Error('boom');
      }),
      check('test.rejects', () => Promise.reject(new Error('async boom'))),
      check('test.after', () => ({ status: 'pass', message: 'still ran' })),
    ];
    const { findings } = await verify({ config: testConfig(['api']), checks });
    expect(findings.map((f) => [f.checkId, f.status, f.code])).toEqual([
      ['test.throws', 'error', 'INTERNAL'],
      ['test.rejects', 'error', 'INTERNAL'],
      ['test.after', 'pass', undefined],
    ]);
    expect(findings[0]?.message).toMatch(/the check failed to run: .*boom/);
  });

  it('gives each check the image, the period, the configured maximum evidence age and the configured SBOM policy', async () => {
    const seen: (Omit<CheckContext, 'analysis' | 'maxEvidenceAge'> & { maxEvidenceAge: string | null })[] = [];
    const base = testConfig(['api']);
    const config = { ...base, evidence: { ...base.evidence, maxAge: 'P18M' }, sbom: { minLicenceCoverage: 0.5, minPurlCoverage: 0.9, minGrade: 'C' as const } };
    const record = check('test.context', ({ image, period, maxEvidenceAge, sbomPolicy }) => {
      seen.push({ image, period, maxEvidenceAge: maxEvidenceAge.toISO(), sbomPolicy });
      return { status: 'pass', message: 'm' };
    });
    await verify({ config, checks: [record] });
    expect(seen).toEqual([
      {
        image: config.images[0],
        period: expect.objectContaining({ label: '2026-Q2' }),
        maxEvidenceAge: 'P18M',
        sbomPolicy: { minLicenceCoverage: 0.5, minPurlCoverage: 0.9 },
      },
    ]);
  });

  it('with no evidence at all, no built-in check passes for any image', async () => {
    const { findings, dates, sboms } = await verify();
    expect(findings).toHaveLength(CHECKS.length * 2);
    for (const f of findings) {
      expect(f.status, f.id).not.toBe('pass');
      if (f.status !== 'not-applicable') expect(f.code, f.id).toMatch(/^[A-Z_]+$/);
    }
    expect(dates.size).toBe(0);
    expect(sboms.size).toBe(0);
  });

  it('reports its progress image by image', async () => {
    const messages: string[] = [];
    await verify({ checks: [], progress: (m) => messages.push(m) });
    expect(messages).toEqual(['verify 1/2: api', 'verify 2/2: web']);
  });

  it('runs only the population check for a running image the configuration does not name, and gives every check the population', async () => {
    const config = testConfig(['api']);
    const container = { namespace: 'prod', pod: 'p', container: 'c', kind: 'container' as const, image: 'x:1', source: 'pods.json', evidence: 'e'.repeat(64) };
    const running = [
      { ...container, digest: config.images[0]!.digest, repository: 'registry.test/api' },
      { ...container, pod: 'q', digest: `sha256:${'c'.repeat(64)}`, repository: 'registry.test/x' },
    ];
    const population = matchPopulation([{ kind: 'kubernetes', source: 'pods.json', pods: 2, containers: 2 }], running, [], config.images);
    const seen: string[] = [];
    const checks = [
      check('test.other', ({ image, population: given }) => {
        seen.push(`${image.name} ${given === population}`);
        return { status: 'pass', message: 'm' };
      }),
      CHECKS.find((c) => c.id === 'population.covered')!,
    ];
    const { findings } = await verify({ config, checks, collection: { ...emptyCollection(), population } });
    expect(seen).toEqual(['api true']);
    expect(findings.map((f) => [f.id, f.status, f.code])).toEqual([
      ['test.other:api', 'pass', undefined],
      ['population.covered:api', 'pass', undefined],
      [`population.covered:x-${'c'.repeat(12)}`, 'fail', 'IMAGE_RUNNING_UNCOVERED'],
    ]);
  });
});
