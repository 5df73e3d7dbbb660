import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { bundleOf, completeSbom, envelopeOf, json, jsonLines, sbom, statementOf, tempDir, writeTemp } from './fixtures.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function auditpack(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {} });
  return { code, out, err };
}

const validFile = writeTemp(dir, 'valid.cdx.json', json(completeSbom(3)));
const broken = sbom(2) as Record<string, unknown> & { components: Record<string, unknown>[] };
broken.components[1]!.type = 'spaceship';
const invalidFile = writeTemp(dir, 'invalid.cdx.json', json(broken));
const provenance = envelopeOf(statementOf({ buildType: 'x' }, 'https://slsa.dev/provenance/v1'));
const attestations = writeTemp(dir, 'attestations.jsonl', jsonLines([provenance, envelopeOf(statementOf(completeSbom(2)))]));
const bundle = writeTemp(dir, 'sbom.sigstore.json', json(bundleOf(envelopeOf(statementOf({ Data: JSON.stringify(completeSbom(1)), Timestamp: '' })))));
const spdx = writeTemp(dir, 'spdx.json', json({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT' }));

describe('auditpack sbom validate', () => {
  it('prints one line per file and exits 0 when every SBOM is valid, whatever the wrapping', async () => {
    const r = await auditpack('sbom', 'validate', validFile, attestations, bundle);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      `${validFile}: valid CycloneDX 1.6 (3 top-level components)`,
      `${attestations} (line 2) [dsse-envelope > in-toto-statement]: valid CycloneDX 1.6 (2 top-level components)`,
      `${bundle} [sigstore-bundle > dsse-envelope > in-toto-statement > cosign-data-wrapper]: valid CycloneDX 1.6 (1 top-level components)`,
    ]);
  });

  it('exits 1 and names the problem when one SBOM is invalid', async () => {
    const r = await auditpack('sbom', 'validate', validFile, invalidFile);
    expect(r.code).toBe(1);
    expect(r.out[1]).toMatch(/^.*invalid\.cdx\.json: INVALID CycloneDX 1\.5, 1 problem: \/components\/1\/type: must be equal to one of the allowed values/);
  });

  it('says SPDX is not validated, and exits 1 (never a pass)', async () => {
    const r = await auditpack('sbom', 'validate', spdx);
    expect(r).toMatchObject({ code: 1, out: [`${spdx}: SPDX, not validated (auditpack validates CycloneDX only)`] });
  });

  it('exits 1 for a file without an SBOM or an unreadable one', async () => {
    const onlyProvenance = writeTemp(dir, 'provenance.jsonl', jsonLines([provenance]));
    const truncated = writeTemp(dir, 'truncated.json', json(completeSbom(3)).subarray(0, 100));
    const r = await auditpack('sbom', 'validate', onlyProvenance, truncated);
    expect(r.code).toBe(1);
    expect(r.out[0]).toContain('no SBOM: an attestation of predicate type');
    expect(r.out[1]).toMatch(/UNREADABLE: not JSON: .* \[EVIDENCE_MALFORMED\]$/);
  });

  it('prints one JSON document with --format json, without the SBOM itself', async () => {
    const r = await auditpack('sbom', 'validate', '--format', 'json', '--max-errors', '1', invalidFile, attestations);
    const report = JSON.parse(r.out.join('\n')) as {
      command: string;
      ok: boolean;
      files: { file: string; sha256: string; items: Record<string, unknown>[] }[];
    };
    expect(report).toMatchObject({ command: 'sbom validate', ok: false });
    expect(report.files[0]?.items[0]).toMatchObject({ kind: 'sbom', format: 'cyclonedx', ok: false, validation: { status: 'invalid', issueCount: 1 } });
    expect(report.files[1]?.items.map((i) => i.location)).toEqual(['line 2']);
    expect(report.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.out.join('')).not.toContain('"bomFormat"');
  });

  it('exits 2 for a missing file, before checking anything', async () => {
    const r = await auditpack('sbom', 'validate', validFile, `${dir}/nope.json`);
    expect(r).toMatchObject({ code: 2, out: [] });
    expect(r.err[0]).toMatch(/nope\.json: cannot use this file: ENOENT.*\[EVIDENCE_MISSING\]$/);
  });

  it('exits 2 without files, without an sbom command, or with an unknown option', async () => {
    expect((await auditpack('sbom', 'validate')).code).toBe(2);
    expect((await auditpack('sbom')).code).toBe(2);
    expect((await auditpack('sbom', 'validate', '--frobnicate', validFile)).code).toBe(2);
  });
});

describe('auditpack sbom score', () => {
  it('prints the grade and exits 0 without a threshold', async () => {
    const r = await auditpack('sbom', 'score', validFile, invalidFile);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(`${validFile}: grade A (100: CISA 2025 100 %, BSI TR-03183-2 v2.1.0 100 %; NTIA 2021 100 % for reference), 3 components`);
    // Each weak field names the requirement it belongs to.
    expect(r.out[1]).toMatch(
      /grade [C-F] \(.*\), 2 components; weakest: .+ \d+(\.\d)? % \((BSI TR-03183-2 v2\.1\.0|CISA 2025 minimum elements \(draft\), data field) [^)]*\)/,
    );
  });

  it('exits 1 when an SBOM grades below --min-grade', async () => {
    const r = await auditpack('sbom', 'score', '--min-grade', 'B', validFile, invalidFile);
    expect(r.code).toBe(1);
    expect(r.out[1]).toMatch(/; below --min-grade B$/);
    expect((await auditpack('sbom', 'score', '--min-grade', 'A', validFile)).code).toBe(0);
  });

  it('does not score SPDX, and says why', async () => {
    const r = await auditpack('sbom', 'score', spdx);
    expect(r).toMatchObject({ code: 1, out: [`${spdx}: NOT SCORED: SPDX, not scored (auditpack scores CycloneDX only)`] });
  });

  it('rejects a grade that does not exist (exit 2)', async () => {
    expect((await auditpack('sbom', 'score', '--min-grade', 'Z', validFile)).code).toBe(2);
  });

  it('gives every field in --format json', async () => {
    const r = await auditpack('sbom', 'score', '--format', 'json', validFile);
    const report = JSON.parse(r.out.join('')) as { files: { items: { score: { fields: { requirement: string }[]; grade: string } }[] }[] };
    const fields = report.files[0]?.items[0]?.score.fields ?? [];
    expect(fields).toHaveLength(36);
    for (const f of fields) expect(f.requirement).not.toBe('');
  });
});

describe('--help', () => {
  it('documents every option of both commands', async () => {
    for (const command of ['validate', 'score']) {
      const help: string[] = [];
      const spy = (l: unknown) => help.push(String(l));
      const original = console.log;
      console.log = spy;
      try {
        await auditpack('sbom', command, '--help');
      } finally {
        console.log = original;
      }
      const text = help.join('\n');
      for (const option of ['--format', '--max-size', command === 'validate' ? '--max-errors' : '--min-grade'])
        expect(text, `${command} ${option}`).toContain(option);
    }
  });
});
