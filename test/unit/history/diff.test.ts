import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../../src/history/diff.js';
import type { ControlStatus, Report } from '../../../src/report/model.js';
import { compileSchema, formatSchemaErrors } from '../../../src/util/ajv.js';
import { control, finding, goldenReport, inventory, nextQuarter, subject } from './fixtures.js';

const empty = { added: [], removed: [], changed: [] };

describe('diffReports', () => {
  it('finds nothing between a report and itself, beyond the period', () => {
    const d = diffReports({ old: goldenReport(), new: nextQuarter() });
    expect(d).toMatchObject({
      changed: false,
      regression: false,
      images: { ...empty, status: [] },
      findings: { newFailures: [], fixed: [], otherChanges: [] },
      controls: [],
      catalogs: empty,
    });
    expect(d.waivers).toEqual({ added: [], removed: [], expired: [], changed: [] });
    expect(d.old).toMatchObject({ period: '2026-Q2', verdict: 'fail', images: 16, verified: 13 });
    expect(d.new).toMatchObject({ period: '2026-Q3', generatedAt: '2026-10-01T08:00:00.000Z' });
  });

  it('lists an added image, and its failures (only) as new failures (a regression)', () => {
    const after = nextQuarter();
    after.subjects.push({
      id: 'superset',
      ref: 'harbor.akko-ai.com/akko/superset:2026.07',
      digest: `sha256:${'5'.repeat(64)}`,
      status: 'failed',
      headlines: ['x'],
    });
    after.findings.push({
      ...finding(after, 'signature.verified:cockpit'),
      id: 'signature.verified:superset',
      subject: 'superset',
      status: 'fail',
      code: 'EVIDENCE_MISSING',
      message: 'no signature',
    });
    after.findings.push({ ...finding(after, 'sbom.valid:cockpit'), id: 'sbom.valid:superset', subject: 'superset' });
    const d = diffReports({ old: goldenReport(), new: after });
    expect(d.findings.otherChanges).toEqual([]); // its passes are not repeated: the image is listed once
    expect(d.images.added).toEqual([{ id: 'superset', ref: 'harbor.akko-ai.com/akko/superset:2026.07', digest: `sha256:${'5'.repeat(64)}`, status: 'failed' }]);
    expect(d.findings.newFailures).toEqual([
      { id: 'signature.verified:superset', checkId: 'signature.verified', subject: 'superset', new: 'fail', message: 'no signature', code: 'EVIDENCE_MISSING' },
    ]);
    expect(d.regression).toBe(true);
  });

  it('lists a removed image once, not each of its findings, and removal alone is no regression', () => {
    const after = nextQuarter();
    after.subjects = after.subjects.filter((s) => s.id !== 'mcp-openmetadata');
    after.findings = after.findings.filter((f) => f.subject !== 'mcp-openmetadata');
    const d = diffReports({ old: goldenReport(), new: after });
    expect(d.images.removed).toEqual([expect.objectContaining({ id: 'mcp-openmetadata', status: 'failed' })]);
    expect(d.findings).toEqual({ newFailures: [], fixed: [], otherChanges: [] });
    expect(d).toMatchObject({ changed: true, regression: false });
  });

  it('lists an image rebuilt with another digest, and a new reference', () => {
    const after = nextQuarter();
    subject(after, 'cockpit').digest = `sha256:${'c'.repeat(64)}`;
    subject(after, 'cockpit').ref = 'harbor.akko-ai.com/akko/cockpit:2026.07';
    const before = goldenReport();
    const d = diffReports({ old: before, new: after });
    expect(d.images.changed).toEqual([
      {
        id: 'cockpit',
        old: { ref: 'harbor.akko-ai.com/akko/cockpit:2026.04', digest: subject(before, 'cockpit').digest },
        new: { ref: 'harbor.akko-ai.com/akko/cockpit:2026.07', digest: `sha256:${'c'.repeat(64)}` },
      },
    ]);
  });

  it('tells image status changes for the worse from those for the better', () => {
    const after = nextQuarter();
    subject(after, 'notebook-full').status = 'verified';
    subject(after, 'cockpit').status = 'incomplete';
    const d = diffReports({ old: goldenReport(), new: after });
    expect(d.images.status).toEqual([
      { id: 'cockpit', old: 'verified', new: 'incomplete', worse: true },
      { id: 'notebook-full', old: 'failed', new: 'verified', worse: false },
    ]);
    expect(d.regression).toBe(true);
  });

  it('sorts finding changes into new failures, fixed and other changes', () => {
    const after = nextQuarter();
    finding(after, 'signature.verified:cockpit').status = 'fail';
    finding(after, 'signature.verified:notebook-full').status = 'pass';
    finding(after, 'sbom.quality:docs').status = 'error';
    after.findings = after.findings.filter((f) => f.id !== 'pipeline.built:spark');
    const d = diffReports({ old: goldenReport(), new: after });
    expect(d.findings.newFailures.map((f) => [f.id, f.old, f.new])).toEqual([['signature.verified:cockpit', 'pass', 'fail']]);
    expect(d.findings.fixed.map((f) => [f.id, f.old, f.new])).toEqual([['signature.verified:notebook-full', 'fail', 'pass']]);
    expect(d.findings.otherChanges.map((f) => [f.id, f.old, f.new])).toEqual([
      ['pipeline.built:spark', 'pass', undefined],
      ['sbom.quality:docs', 'fail', 'error'],
    ]);
    expect(d.regression).toBe(true);
  });

  it('is no regression when failures are only fixed', () => {
    const after = nextQuarter();
    for (const id of ['signature.verified:notebook-full', 'signature.binds-digest:notebook-full', 'pipeline.signing-clean:notebook-full'])
      finding(after, id).status = 'pass';
    const d = diffReports({ old: goldenReport(), new: after });
    expect(d.findings.fixed).toHaveLength(3);
    expect(d).toMatchObject({ changed: true, regression: false });
  });

  it('lists control status and coverage changes, and controls present in one report only', () => {
    const before = goldenReport();
    const after = nextQuarter();
    const set = (r: Report, fw: string, id: string, status: ControlStatus, passed: number) =>
      Object.assign(control(r, fw, id), { status, coverage: { passed, total: 16 } });
    set(before, 'dora', 'dora-rts-art-12-2-c-iii', 'supported', 16);
    set(after, 'dora', 'dora-rts-art-12-2-c-iii', 'relevant-not-sufficient', 16);
    set(before, 'dora', 'dora-art-9-4-e', 'partially-supported', 14);
    set(after, 'dora', 'dora-art-9-4-e', 'partially-supported', 15);
    set(before, 'hds', 'hds-exi-01', 'not-supported', 0);
    set(after, 'hds', 'hds-exi-01', 'relevant-not-sufficient', 15);
    const hds = after.frameworks.find((f) => f.id === 'hds');
    hds?.controls.push({ ...control(after, 'hds', 'hds-exi-16'), id: 'hds-exi-99', citation: 'HDS new' });
    if (hds) hds.controls = hds.controls.filter((c) => c.id !== 'hds-exi-24');
    const d = diffReports({ old: before, new: after });
    expect(d.controls.map((c) => [`${c.framework}/${c.control}`, c.old?.status, c.new?.status, c.worse])).toEqual([
      ['dora/dora-art-9-4-e', 'partially-supported', 'partially-supported', false],
      ['dora/dora-rts-art-12-2-c-iii', 'supported', 'relevant-not-sufficient', true],
      ['hds/hds-exi-01', 'not-supported', 'relevant-not-sufficient', false],
      ['hds/hds-exi-24', control(before, 'hds', 'hds-exi-24').status, undefined, false],
      ['hds/hds-exi-99', undefined, control(after, 'hds', 'hds-exi-16').status, false],
    ]);
    expect(d.controls[0]).toMatchObject({ old: { passed: 14, total: 16 }, new: { passed: 15, total: 16 } });
    expect(d.regression).toBe(true);
  });

  it('never calls a move to or from not-applicable a regression', () => {
    const after = nextQuarter();
    control(after, 'dora', 'dora-art-8-1').status = 'not-applicable';
    expect(diffReports({ old: goldenReport(), new: after })).toMatchObject({ changed: true, regression: false });
  });

  it('lists waivers added, removed, expired and changed', () => {
    const before = goldenReport();
    const after = nextQuarter();
    const docs = after.waivers.find((w) => w.id === 'WVR-2026-007');
    if (!docs) throw new Error('fixture');
    Object.assign(docs, { inForce: false, expired: true, covers: [] });
    after.waivers = after.waivers.filter((w) => w.id !== 'WVR-2026-002');
    after.waivers.push({
      ...docs,
      id: 'WVR-2026-019',
      scope: { image: 'spark' },
      start: '2026-07-20',
      expires: '2026-12-31',
      inForce: true,
      expired: false,
      covers: ['pipeline.built:spark'],
    });
    before.waivers.push({
      ...docs,
      id: 'WVR-2026-010',
      scope: { check: 'sbom.quality' },
      start: '2026-04-01',
      expires: '2026-06-30',
      inForce: true,
      expired: false,
      covers: [],
    });
    after.waivers.push({
      ...docs,
      id: 'WVR-2026-010',
      scope: { check: 'sbom.quality' },
      start: '2026-04-01',
      expires: '2026-12-31',
      inForce: true,
      expired: false,
      covers: [],
    });
    const d = diffReports({ old: before, new: after });
    expect(d.waivers.added.map((w) => [w.id, w.inForce, w.covers])).toEqual([['WVR-2026-019', true, 1]]);
    expect(d.waivers.removed.map((w) => [w.id, w.expired])).toEqual([['WVR-2026-002', true]]);
    expect(d.waivers.expired.map((w) => [w.id, w.expires])).toEqual([['WVR-2026-007', '2026-09-30']]);
    expect(d.waivers.changed).toEqual([
      { id: 'WVR-2026-010', old: expect.objectContaining({ expires: '2026-06-30' }), new: expect.objectContaining({ expires: '2026-12-31' }) },
    ]);
    expect(d.regression).toBe(true);
  });

  it('lists catalogs added, removed and with a new version', () => {
    const after = nextQuarter();
    const dora = after.frameworks.find((f) => f.id === 'dora');
    if (!dora) throw new Error('fixture');
    dora.version = 'DORA catalog 2026-09';
    after.frameworks = after.frameworks.filter((f) => f.id !== 'nis2');
    after.frameworks.push({ ...dora, id: 'cra', version: 'CRA 2024/2847', controls: [] });
    const d = diffReports({ old: goldenReport(), new: after });
    expect(d.catalogs).toEqual({
      added: [{ id: 'cra', version: 'CRA 2024/2847' }],
      removed: [{ id: 'nis2', version: expect.stringContaining('2022/2555') }],
      changed: [{ id: 'dora', oldVersion: expect.stringContaining('2022/2554'), newVersion: 'DORA catalog 2026-09' }],
    });
  });

  it('lists packages and licences added and removed per image, versions changed, and SBOM grade moves', () => {
    const before = goldenReport();
    const after = nextQuarter();
    const docs = after.sboms.entries.find((e) => e.subject === 'docs');
    if (!docs) throw new Error('fixture');
    const docsBefore = before.sboms.entries.find((e) => e.subject === 'docs');
    Object.assign(docs, { grade: 'C', components: 3 });
    const old = inventory([
      { image: 'docs', name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0', licences: ['WTFPL'] },
      { image: 'docs', name: 'core', version: '17.0.0', purl: 'pkg:npm/%40angular/core@17.0.0?package-id=1', licences: ['MIT'] },
      { image: 'cockpit', name: 'react', version: '18.2.0', purl: 'pkg:npm/react@18.2.0', licences: ['MIT'] },
      { image: 'mcp-openmetadata', name: 'gone', version: '1' },
    ]);
    const fresh = inventory([
      { image: 'docs', name: 'core', version: '17.3.1', purl: 'pkg:npm/%40angular/core@17.3.1?package-id=2', licences: ['MIT'] },
      { image: 'docs', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21', licences: ['MIT', 'CC0-1.0'] },
      { image: 'docs', name: 'vendored', version: '0.1', group: 'acme' },
      { image: 'cockpit', name: 'react', version: '18.2.0', purl: 'pkg:npm/react@18.2.0', licences: ['MIT'] },
    ]);
    const d = diffReports({ old: before, new: after, oldInventory: old, newInventory: fresh });
    expect(d.components).toEqual([
      {
        subject: 'docs',
        added: [
          { package: 'acme/vendored', versions: ['0.1'] },
          { package: 'pkg:npm/lodash', versions: ['4.17.21'] },
        ],
        removed: [{ package: 'pkg:npm/left-pad', versions: ['1.0.0'] }],
        versions: [{ package: 'pkg:npm/%40angular/core', old: ['17.0.0'], new: ['17.3.1'] }],
        licencesAdded: ['CC0-1.0'],
        licencesRemoved: ['WTFPL'],
        sbom: { old: { grade: docsBefore?.grade ?? '', components: 412 }, new: { grade: 'C', components: 3 } },
      },
      // mcp-openmetadata's packages all went: the image is still there, its SBOM lost them.
      { subject: 'mcp-openmetadata', added: [], removed: [{ package: 'gone', versions: ['1'] }], versions: [], licencesAdded: [], licencesRemoved: [] },
    ]);
    expect(d.changed).toBe(true);
  });

  it('does not compare components without both inventories', () => {
    expect(diffReports({ old: goldenReport(), new: nextQuarter(), oldInventory: inventory([]) }).components).toBeUndefined();
  });

  it('gives the same value for the same reports, with every list in a stable order', () => {
    const make = () => {
      const after = nextQuarter();
      for (const s of after.subjects) s.digest = `sha256:${'d'.repeat(64)}`;
      after.subjects.reverse();
      return diffReports({ old: goldenReport(), new: after });
    };
    const d = make();
    expect(JSON.stringify(make())).toBe(JSON.stringify(d));
    const ids = d.images.changed.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toHaveLength(16);
  });

  it("validates against the report schema as a report's changes section", async () => {
    const schema = JSON.parse(await readFile(new URL('../../../src/report/report.schema.json', import.meta.url), 'utf8')) as {
      properties: Record<string, object>;
    };
    const validate = compileSchema(schema);
    const after = nextQuarter();
    finding(after, 'signature.verified:cockpit').status = 'fail';
    const withChanges = {
      ...after,
      changes: diffReports({
        old: goldenReport(),
        new: after,
        oldInventory: inventory([{ image: 'cockpit', name: 'a', version: '1' }]),
        newInventory: inventory([]),
      }),
    };
    expect(validate(withChanges), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
    (withChanges.changes.images as { status: unknown[] }).status.push({ id: 'x', old: 'great', new: 'failed', worse: true });
    expect(validate(withChanges)).toBe(false);
  });
});
