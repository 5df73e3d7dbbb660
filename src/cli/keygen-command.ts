import { lstat, open } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { AuditpackError, describeThrown } from '../errors.js';
import { generateSealKey, type KeyAlgorithm, type KeyFormat } from '../seal/keygen.js';
import { COSIGN_PASSWORD_ENV, PASSPHRASE_ENV } from '../seal/keys.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface KeygenArgs {
  algorithm: KeyAlgorithm;
  format: KeyFormat;
  'output-key-prefix'?: string;
  'passphrase-env': string;
}

export const KEYGEN_EPILOG = `Writes PREFIX.key (the private key, mode 0600) and PREFIX.pub; never overwrites a file.
PEM keys are encrypted when the passphrase variable (default ${PASSPHRASE_ENV}) is set and not empty; auditpack report reads the passphrase from ${PASSPHRASE_ENV}.
--format cosign writes cosign's own cosign.key format (scrypt + NaCl secretbox), password from ${COSIGN_PASSWORD_ENV} (required; may be empty, as with cosign).
Ed25519 (the default) gives byte-identical seals for the same inputs and clock.`;

export function keygenOptions(y: Argv): Argv<KeygenArgs> {
  return y
    .option('algorithm', { type: 'string', choices: ['ed25519', 'ecdsa-p256'], default: 'ed25519', describe: 'Key algorithm' })
    .option('format', { type: 'string', choices: ['pem', 'cosign'], default: 'pem', describe: 'Private key file format: PKCS#8 PEM, or cosign.key' })
    .option('output-key-prefix', { type: 'string', describe: 'Path prefix of the two files (default: auditpack-seal, or cosign with --format cosign)' })
    .option('passphrase-env', { type: 'string', default: PASSPHRASE_ENV, describe: 'PEM only: the environment variable holding the passphrase' })
    .epilog(KEYGEN_EPILOG) as unknown as Argv<KeygenArgs>;
}

export async function keygenCommand(args: KeygenArgs, io: CliIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const prefix = args['output-key-prefix'] ?? (args.format === 'cosign' ? 'cosign' : 'auditpack-seal');
  const passphrase = args.format === 'cosign' ? env[COSIGN_PASSWORD_ENV] : env[args['passphrase-env']];
  if (args.format === 'cosign' && passphrase === undefined) {
    throw new AuditpackError('CONFIG_INVALID', `--format cosign: set ${COSIGN_PASSWORD_ENV} to the key's password (it may be empty, as with cosign)`);
  }
  const key = await generateSealKey({
    algorithm: args.algorithm,
    format: args.format,
    ...(passphrase === undefined || (passphrase === '' && args.format === 'pem') ? {} : { passphrase }),
  });
  const paths = key.files.map((f) => `${prefix}${f.suffix}`);
  for (const path of paths) {
    if (await exists(path))
      throw new AuditpackError('OUTPUT_INVALID', 'already exists: keygen never overwrites a key; choose another --output-key-prefix', { file: path });
  }
  const written: string[] = [];
  for (const file of key.files) {
    const path = `${prefix}${file.suffix}`;
    await writeNew(path, file.content, file.mode, written);
    written.push(path);
    io.out(`auditpack keygen: wrote ${path}: ${file.role}`);
  }
  io.out(`  ${key.algorithm}, fingerprint (SHA-256 of the public key) ${key.fingerprint}`);
  io.out(`  seal with:   auditpack report --seal-key ${prefix}.key …   (or seal.key in the configuration)`);
  io.out(`  verify with: auditpack verify BUNDLE --key ${prefix}.pub   (or --key-fingerprint ${key.fingerprint})`);
  if (!key.encrypted) io.err(`auditpack keygen: ${prefix}.key is NOT encrypted: set ${args['passphrase-env']} to encrypt it, or keep the file safe`);
  return EXIT.OK;
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
