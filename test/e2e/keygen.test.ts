import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCopy } from '../helpers/sample-copy.js';
import { GOLDEN_CLOCK, ROOT } from './cli.js';

let work: string;
let config: string;

/** The CLI run from `cwd` with `env` added to a clean environment. */
function run(cwd: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-keygen-'));
  await mkdir(join(work, 'ops'));
  config = await sampleCopy(join(work, 'estate'), (c) => {
    delete c.seal.key;
  });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('auditpack keygen', () => {
  it('makes an Ed25519 pair, private key 0600, prints the fingerprint, and never overwrites', async () => {
    const ops = join(work, 'ops');
    const r = run(ops, {}, 'keygen');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote auditpack-seal\.key: private key, PEM, NOT encrypted/);
    expect(r.stdout).toMatch(/Ed25519, fingerprint \(SHA-256 of the public key\) [0-9a-f]{64}/);
    expect(r.stderr).toContain('NOT encrypted');
    expect((await stat(join(ops, 'auditpack-seal.key'))).mode & 0o777).toBe(0o600);
    const before = await readFile(join(ops, 'auditpack-seal.key'));
    const again = run(ops, {}, 'keygen');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect((await readFile(join(ops, 'auditpack-seal.key'))).equals(before)).toBe(true);
  }, 120_000);

  it('seals with --seal-key relative to the working directory, and the printed fingerprint pins the bundle', () => {
    const ops = join(work, 'ops');
    const made = run(ops, { AUDITPACK_KEY_PASSPHRASE: 'correct horse' }, 'keygen', '--output-key-prefix', 'enc', '--algorithm', 'ecdsa-p256');
    expect(made.status, made.stderr).toBe(0);
    const fingerprint = /fingerprint \(SHA-256 of the public key\) ([0-9a-f]{64})/.exec(made.stdout)?.[1] ?? '';
    const out = join(work, 'sealed');
    const noPass = run(ops, {}, 'report', '--config', config, '--out', out, '--clock', GOLDEN_CLOCK, '--seal-key', 'enc.key');
    expect(noPass.status).toBe(2);
    expect(noPass.stderr).toMatch(/enc\.key: the key is encrypted: set AUDITPACK_KEY_PASSPHRASE .*\[SEAL_KEY_INVALID\]/);
    const sealed = run(
      ops,
      { AUDITPACK_KEY_PASSPHRASE: 'correct horse' },
      'report',
      '--config',
      config,
      '--out',
      out,
      '--clock',
      GOLDEN_CLOCK,
      '--seal-key',
      'enc.key',
    );
    expect(sealed.status, sealed.stderr).toBe(0);
    expect(sealed.stdout).toContain(`seal    key SHA-256 ${fingerprint} (ECDSA P-256)`);
    expect(run(ops, {}, 'verify', out, '--key-fingerprint', fingerprint).status).toBe(0);
    expect(run(ops, {}, 'verify', out, '--key', 'enc.pub').status).toBe(0);
  }, 120_000);

  it('writes and seals with cosign.key (COSIGN_PASSWORD), and refuses a public key as the seal key', async () => {
    const ops = join(work, 'ops');
    expect(run(ops, {}, 'keygen', '--format', 'cosign').stderr).toContain('COSIGN_PASSWORD');
    const made = run(ops, { COSIGN_PASSWORD: 'pw' }, 'keygen', '--format', 'cosign');
    expect(made.status, made.stderr).toBe(0);
    expect(await readFile(join(ops, 'cosign.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    const out = join(work, 'cosign-sealed');
    const sealed = run(ops, { COSIGN_PASSWORD: 'pw' }, 'report', '--config', config, '--out', out, '--clock', GOLDEN_CLOCK, '--seal-key', 'cosign.key');
    expect(sealed.status, sealed.stderr).toBe(0);
    expect(run(ops, {}, 'verify', out, '--key', 'cosign.pub').status).toBe(0);
    const wrongKind = run(ops, {}, 'report', '--config', config, '--out', join(work, 'x'), '--clock', GOLDEN_CLOCK, '--seal-key', 'cosign.pub');
    expect(wrongKind.status).toBe(2);
    expect(wrongKind.stderr).toContain('this is a public key: sealing needs the private key');
  }, 120_000);
});

describe('auditpack keygen --certificate', () => {
  it('makes an RSA key (0600) and a self-signed certificate that sign report.pdf, and never overwrites', async () => {
    const ops = join(work, 'ops');
    const made = run(
      ops,
      {},
      'keygen',
      '--certificate',
      '--output-key-prefix',
      'pdf',
      '--cn',
      'Example Bank compliance reports',
      '--org',
      'Example Bank',
      '--country',
      'FR',
      '--days',
      '30',
    );
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('wrote pdf.key: PDF signing key, RSA-3072');
    expect(made.stdout).toContain('wrote pdf.crt: self-signed certificate');
    expect(made.stderr).toContain('pdf.key is NOT encrypted');
    expect((await stat(join(ops, 'pdf.key'))).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(await readFile(join(ops, 'pdf.crt')));
    expect(cert.subject).toBe('C=FR\nO=Example Bank\nCN=Example Bank compliance reports');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.checkPrivateKey(createPrivateKey(await readFile(join(ops, 'pdf.key'))))).toBe(true);
    expect((cert.validToDate.getTime() - cert.validFromDate.getTime()) / 86_400_000).toBe(30);
    expect(made.stdout).toContain(cert.fingerprint256);

    const again = run(ops, {}, 'keygen', '--certificate', '--output-key-prefix', 'pdf');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');

    // The certificate is valid from now: sign a report whose clock is today.
    const signed = await sampleCopy(join(work, 'pdf-estate'), (c) => {
      c.seal.pdfCertificate = join(ops, 'pdf.crt');
      c.seal.pdfKey = join(ops, 'pdf.key');
      c.outputs = ['pdf'];
    });
    const out = join(work, 'pdf-signed');
    const report = run(ops, {}, 'report', '--config', signed, '--out', out, '--clock', new Date(Date.now() + 60_000).toISOString());
    expect(report.status, report.stderr).toBe(0);
    const sig = spawnSync('pdfsig', [join(out, 'report.pdf')], { encoding: 'utf8' });
    expect(sig.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(sig.stdout).toContain('Signer Certificate Common Name: Example Bank compliance reports');
  }, 180_000);

  it('encrypts the key with AUDITPACK_PDF_PASSPHRASE, and refuses options that do not apply', async () => {
    const ops = join(work, 'ops');
    const made = run(ops, { AUDITPACK_PDF_PASSPHRASE: 'pdf pass' }, 'keygen', '--certificate', '--output-key-prefix', 'pdf-enc');
    expect(made.status, made.stderr).toBe(0);
    expect(await readFile(join(ops, 'pdf-enc.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(new X509Certificate(await readFile(join(ops, 'pdf-enc.crt'))).subject).toBe('CN=auditpack report signing');
    expect(run(ops, {}, 'keygen', '--certificate', '--format', 'cosign').stderr).toContain('--format cosign does not apply');
    expect(run(ops, {}, 'keygen', '--certificate', '--algorithm', 'ecdsa-p256').stderr).toContain('RSA-3072');
    expect(run(ops, {}, 'keygen', '--certificate', '--days', '0').stderr).toContain('--days must be a positive whole number');
    expect(run(ops, {}, 'keygen', '--certificate', '--country', 'France').stderr).toContain('two-letter');
    const stray = run(ops, {}, 'keygen', '--cn', 'x');
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('--cn names a certificate: it needs --certificate');
  }, 120_000);
});

describe('the seal as a standard Sigstore artifact', () => {
  it('verifies with auditpack verify-bundle --insecure-ignore-tlog, and not with another key', async () => {
    const ops = join(work, 'ops');
    const out = join(work, 'sealed');
    const args = ['verify-bundle', '--bundle', join(out, 'manifest.sigstore.json'), '--insecure-ignore-tlog', join(out, 'manifest.json')];
    const ok = run(ops, {}, ...args.slice(0, 3), '--key', 'enc.pub', ...args.slice(3));
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('valid: dsse-envelope');
    const other = run(ops, {}, ...args.slice(0, 3), '--key', 'cosign.pub', ...args.slice(3));
    expect(other.status).toBe(1);
    const tampered = join(work, 'manifest-copy.json');
    await writeFile(tampered, `${await readFile(join(out, 'manifest.json'), 'utf8')} `);
    expect(run(ops, {}, 'verify-bundle', '--bundle', join(out, 'manifest.sigstore.json'), '--key', 'enc.pub', '--insecure-ignore-tlog', tampered).status).toBe(
      1,
    );
  }, 120_000);

  it('refuses a private key given to verify as --key, and two anchors at once', () => {
    const ops = join(work, 'ops');
    const out = join(work, 'sealed');
    const priv = run(ops, {}, 'verify', out, '--key', 'auditpack-seal.key');
    expect(priv.status).toBe(2);
    expect(priv.stderr).toContain('this is a private key');
    expect(run(ops, {}, 'verify', out, '--key', 'enc.pub', '--key-fingerprint', 'ab'.repeat(32)).status).toBe(2);
    expect(run(ops, {}, 'verify', out, '--key-fingerprint', 'not-hex').status).toBe(2);
  }, 120_000);
});
