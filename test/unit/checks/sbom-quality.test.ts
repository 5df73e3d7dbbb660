import { describe, expect, it } from 'vitest';
import { sbomQuality } from '../../../src/checks/sbom-quality.js';
import { KEY_ONLY, IMAGE, context, envelope, evidenceFrom, jsonLines, makeKeyPair, sbom, statement, trustedKey } from '../../helpers/estate.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const run = async (predicate: unknown) =>
  sbomQuality.run(
    context({
      items: [evidenceFrom('attestation.jsonl', jsonLines([envelope(signer, statement(IMAGE.digest.slice(7), predicate))]))],
      trust,
      verification: KEY_ONLY,
    }),
  );

describe('sbom.quality', () => {
  it('passes when every component has a licence and a purl', async () => {
    expect(await run(sbom(10))).toMatchObject({ status: 'pass' });
  });

  it('fails and says which fields are lacking when licences and purls are missing', async () => {
    const outcome = await run(sbom(10, { licences: false, purls: false }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'SBOM_LOW_QUALITY' });
    expect(outcome.message).toMatch(/^SBOM lacks licences and purls/);
    expect(outcome.message).toContain('10 of 10 components lack a licence');
  });

  it('fails when only purls are missing, naming only purls', async () => {
    const outcome = await run(sbom(4, { purls: false }));
    expect(outcome.message).toMatch(/^SBOM lacks purls:/);
  });

  it('counts nested components', async () => {
    const doc = sbom(1);
    (doc.components as Record<string, unknown>[])[0]!.components = [{ type: 'library', name: 'inner', version: '1' }];
    const outcome = await run(doc);
    expect(outcome.details?.components).toBe('2');
    expect(outcome).toMatchObject({ status: 'fail', code: 'SBOM_LOW_QUALITY' });
  });

  it('fails (SBOM_LOW_QUALITY) an SBOM without components', async () => {
    expect(await run(sbom(0))).toMatchObject({ status: 'fail', code: 'SBOM_LOW_QUALITY', message: expect.stringContaining('no components') });
  });

  it('fails with EVIDENCE_MISSING without an attested SBOM', async () => {
    expect(await sbomQuality.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
