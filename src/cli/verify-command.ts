import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { AuditpackError, describeThrown } from '../errors.js';
import { verifyBundle } from '../seal/verify-bundle.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface VerifyArgs {
  bundle: string;
  key?: string;
  format: 'text' | 'json';
}

export function verifyOptions(y: Argv): Argv<VerifyArgs> {
  return y
    .positional('bundle', { type: 'string', demandOption: true, describe: 'A bundle folder written by `auditpack report`' })
    .option('key', { type: 'string', describe: 'PEM public key the seal must verify with (pins the signer; without it the key inside the bundle is used)' })
    .option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'How to print the result' }) as unknown as Argv<VerifyArgs>;
}

export async function verifyCommand(args: VerifyArgs, io: CliIo): Promise<number> {
  const pinned = args.key === undefined ? undefined : await readPublicKey(args.key);
  const verdict = await verifyBundle(args.bundle, pinned);
  if (args.format === 'json') {
    io.out(JSON.stringify(verdict));
  } else if (verdict.ok) {
    io.out(`auditpack verify: ${args.bundle}: intact, ${verdict.files} files match the signed manifest`);
    io.out(`  seal key SHA-256 ${verdict.keyFingerprint ?? ''} (${verdict.keySource === 'pinned' ? 'pinned with --key' : 'taken from the bundle: pass --key to pin the signer'})`);
  } else {
    for (const p of verdict.problems) io.err(`auditpack verify: ${args.bundle}/${p.file}: ${p.reason} [${p.code}]`);
  }
  return verdict.ok ? EXIT.OK : EXIT.FINDINGS;
}

async function readPublicKey(path: string): Promise<KeyObject> {
  try {
    return createPublicKey(await readFile(path));
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `not a PEM public key: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
}
