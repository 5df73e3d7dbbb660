/**
 * `auditpack keygen --certificate`: an RSA-3072 key and its self-signed X.509
 * certificate, to sign report.pdf with (`seal.pdfKey`, `seal.pdfCertificate`).
 * Readers show such a signature as valid from an unknown signer until they
 * trust the certificate; production reports use a certificate from the
 * organisation's CA. Same library function as the sample generator's demo
 * certificate (src/util/certificate.ts).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { AuditpackError } from '../errors.js';
import { generatePdfSigner } from '../util/certificate.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import type { KeygenArgs, NewFile } from './keygen-command.js';
import { PDF_PASSPHRASE_ENV } from './report-command.js';

const DEFAULT_PREFIX = 'auditpack-pdf-signing';
const DEFAULT_COMMON_NAME = 'auditpack report signing';

export async function keygenCertificate(
  args: KeygenArgs,
  io: CliIo,
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
  write: (files: readonly NewFile[], io: CliIo) => Promise<void>,
): Promise<number> {
  if (args.format !== 'pem') throw new AuditpackError('CONFIG_INVALID', '--certificate writes a PEM key and certificate: --format cosign does not apply');
  if (args.algorithm !== 'ed25519')
    throw new AuditpackError('CONFIG_INVALID', '--certificate makes an RSA-3072 key (every PDF reader accepts it): --algorithm applies to seal keys only');
  if (!Number.isInteger(args.days) || args.days < 1)
    throw new AuditpackError('CONFIG_INVALID', `--days must be a positive whole number, not ${String(args.days)}`);
  if (args.country !== undefined && !/^[A-Z]{2}$/.test(args.country))
    throw new AuditpackError('CONFIG_INVALID', `--country must be a two-letter ISO 3166 code in capitals (e.g. FR), not '${args.country}'`);
  const commonName = args.cn ?? DEFAULT_COMMON_NAME;
  if (commonName.trim() === '') throw new AuditpackError('CONFIG_INVALID', '--cn must not be empty');

  const prefix = args['output-key-prefix'] ?? DEFAULT_PREFIX;
  const passphraseEnv = args['passphrase-env'] ?? PDF_PASSPHRASE_ENV;
  const passphrase = env[passphraseEnv];
  const signer = await generatePdfSigner({
    commonName,
    ...(args.org === undefined ? {} : { organisation: args.org }),
    ...(args.country === undefined ? {} : { country: args.country }),
    notBefore: now,
    days: args.days,
  });
  const encrypted = passphrase !== undefined && passphrase !== '';
  const keyPem = encrypted
    ? String(createPrivateKey(signer.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }))
    : signer.keyPem;
  await write(
    [
      {
        path: `${prefix}.key`,
        content: keyPem,
        mode: 0o600,
        role: `PDF signing key, RSA-3072, PKCS#8 PEM, ${encrypted ? 'encrypted' : 'NOT encrypted'} (seal.pdfKey)`,
      },
      { path: `${prefix}.crt`, content: signer.certificatePem, mode: 0o644, role: 'self-signed certificate (seal.pdfCertificate)' },
    ],
    io,
  );
  const certificate = new X509Certificate(signer.certificatePem);
  io.out(
    `  subject ${certificate.subject.replace(/\n/g, ', ')}; valid from ${certificate.validFromDate.toISOString()} to ${certificate.validToDate.toISOString()}`,
  );
  io.out(`  certificate SHA-256 fingerprint ${certificate.fingerprint256}`);
  io.out(
    `  sign report.pdf with: seal.pdfCertificate: ${prefix}.crt and seal.pdfKey: ${prefix}.key in the configuration${encrypted ? ` (passphrase from ${PDF_PASSPHRASE_ENV})` : ''}`,
  );
  io.out('  self-signed: readers show the signature as valid from an unknown signer; use a certificate from your CA for production reports');
  if (!encrypted) io.err(`auditpack keygen: ${prefix}.key is NOT encrypted: set ${passphraseEnv} to encrypt it, or keep the file safe`);
  return EXIT.OK;
}
