import { describe, expect, it } from 'vitest';
import { sbomValid } from '../../../src/checks/sbom-valid.js';
import { KEY_ONLY, IMAGE, context, envelope, evidenceFrom, jsonLines, makeKeyPair, sbom, statement, trustedKey } from '../../helpers/estate.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const hex = IMAGE.digest.slice(7);
const run = async (predicate: unknown, key = signer) =>
  sbomValid.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines([envelope(key, statement(hex, predicate))]))], trust, verification: KEY_ONLY }));

describe('sbom.valid', () => {
  it('passes a valid CycloneDX 1.5 SBOM', async () => {
    expect(await run(sbom(5))).toMatchObject({ status: 'pass', details: { 'spec version': '1.5', components: '5' } });
  });

  it("accepts cosign 1.x's {Data, Timestamp} wrapper around the SBOM", async () => {
    expect((await run({ Data: JSON.stringify(sbom(2)), Timestamp: '' })).status).toBe('pass');
  });

  it('fails an SBOM that breaks the schema, naming the JSON path', async () => {
    const doc = sbom(2);
    (doc.components as Record<string, unknown>[])[1]!.type = 'spaceship';
    const outcome = await run(doc);
    expect(outcome).toMatchObject({ status: 'fail', code: 'SBOM_INVALID' });
    expect(outcome.message).toContain('/components/1/type');
  });

  it('fails an SBOM that breaks a rule the schema cannot express (duplicate bom-ref)', async () => {
    const doc = sbom(3);
    (doc.components as Record<string, unknown>[])[2]!['bom-ref'] = 'c0';
    const outcome = await run(doc);
    expect(outcome).toMatchObject({ status: 'fail', code: 'SBOM_INVALID' });
    expect(outcome.message).toContain("/components/2/bom-ref: bom-ref 'c0' is already used at /components/0");
  });

  it('fails an SBOM whose dependency graph names an unknown component', async () => {
    const outcome = await run({ ...sbom(2), dependencies: [{ ref: 'c0', dependsOn: ['c1', 'ghost'] }] });
    expect(outcome).toMatchObject({ status: 'fail', code: 'SBOM_INVALID' });
    expect(outcome.message).toContain("/dependencies/0/dependsOn/1: 'ghost' is not the bom-ref of anything in this SBOM");
  });

  it('cannot validate an SBOM nested too deeply for the schema validator (error, never valid)', async () => {
    let inner: Record<string, unknown> = { type: 'library', name: 'leaf', version: '1' };
    for (let i = 0; i < 1_500; i += 1) inner = { type: 'library', name: `c${i}`, version: '1', components: [inner] };
    expect(await run({ ...sbom(0), components: [inner] })).toMatchObject({
      status: 'error',
      code: 'SBOM_INVALID',
      message: expect.stringContaining('nested too deeply') as string,
    });
  });

  it('fails a document whose bomFormat is not CycloneDX', async () => {
    expect(await run({ ...sbom(1), bomFormat: 'SPDX' })).toMatchObject({ status: 'fail', code: 'SBOM_INVALID' });
  });

  it('cannot validate an unsupported spec version (error, never valid)', async () => {
    expect(await run({ ...sbom(1), specVersion: '1.1' })).toMatchObject({ status: 'error', code: 'SBOM_INVALID' });
  });

  it('ignores SBOMs in attestations that do not verify', async () => {
    expect(await run(sbom(1), makeKeyPair())).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });

  it('fails with EVIDENCE_MISSING when there is no attestation', async () => {
    expect(await sbomValid.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
