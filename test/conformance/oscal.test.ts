import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import type { Report } from '../../src/report/model.js';
import { renderOscal } from '../../src/render/oscal.js';
import { uuidV5 } from '../../src/render/oscal/uuid.js';
import { makeReport } from '../fixtures/report.js';
import { populationReport } from '../fixtures/report-population.js';

/*
 * The OSCAL export is checked against NIST's own JSON Schema for the
 * assessment-results model, version 1.0.6 (../shared/testdata/external/oscal,
 * see its SOURCES.md). The schema is read from there, never copied.
 */
const SCHEMA_FILE = new URL('../../../shared/testdata/external/oscal/oscal_assessment-results_schema.json', import.meta.url);
if (!existsSync(SCHEMA_FILE)) throw new Error(`NIST's OSCAL schema is missing: ${SCHEMA_FILE.pathname} (the shared test data folder)`);
const validate = compileSchema(JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as object);
const golden = JSON.parse(await readFile(new URL('../../samples/akko/golden/report.json', import.meta.url), 'utf8')) as Report;

type Json = Record<string, any>;
const oscal = (report: Report): Json => JSON.parse(renderOscal(report).toString('utf8'))['assessment-results'];
const valid = (report: Report) => {
  const ok = validate(JSON.parse(renderOscal(report).toString('utf8')));
  return { ok, errors: formatSchemaErrors(validate.errors).slice(0, 20).join('\n') };
};

describe('OSCAL assessment-results export', () => {
  it('validates against NIST OSCAL 1.0.6 for the golden sample report and the test fixture', () => {
    for (const report of [golden, makeReport()]) {
      const { ok, errors } = valid(report);
      expect(ok, errors).toBe(true);
    }
  });

  it('still validates with nothing in the report, hostile text and ids that are not XML names', () => {
    const empty = makeReport();
    Object.assign(empty, { subjects: [], findings: [], frameworks: [], evidence: [], problems: [], manualEvidence: [] });
    expect(valid(empty).ok, valid(empty).errors).toBe(true);
    const hostile = makeReport();
    hostile.findings[0]!.message = '  \n';
    // The type is closed, but a report read from disk may carry anything: the export must still validate.
    (hostile.findings[0] as { code?: string }).code = ' SIGNATURE_INVALID\n';
    hostile.frameworks[0]!.controls[0]!.id = '9.4/e x';
    hostile.run.organisation = ' \t';
    hostile.evidence[0]!.path = 'evidence/mon dossier/%zz/été #1?.json';
    expect(valid(hostile).ok, valid(hostile).errors).toBe(true);
    const resource = oscal(hostile)['back-matter'].resources.find((r: Json) => r.title === hostile.evidence[0]!.path);
    expect(resource.rlinks[0].href).toBe('evidence/mon%20dossier/%25zz/%C3%A9t%C3%A9%20%231%3F.json');
  });

  it('declares OSCAL 1.0.6 and is the same bytes for the same report', () => {
    expect(oscal(golden).metadata['oscal-version']).toBe('1.0.6');
    expect(renderOscal(golden).equals(renderOscal(structuredClone(golden)))).toBe(true);
  });

  it('derives UUIDs from content (RFC 4122 v5): a different clock gives a new document UUID, the same images keep theirs', () => {
    const later = structuredClone(golden);
    later.run.generatedAt = '2026-07-02T08:00:00.000Z';
    const [a, b] = [oscal(golden), oscal(later)];
    expect(a.uuid).not.toBe(b.uuid);
    expect(a.results[0]['local-definitions'].components.map((c: Json) => c.uuid)).toEqual(
      b.results[0]['local-definitions'].components.map((c: Json) => c.uuid),
    );
    expect(a.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('computes version-5 UUIDs exactly as RFC 4122 does (Python uuid5 vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('has one observation per check result, each pointing at its evidence with SHA-256 in the back-matter', () => {
    const doc = oscal(golden);
    const result = doc.results[0];
    const checks = result.observations.filter((o: Json) => o.props.some((p: Json) => p.name === 'check-id'));
    expect(checks).toHaveLength(golden.findings.length);
    const resources = new Map(doc['back-matter'].resources.map((r: Json) => [`#${r.uuid}`, r]));
    const failing = checks.find((o: Json) => o.title.endsWith('mcp-openmetadata') && o.props.some((p: Json) => p.value === 'DIGEST_MISMATCH'));
    expect(failing).toBeDefined();
    for (const e of failing['relevant-evidence']) {
      const r = resources.get(e.href) as Json;
      expect(r.rlinks[0].hashes[0]).toMatchObject({ algorithm: 'SHA-256' });
      expect(
        golden.evidence.some((g) => g.sha256 === r.rlinks[0].hashes[0].value && g.path === r.rlinks[0].href.split('/').map(decodeURIComponent).join('/')),
      ).toBe(true);
    }
  });

  it('never marks a control satisfied unless it is supported; a partial, unassessed or not-applicable control is not-satisfied', () => {
    // The golden sample has no supported control (its full mappings are capped
    // or fail), so a fixture with one supported control is checked beside it.
    const withSupported = makeReport();
    const supported = { ...withSupported.frameworks[0]!.controls[0]!, id: 'dora-9-3', status: 'supported' as const, strength: 'full' as const };
    withSupported.frameworks[0]!.controls.push(supported);
    for (const report of [golden, withSupported]) {
      const findings = oscal(report).results[0].findings as Json[];
      expect(findings).toHaveLength(report.frameworks.reduce((n, f) => n + f.controls.length, 0));
      for (const f of findings) {
        const status = f.props.find((p: Json) => p.name === 'control-status').value;
        expect(f.target.status.state === 'satisfied', `${f.title}: ${status}`).toBe(status === 'supported');
      }
      const unassessed = findings.find((f) => f.props.some((p: Json) => p.value === 'not-assessed'));
      expect(unassessed?.target.status).toEqual({ state: 'not-satisfied', reason: 'other' });
    }
    const findings = oscal(withSupported).results[0].findings as Json[];
    expect(findings.filter((f) => f.target.status.state === 'satisfied')).toHaveLength(1);
  });

  it('links each control finding to the observations behind it, and every link resolves', () => {
    const result = oscal(golden).results[0];
    const observationIds = new Set(result.observations.map((o: Json) => o.uuid));
    const links = result.findings.flatMap((f: Json) => (f['related-observations'] ?? []).map((r: Json) => r['observation-uuid']));
    expect(links.length).toBeGreaterThan(0);
    for (const id of links) expect(observationIds.has(id)).toBe(true);
    const subjects = new Set(result['local-definitions'].components.map((c: Json) => c.uuid));
    for (const o of result.observations) for (const s of o.subjects ?? []) expect(subjects.has(s['subject-uuid'])).toBe(true);
  });

  it('records manual statements as examined, not verified', () => {
    const manual = oscal(golden).results[0].observations.find((o: Json) => o.methods.includes('EXAMINE'));
    expect(manual.title).toContain('not verified');
    expect(manual.props).toContainEqual(expect.objectContaining({ name: 'verified', value: 'false' }));
  });

  it('states what runs (with a population export): one observation per digest running, the unknown containers and the images not running, valid against the schema', async () => {
    const report = await populationReport();
    const { ok, errors } = valid(report);
    expect(ok, errors).toBe(true);
    const result = oscal(report).results[0];
    const running = result.observations.filter((o: Json) => o.title.startsWith('Population: '));
    const status = (o: Json) => o.props.find((p: Json) => p.name === 'population-status').value;
    expect(running.map((o: Json) => [o.title, status(o)])).toEqual([
      ['Population: cockpit runs (covered)', 'covered'],
      ['Population: coredns-cccccccccccc runs (uncovered)', 'uncovered'],
      ['Population: notebook-eeeeeeeeeeee runs (digest-differs)', 'digest-differs'],
      ['Population: containers without a registry digest', 'digest-unknown'],
      ['Population: configured images not found running', 'configured-not-running'],
    ]);
    expect(running[0].description).toContain('runs in 8 container(s): prod/cockpit-0 web;');
    expect(running[2].description).toContain(`the configuration names notebook at sha256:${'b'.repeat(64)}`);
    const resources = new Set(oscal(report)['back-matter'].resources.map((r: Json) => `#${r.uuid}`));
    for (const o of running) {
      expect(o.remarks).toContain('unsigned operator evidence');
      expect(o['relevant-evidence'].length).toBe(2);
      for (const e of o['relevant-evidence']) expect(resources.has(e.href)).toBe(true);
    }
    expect(oscal(golden).results[0].observations.some((o: Json) => o.title.startsWith('Population: '))).toBe(false);
  });
});
