/**
 * Attacks on the signed evidence of a copy of the sample estate, by someone
 * who can write the evidence folders but holds no key: copy files between
 * images, add or break files. A signature or attestation counts for an image
 * only when it verifies and binds that image's digest; each attack must leave
 * the report no better, and the file that does not count is named.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dsseBundle, rekorBundleOf } from '../helpers/bundles.js';
import { signatureLine } from '../helpers/estate.js';
import { attestationLayer, cosignImageManifest } from '../helpers/oci-layout.js';
import { estateCopies, demoKeys, expectNoBetter, finding, goldenRun } from '../helpers/sample-estate.js';
import { GOLDEN_CLOCK, ROOT, auditpack } from './cli.js';

const estate = estateCopies();

// After the period (and the golden clock): flagged, whatever else is in the folder.
const AUGUST = Date.parse('2026-08-10T10:00:00Z') / 1000;

describe('evidence copied from another image never counts for this one', () => {
  it("a signature copied into notebook-full's folder (which has none) does not make it signed", async () => {
    const copy = await estate();
    await copy.copy('evidence/cockpit/signature.jsonl', 'evidence/notebook-full/signature.jsonl');
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    expect(finding(attacked, 'signature.verified:notebook-full')).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(finding(attacked, 'evidence.bound:notebook-full')).toMatchObject({
      status: 'fail',
      code: 'DIGEST_MISMATCH',
      message: expect.stringContaining('evidence/notebook-full/signature.jsonl: it verifies, but its payload names sha256:d62481acfcba'),
    });
  });

  it("an attestation copied first into docs' folder neither lends docs its SBOM nor turns a two-image estate from FAIL to PASS", async () => {
    const twoImages = async () => {
      const copy = await estate();
      await copy.editConfig((text) => {
        const config = parse(text) as { images: { name: string }[] };
        config.images = config.images.filter((i) => i.name === 'cockpit' || i.name === 'docs');
        return stringify(config);
      });
      return copy;
    };
    const setupCopy = await twoImages();
    const setup = setupCopy.run();
    expect(
      setup.report?.subjects.map((s) => s.id),
      setup.stderr,
    ).toEqual(['cockpit', 'docs']);
    expect(setup.status).toBe(1);
    const copy = await twoImages();
    await copy.copy('evidence/cockpit/attestation.jsonl', 'evidence/docs/0-attestation.jsonl');
    await copy.copy('evidence/cockpit/attestation-manifest.json', 'evidence/docs/0-attestation-manifest.json');
    const attacked = copy.run();
    expectNoBetter(attacked, setup);
    expect(attacked.status).toBe(1);
    expect(finding(attacked, 'sbom.quality:docs')).toMatchObject({ status: 'fail', code: 'SBOM_LOW_QUALITY', details: { components: '412' } });
    expect(finding(attacked, 'evidence.bound:docs')).toMatchObject({
      status: 'fail',
      code: 'DIGEST_MISMATCH',
      message: expect.stringContaining('evidence/docs/0-attestation.jsonl'),
    });
    expect(attacked.report?.sboms.entries.find((e) => e.subject === 'docs')).toMatchObject({ components: 412 });
  });

  it("a replayed in-period signature does not hide cockpit's own signing time after the period", async () => {
    const keys = await demoKeys();
    const withAugustSignature = async () => {
      const copy = await estate();
      const [own] = (await copy.read('evidence/cockpit/signature.jsonl'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { Payload: string });
      const payload = Buffer.from(own?.Payload ?? '', 'base64');
      await copy.write('evidence/cockpit/signature.jsonl', `${JSON.stringify(signatureLine(keys.cosign, payload, keys.rekor, AUGUST))}\n`);
      return copy;
    };
    const setup = (await withAugustSignature()).run();
    expect(finding(setup, 'evidence.in-period:cockpit')).toMatchObject({ status: 'fail', code: 'EVIDENCE_OUT_OF_PERIOD' });
    const copy = await withAugustSignature();
    await copy.copy('evidence/ai-service/signature.jsonl', 'evidence/cockpit/0-signature.jsonl');
    const attacked = copy.run();
    expectNoBetter(attacked, setup);
    expect(finding(attacked, 'evidence.in-period:cockpit')).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_OUT_OF_PERIOD',
      message: expect.stringContaining('signing time (transparency log) 2026-08-10T10:00:00.000Z'),
    });
  });
});

describe('evidence that does not verify is named, never silently ignored', () => {
  it("an invalid DSSE file in cockpit's folder is a finding of its own", async () => {
    const copy = await estate();
    const [line] = (await copy.read('evidence/ai-service/attestation.jsonl')).trim().split('\n');
    const envelope = JSON.parse(line ?? '{}') as { signatures: { sig: string }[] };
    envelope.signatures[0]!.sig = Buffer.from('not the signature of this envelope, but base64').toString('base64');
    await copy.write('evidence/cockpit/extra-attestation.jsonl', `${JSON.stringify(envelope)}\n`);
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    // A downloaded envelope has no log entry, so it is refused for want of a verified time before its signature is read.
    expect(finding(attacked, 'evidence.bound:cockpit')).toMatchObject({
      status: 'fail',
      code: 'SIGNING_TIME_UNVERIFIED',
      message: expect.stringContaining('evidence/cockpit/extra-attestation.jsonl'),
    });
  });

  it('a .sig manifest and payload blob are verified as a signature: a replaced signature annotation fails (TLOG_INVALID: the log entry names the original)', async () => {
    const copy = await estate();
    const manifest = JSON.parse(await copy.read('evidence/trino/signature-manifest.json')) as { layers: { annotations: Record<string, string> }[] };
    const forged = JSON.parse((await copy.read('evidence/cockpit/signature.jsonl')).trim()) as { Base64Signature: string };
    manifest.layers[0]!.annotations['dev.cosignproject.cosign/signature'] = forged.Base64Signature;
    await copy.write('evidence/trino/signature-manifest.json', JSON.stringify(manifest));
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    expect(finding(attacked, 'signature.verified:trino')).toMatchObject({
      status: 'fail',
      code: 'TLOG_INVALID',
      message: expect.stringContaining('evidence/trino/signature-manifest.json layer 1: signature mismatch'),
    });
    expect(finding(attacked, 'evidence.bound:trino')).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
  });
});

describe('a statement with several subjects', () => {
  it('binds each image it names, and the report shows every subject', async () => {
    const keys = await demoKeys();
    const copy = await estate();
    const [line] = (await copy.read('evidence/cockpit/attestation.jsonl')).trim().split('\n');
    const statement = JSON.parse(Buffer.from((JSON.parse(line ?? '{}') as { payload: string }).payload, 'base64').toString('utf8')) as {
      subject: { name: string; digest: { sha256: string } }[];
    };
    const other = { name: 'harbor.akko-ai.com/akko/ai-service', digest: { sha256: 'd3ab8f5ba0b45483ee4e1624f09c86882064960c1a970aa25d21a839347eda60' } };
    statement.subject.push(other);
    const bundle = dsseBundle(Buffer.from(JSON.stringify(statement)), { signer: keys.cosign, rekor: keys.rekor, version: '0.1' });
    const envelope = Buffer.from(JSON.stringify(bundle.dsseEnvelope));
    await copy.write('evidence/cockpit/attestation.jsonl', `${envelope.toString()}\n`);
    await copy.write(
      'evidence/cockpit/attestation-manifest.json',
      cosignImageManifest('attestations', [
        { ...attestationLayer(bundle.dsseEnvelope, 'https://cyclonedx.org/bom', { Bundle: rekorBundleOf(bundle) }), content: envelope },
      ]),
    );
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    const f = finding(attacked, 'attestation.binds-digest:cockpit');
    expect(f).toMatchObject({ status: 'pass', message: expect.stringContaining(`(the statement also names 1 other subject: sha256:${other.digest.sha256})`) });
    expect(f?.details['statement subjects']).toContain(`harbor.akko-ai.com/akko/ai-service@sha256:${other.digest.sha256}`);
  });
});

describe("the evidence's text reaches the operator's terminal only as text", () => {
  // Conceal (SGR 8) the lines after it, retitle the window, and write the clipboard (OSC 52).
  const sequences = '\u001b[8m\u001b]0;auditpack: PASS\u0007\u001b]52;c;cm0gLXJmIH4=\u0007';

  it('a file named with escape sequences in an image folder is reported by name, its controls written as \\uXXXX', async () => {
    const copy = await estate();
    await copy.write(`evidence/cockpit/x${sequences}.json`, 'not json');
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    expect(attacked.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(attacked.stderr).toContain('evidence/cockpit/x\\u001b[8m\\u001b]0;auditpack: PASS\\u0007\\u001b]52;c;cm0gLXJmIH4=\\u0007.json');
    expect(attacked.report?.problems.map((p) => p.file)).toContain(`evidence/cockpit/x${sequences}.json`);
  });

  it('a file with a bidi override and a C1 control added to a sealed bundle: verify --format json names it exactly, as valid JSON', async () => {
    const copy = await estate();
    const out = copy.path('..', 'sealed');
    expect(auditpack('report', '--config', copy.path('auditpack.yaml'), '--out', out, '--clock', GOLDEN_CLOCK, '--output', 'json').status).toBe(1);
    const name = 'report\u202efdp.\u009b2Jjson';
    await writeFile(join(out, name), 'planted');
    const r = auditpack('verify', out, '--key', `${ROOT}samples/akko/keys/report-signing.pub`, '--format', 'json');
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    const verdict = JSON.parse(r.stdout) as { problems: { file: string }[] };
    expect(verdict.problems.map((p) => p.file)).toContain(name);
  });
});
