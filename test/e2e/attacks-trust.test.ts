/**
 * Attacks on time and trust material, on a copy of the sample estate: key
 * validity windows hold only against a verified signing time, and a file
 * that is not a Sigstore trusted root is refused before anything is written.
 */
import { describe, expect, it } from 'vitest';
import { type EstateCopy, estateCopies, expectNoBetter, finding } from '../helpers/sample-estate.js';

const estate = estateCopies();

async function withoutLogEntry(copy: EstateCopy, image: string): Promise<void> {
  const line = JSON.parse((await copy.read('evidence', image, 'signature.jsonl')).trim()) as Record<string, unknown>;
  await copy.write(`evidence/${image}/signature.jsonl`, `${JSON.stringify({ ...line, Bundle: null })}\n`);
}

describe('key validity windows always hold', () => {
  it("deleting the log entry of a rotated-out key's signature (its Bundle field) or attestation (its .att manifest) does not turn a failure into a pass", async () => {
    const rotated = async () => {
      const copy = await estate();
      await copy.editConfig((yaml) =>
        yaml.replace('validFrom: "2026-01-01T00:00:00Z"', 'validFrom: "2025-01-01T00:00:00Z"\n      validUntil: "2026-03-01T00:00:00Z"'),
      );
      return copy;
    };
    const setup = (await rotated()).run();
    expect(finding(setup, 'signature.verified:cockpit')).toMatchObject({ status: 'fail', code: 'SIGNATURE_UNTRUSTED_KEY' });
    expect(finding(setup, 'attestation.verified:cockpit')).toMatchObject({ status: 'fail', code: 'SIGNATURE_UNTRUSTED_KEY' });
    const copy = await rotated();
    await withoutLogEntry(copy, 'cockpit');
    await copy.remove('evidence/cockpit/attestation-manifest.json');
    const attacked = copy.run();
    expectNoBetter(attacked, setup);
    expect(finding(attacked, 'signature.verified:cockpit')).toMatchObject({ status: 'fail', code: 'SIGNING_TIME_UNVERIFIED' });
    expect(finding(attacked, 'attestation.verified:cockpit')).toMatchObject({ status: 'fail', code: 'SIGNING_TIME_UNVERIFIED' });
  });

  it('with trust.requireTransparencyLog: false and no key window, a key-only signature counts, and the report says no independent time exists', async () => {
    const copy = await estate();
    await copy.editConfig((yaml) =>
      yaml.replace('      validFrom: "2026-01-01T00:00:00Z"\n', '').replace('trust:\n', 'trust:\n  requireTransparencyLog: false\n'),
    );
    await withoutLogEntry(copy, 'cockpit');
    const run = copy.run();
    expect(finding(run, 'signature.verified:cockpit')).toMatchObject({
      status: 'pass',
      details: { 'signing time': expect.stringMatching(/no independent time exists/) },
    });
    expect(run.report?.trust.requireSignedTime).toBe(false);
  });
});

describe('trust material that is not a Sigstore trusted root is refused (exit 2, TRUST_INVALID)', () => {
  it.each([
    ['an empty object', '{}'],
    ["another JSON document (an image's cosign verify output)", 'evidence/cockpit/cosign-verify.json'],
  ])('%s as the trusted root', async (_what, content) => {
    const copy = await estate();
    await copy.write('keys/DEMO-ONLY-trusted_root.json', content.startsWith('evidence/') ? await copy.read(content) : content);
    const run = copy.run();
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^auditpack: keys\/DEMO-ONLY-trusted_root\.json: not a Sigstore trusted root \(dev\.sigstore\.trustedroot\): .*\[TRUST_INVALID\]$/,
    );
    expect(run.report).toBeUndefined();
  });
});
