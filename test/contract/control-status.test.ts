import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveControlResult } from '../../src/engine/control-status.js';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog, type Catalog, type CatalogControl } from '../../src/frameworks/catalog.js';
import { PROFILE_CONDITIONS, type ProfileCondition } from '../../src/frameworks/conditions.js';
import type { ControlResult, Finding, FindingStatus, Report } from '../../src/report/model.js';

/**
 * The status rule over every control of every built-in catalog, for every
 * combination of its checks passing or failing and for the cautious and the
 * fullest entity profile: no control reads SUPPORTED without a passing `full`
 * mapping, and a supporting-only control never reads as support.
 */
const PROFILES: ReadonlySet<ProfileCondition>[] = [
  new Set(),
  new Set(PROFILE_CONDITIONS.filter((c) => c !== 'simplified-framework' && c !== 'microenterprise')),
  new Set(PROFILE_CONDITIONS),
];
const SUBJECTS = ['a', 'b'];

function finding(checkId: string, subject: string, status: FindingStatus): Finding {
  return {
    id: `${checkId}:${subject}`,
    checkId,
    checkTitle: checkId,
    subject,
    status,
    ...(status === 'pass' ? {} : { code: 'SIGNATURE_INVALID' }),
    message: '',
    details: {},
    evidence: [],
  };
}

/** Every way the control's checks can pass or fail for subject `a`, with `b` passing all. */
function scenarios(control: CatalogControl): Finding[][] {
  const checks = [...new Set(control.support.map((s) => s.check))];
  const out: Finding[][] = [];
  for (let mask = 0; mask < 2 ** checks.length; mask += 1) {
    const a = checks.map((check, i) => finding(check, 'a', mask & (2 ** i) ? 'fail' : 'pass'));
    out.push([...a, ...checks.map((check) => finding(check, 'b', 'pass'))]);
  }
  return out;
}

/** The property itself, on one derived result. */
function assertStatusHonest(result: ControlResult, where: string): void {
  const passedAll = result.coverage.total > 0 && result.coverage.passed === result.coverage.total;
  if (result.status === 'supported') {
    expect(
      result.support.some((s) => s.strength === 'full'),
      `${where}: supported without a full mapping`,
    ).toBe(true);
    expect(passedAll, `${where}: supported without every image passing`).toBe(true);
  }
  if (result.status === 'supported' || result.status === 'partially-supported')
    expect(result.strength, `${where}: reads as support on supporting-only mappings`).not.toBe('supporting');
  if (result.status === 'relevant-not-sufficient') expect(result.strength, where).toBe('supporting');
  if (result.coverage.passed === 0)
    expect(['supported', 'partially-supported', 'relevant-not-sufficient'], `${where}: a gap became a pass`).not.toContain(result.status);
}

const catalogs: Catalog[] = [];
beforeAll(async () => {
  for (const id of BUILT_IN_FRAMEWORKS) catalogs.push(await loadBuiltInCatalog(id));
});

describe('no control reads SUPPORTED without a passing full mapping', () => {
  it('holds for every control of every built-in catalog, every pass/fail combination and every profile', () => {
    let derived = 0;
    for (const catalog of catalogs) {
      for (const control of catalog.controls) {
        for (const conditions of PROFILES) {
          for (const findings of scenarios(control)) {
            const result = deriveControlResult(control, SUBJECTS, findings, { periodEnd: '2028-01-01', conditions });
            assertStatusHonest(result, `${catalog.id}/${control.id} [${[...conditions].join(',')}]`);
            derived += 1;
          }
        }
      }
    }
    expect(derived).toBeGreaterThan(500);
  });

  it('is reachable: the catalogs still have controls that can be supported, and only through full mappings', () => {
    const supportedSomewhere = catalogs.flatMap((catalog) =>
      catalog.controls.filter((control) => {
        const all = control.support.flatMap((s) => SUBJECTS.map((subject) => finding(s.check, subject, 'pass')));
        return deriveControlResult(control, SUBJECTS, all, { periodEnd: '2028-01-01', conditions: PROFILES[1] ?? new Set() }).status === 'supported';
      }),
    );
    expect(supportedSomewhere.map((c) => c.id)).toEqual(expect.arrayContaining(['dora-rts-art-10-2-d-i', 'ssdf-ps-2-1', 'cra-annex-i-part-ii-1']));
  });

  it('holds in the golden sample report, with coverage and strength shown apart', async () => {
    const golden = JSON.parse(await readFile(new URL('../../samples/akko/golden/report.json', import.meta.url), 'utf8')) as Report;
    for (const framework of golden.frameworks) {
      for (const control of framework.controls) {
        assertStatusHonest(control, `golden ${framework.id}/${control.id}`);
        expect(control, `${framework.id}/${control.id}`).toHaveProperty('strength');
      }
    }
    const count = (status: string) => golden.frameworks.flatMap((f) => f.controls).filter((c) => c.status === status).length;
    expect(count('relevant-not-sufficient')).toBeGreaterThan(0);
    expect(golden.summary.controls['relevant-not-sufficient']).toBe(count('relevant-not-sufficient'));
  });
});
