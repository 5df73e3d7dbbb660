import { lstat, open } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { AuditpackError, describeThrown } from '../errors.js';
import { generateSealKey, type KeyAlgorithm, type KeyFormat } from '../seal/keygen.js';
import { COSIGN_PASSWORD_ENV, PASSPHRASE_ENV } from '../seal/keys.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { PDF_PASSPHRASE_ENV } from './report-command.js';

export interface KeygenArgs {
  algorithm: KeyAlgorithm;
  format: KeyFormat;
  'output-key-prefix'?: string;
  'passphrase-env'?: string;
  certificate: boolean;
  cn?: string;
  org?: string;
  country?: string;
  days: number;
}

export const KEYGEN_EPILOG = `Writes PREFIX.key (the private key, mode 0600) and PREFIX.pub; never overwrites a file.
PEM keys are encrypted when the passphrase variable (default ${PASSPHRASE_ENV}) is set and not empty; auditpack report reads the passphrase from ${PASSPHRASE_ENV}.
--format cosign writes cosign's own cosign.key format (scrypt + NaCl secretbox), password from ${COSIGN_PASSWORD_ENV} (required; may be empty, as with cosign).
Ed25519 (the default) gives byte-identical seals for the same inputs and clock.
--certificate writes PREFIX.key (RSA-3072, PKCS#8 PEM, mode 0600) and PREFIX.crt, a self-signed certificate that signs report.pdf
(seal.pdfKey and seal.pdfCertificate); the key is encrypted when ${PDF_PASSPHRASE_ENV} (or --passphrase-env) is set and not empty.`;

export function keygenOptions(y: Argv): Argv<KeygenArgs> {
  return y
    .option('algorithm', { type: 'string', choices: ['ed25519', 'ecdsa-p256'], default: 'ed25519', describe: 'Key algorithm' })
    .option('format', { type: 'string', choices: ['pem', 'cosign'], default: 'pem', describe: 'Private key file format: PKCS#8 PEM, or cosign.key' })
    .option('output-key-prefix', { type: 'string', describe: 'Path prefix of the two files (default: auditpack-seal, or cosign with --format cosign)' })
    .option('passphrase-env', {
      type: 'string',
      describe: `PEM only: the environment variable holding the passphrase (default ${PASSPHRASE_ENV}; ${PDF_PASSPHRASE_ENV} with --certificate)`,
    })
    .option('certificate', {
      type: 'boolean',
      default: false,
      describe: 'Make an RSA key and a self-signed X.509 certificate to sign report.pdf with, instead of a seal key',
    })
    .option('cn', { type: 'string', describe: 'With --certificate: the certificate\'s common name (default: "auditpack report signing")' })
    .option('org', { type: 'string', describe: 'With --certificate: the organisation named in the certificate' })
    .option('country', { type: 'string', describe: 'With --certificate: the two-letter ISO 3166 country code named in the certificate' })
    .option('days', { type: 'number', default: 730, describe: 'With --certificate: how many days the certificate is valid, from now' })
    .epilog(KEYGEN_EPILOG) as unknown as Argv<KeygenArgs>;
}

export async function keygenCommand(
  args: KeygenArgs,
  io: CliIo,
  env: Readonly<Record<string, string | undefined>>,
  now: () => Date = () => new Date(),
): Promise<number> {
  // Loaded for --certificate only (the X.509 libraries).
  if (args.certificate) return (await import('./keygen-certificate.js')).keygenCertificate(args, io, env, now(), writeNewFiles);
  for (const option of ['cn', 'org', 'country'] as const) {
    if (args[option] !== undefined) throw new AuditpackError('CONFIG_INVALID', `--${option} names a certificate: it needs --certificate`);
  }
  const prefix = args['output-key-prefix'] ?? (args.format === 'cosign' ? 'cosign' : 'auditpack-seal');
  const passphraseEnv = args['passphrase-env'] ?? PASSPHRASE_ENV;
  const passphrase = args.format === 'cosign' ? env[COSIGN_PASSWORD_ENV] : env[passphraseEnv];
  if (args.format === 'cosign' && passphrase === undefined) {
    throw new AuditpackError('CONFIG_INVALID', `--format cosign: set ${COSIGN_PASSWORD_ENV} to the key's password (it may be empty, as with cosign)`);
  }
  const key = await generateSealKey({
    algorithm: args.algorithm,
    format: args.format,
    ...(passphrase === undefined || (passphrase === '' && args.format === 'pem') ? {} : { passphrase }),
  });
  await writeNewFiles(
    key.files.map((f) => ({ ...f, path: `${prefix}${f.suffix}` })),
    io,
  );
  io.out(`  ${key.algorithm}, fingerprint (SHA-256 of the public key) ${key.fingerprint}`);
  io.out(`  seal with:   auditpack report --seal-key ${prefix}.key …   (or seal.key in the configuration)`);
  io.out(`  verify with: auditpack verify BUNDLE --key ${prefix}.pub   (or --key-fingerprint ${key.fingerprint})`);
  if (!key.encrypted) io.err(`auditpack keygen: ${prefix}.key is NOT encrypted: set ${passphraseEnv} to encrypt it, or keep the file safe`);
  return EXIT.OK;
}

export interface NewFile {
  path: string;
  content: string;
  mode: number;
  role: string;
}

/** Writes every file, none of which may exist yet: checked for all before the first is written. */
export async function writeNewFiles(files: readonly NewFile[], io: CliIo): Promise<void> {
  for (const { path } of files) {
    if (await exists(path))
      throw new AuditpackError('OUTPUT_INVALID', 'already exists: keygen never overwrites a key; choose another --output-key-prefix', { file: path });
  }
  const written: string[] = [];
  for (const file of files) {
    await writeNew(file.path, file.content, file.mode, written);
    written.push(file.path);
    io.out(`auditpack keygen: wrote ${file.path}: ${file.role}`);
  }
}

/** Creates a file that must not exist yet (O_EXCL); on failure, removes nothing it did not create. */
async function writeNew(path: string, content: string, mode: number, written: string[]): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx', mode);
  } catch (thrown) {
    const exists = (thrown as NodeJS.ErrnoException).code === 'EEXIST';
    const already = written.length > 0 ? ` (${written.join(', ')} was written)` : '';
    throw new AuditpackError(
      'OUTPUT_INVALID',
      exists
        ? `already exists: keygen never overwrites a key; choose another --output-key-prefix${already}`
        : `cannot create: ${describeThrown(thrown)}${already}`,
      { file: path },
    );
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
