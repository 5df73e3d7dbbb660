/**
 * Attacks on the signed provenance of a copy of the sample estate (four of
 * its images attest SLSA v1 provenance): provenance copied to another image,
 * provenance signed with a key the auditor does not trust, a builder the
 * configuration does not expect. Each leaves the report no better, and the
 * custody chain of the attacked image never rests on the foreign provenance.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { envelope, makeKeyPair } from '../helpers/estate.js';
import { estateCopies, expectNoBetter, finding, goldenRun, type EstateRun } from '../helpers/sample-estate.js';

const estate = estateCopies();
const custodyOf = (run: EstateRun, image: string) => run.report?.subjects.find((s) => s.id === image)?.custody;

describe('signed provenance in the sample estate', () => {
  it("is the custody evidence of cockpit, and the unsigned CI export is mlflow's", async () => {
    const golden = await goldenRun();
    expect(finding(golden, 'provenance.verified:cockpit')).toMatchObject({ status: 'pass', details: { 'builder id': 'https://ci.akko-ai.com/woodpecker' } });
    expect(custodyOf(golden, 'cockpit')).toMatchObject({ basis: 'signed-provenance' });
    expect(finding(golden, 'provenance.verified:mlflow')).toMatchObject({ status: 'not-applicable', code: 'EVIDENCE_MISSING' });
    expect(custodyOf(golden, 'mlflow')?.links.map((l) => [l.step, l.status, l.signed])).toEqual([
      ['commit', 'claimed', false],
      ['build', 'claimed', false],
      ['push', 'claimed', false],
      ['sign', 'verified', true],
      ['attest', 'verified', true],
      ['gate', 'verified', false],
    ]);
  });

  it("copied into mlflow's folder, cockpit's provenance does not count for mlflow (DIGEST_MISMATCH), nor becomes its custody", async () => {
    const copy = await estate();
    await copy.copy('evidence/cockpit/attestation.jsonl', 'evidence/mlflow/0-attestation.jsonl');
    await copy.copy('evidence/cockpit/attestation-manifest.json', 'evidence/mlflow/0-attestation-manifest.json');
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    expect(finding(attacked, 'provenance.verified:mlflow')).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(finding(attacked, 'evidence.bound:mlflow')).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(custodyOf(attacked, 'mlflow')).toMatchObject({ basis: 'unsigned-ci-export' });
  });

  it('provenance for mlflow signed with a key the auditor does not trust does not count (SIGNATURE_INVALID)', async () => {
    const copy = await estate();
    const report = (await goldenRun()).report;
    const digest = report?.subjects.find((s) => s.id === 'mlflow')?.digest.slice('sha256:'.length) ?? '';
    const cockpitLine = (await copy.read('evidence/cockpit/attestation.jsonl')).trim().split('\n')[1] ?? '';
    const statement = JSON.parse(Buffer.from((JSON.parse(cockpitLine) as { payload: string }).payload, 'base64').toString('utf8')) as Record<string, any>;
    statement.subject[0].digest.sha256 = digest;
    const forged = envelope(makeKeyPair(), Buffer.from(JSON.stringify(statement)));
    await copy.write('evidence/mlflow/provenance.jsonl', `${JSON.stringify(forged)}\n`);
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    expect(finding(attacked, 'provenance.verified:mlflow')?.status).toBe('fail');
    expect(finding(attacked, 'provenance.verified:mlflow')?.code).toMatch(/^(SIGNATURE_INVALID|SIGNING_TIME_UNVERIFIED)$/);
    expect(custodyOf(attacked, 'mlflow')).toMatchObject({ basis: 'unsigned-ci-export' });
  });

  it('a builder the configuration does not expect fails every image with provenance (PROVENANCE_MISMATCH), and requiring provenance fails the rest', async () => {
    const copy = await estate();
    await copy.editConfig((text) => {
      const config = parse(text) as { provenance: { builders: string[]; required: boolean } };
      config.provenance.builders = ['https://github.com/actions/runner/github-hosted'];
      config.provenance.required = true;
      return stringify(config);
    });
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    expect(finding(attacked, 'provenance.verified:cockpit')).toMatchObject({ status: 'fail', code: 'PROVENANCE_MISMATCH' });
    expect(finding(attacked, 'provenance.verified:mlflow')).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(custodyOf(attacked, 'cockpit')).toMatchObject({ basis: 'unsigned-ci-export' });
    expect(attacked.report?.summary.subjects.verified).toBe(0);
  });
});
