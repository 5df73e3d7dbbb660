import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { AuditpackError, describeThrown } from '../errors.js';
import type { SealAnchor, SealVerdict } from '../bundle/verify.js';
import { EXIT } from './exit-codes.js';
import { QUIET_OPTION, type CliIo } from './io.js';

export interface VerifyArgs {
  bundle: string;
  key?: string;
  'key-fingerprint'?: string;
  'certificate-identity'?: string;
  'certificate-identity-regexp'?: string;
  'certificate-oidc-issuer'?: string;
  'trusted-root'?: string;
  deep: boolean;
  format: 'text' | 'json';
  quiet: boolean;
}

export const VERIFY_EPILOG = `A seal is only "intact" against a trust anchor YOU supply: --key (the signer's public key), --key-fingerprint (its SHA-256, as printed in the report and by auditpack keygen), or, for a keyless seal, --certificate-identity and --certificate-oidc-issuer with --trusted-root. The key inside the bundle (manifest.pub) proves nothing: anyone can re-seal a bundle with their own key.
Exit: 0 intact; 1 a file changed, was added or removed, the seal is invalid, or --deep found a different finding; 2 bad arguments or key; 4 consistent but NOT verified: no trust anchor was given (the fingerprint found and the command to pin it are printed); 130 stopped by SIGINT or SIGTERM.
BUNDLE is a bundle folder or its .tar.gz (--archive); an archive is unpacked safely into a private temporary folder first.`;

export function verifyOptions(y: Argv): Argv<VerifyArgs> {
  return y
    .positional('bundle', { type: 'string', demandOption: true, describe: 'A bundle folder written by `auditpack report`, or its .tar.gz' })
    .option('key', { type: 'string', describe: 'PEM public key of the signer you expect (pins the seal)' })
    .option('key-fingerprint', { type: 'string', describe: "SHA-256 of the signer's public key (hex, as the report prints it): pins manifest.pub" })
    .option('certificate-identity', { type: 'string', describe: 'Keyless seal: the exact SAN of the signing certificate' })
    .option('certificate-identity-regexp', { type: 'string', describe: 'Keyless seal: a regular expression the SAN must match' })
    .option('certificate-oidc-issuer', { type: 'string', describe: 'Keyless seal: the exact OIDC issuer' })
    .option('trusted-root', { type: 'string', describe: 'Sigstore trusted_root.json: Fulcio and Rekor for a keyless seal, the TSA for a timestamped one' })
    .option('deep', {
      type: 'boolean',
      default: false,
      describe: 'Also verify every piece of evidence again from the bundle alone (offline) and compare with report.json',
    })
    .option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'How to print the result' })
    .option('quiet', QUIET_OPTION)
    .epilog(VERIFY_EPILOG) as unknown as Argv<VerifyArgs>;
}

export async function verifyCommand(args: VerifyArgs, io: CliIo): Promise<number> {
  // Loaded when the command runs: `--help` and the other commands do not wait for them.
  const [{ verifyBundle }, { loadTrustedRoot }] = await Promise.all([import('../bundle/verify.js'), import('../trust/load.js')]);
  const anchor = await anchorFrom(args);
  const trustedRoot = args['trusted-root'] === undefined ? undefined : await loadTrustedRoot(process.cwd(), args['trusted-root']);
  if (anchor.kind === 'identity' && trustedRoot === undefined)
    throw new AuditpackError('CONFIG_INVALID', 'a keyless identity needs --trusted-root (the Fulcio and Rekor keys it chains to)');
  const verdict = await verifyBundle(args.bundle, {
    anchor,
    ...(trustedRoot === undefined ? {} : { trustedRoot }),
    ...(args.deep ? { deep: (await import('../verify-deep.js')).deepVerify } : {}),
  });
  if (args.format === 'json') io.out(JSON.stringify({ bundle: args.bundle, ...verdict }));
  else printVerdict(args, verdict, io, args.quiet);
  return verdict.status === 'intact' ? EXIT.OK : verdict.status === 'unpinned' ? EXIT.UNPINNED : EXIT.FINDINGS;
}

const PINNED_WITH: Record<SealVerdict['anchor'], string> = {
  key: '--key',
  'key-fingerprint': '--key-fingerprint',
  identity: '--certificate-identity',
  none: 'nothing',
};

/** The verdict for people. Quiet: only the problems and, when nothing pinned the seal, that one line, on stderr. */
function printVerdict(args: VerifyArgs, verdict: SealVerdict, io: CliIo, quiet: boolean): void {
  const name = `auditpack verify: ${args.bundle}`;
  for (const p of verdict.problems) io.err(`${name}/${p.file}: ${p.reason} [${p.code}]`);
  if (verdict.status === 'failed') return;
  const unpinned = `${name}: NOT VERIFIED: no trust anchor given, so nothing shows who sealed this bundle [SEAL_UNPINNED]`;
  if (quiet) {
    if (verdict.status === 'unpinned') io.err(unpinned);
    return;
  }
  const signer = verdict.signer;
  const by =
    signer === undefined
      ? 'an unchecked keyless signer'
      : signer.kind === 'key'
        ? `key SHA-256 ${signer.fingerprint} (${signer.algorithm})`
        : `${signer.identity} (issuer ${signer.issuer})`;
  const sealed =
    verdict.sealedAt === undefined
      ? ''
      : verdict.sealedAt.by === 'timestamp-authority'
        ? `sealed at ${verdict.sealedAt.at} (RFC 3161 timestamp, verified with --trusted-root)`
        : `sealed at ${verdict.sealedAt.at} (the signer's own claim: ${verdict.timestamp === 'not-checked' ? 'its timestamp was not checked, pass --trusted-root naming the TSA' : 'no RFC 3161 timestamp'})`;
  if (verdict.status === 'intact') {
    io.out(
      `${name}: intact: ${verdict.files} files match the signed manifest${verdict.deep ? "; every finding re-verified from the bundle's evidence matches report.json" : ''}`,
    );
    io.out(`  sealed by ${by}, pinned with ${PINNED_WITH[verdict.anchor]}`);
    if (sealed !== '') io.out(`  ${sealed}`);
    return;
  }
  io.err(unpinned);
  const seal = signer === undefined ? 'its keyless seal was not checked' : 'the seal verifies with the key it carries';
  io.err(
    `  it is consistent with itself: ${verdict.files} files match its manifest${verdict.deep ? ' and every finding re-verified from its evidence matches report.json' : ''}, and ${seal}`,
  );
  io.err(`  found: ${by}; anyone can re-seal a bundle with their own key`);
  if (signer?.kind === 'key') {
    io.err("  if that is the fingerprint the organisation gave you (also on the report's cover and verify page), pin it:");
    io.err(`    auditpack verify ${args.bundle} --key-fingerprint ${signer.fingerprint}`);
  } else {
    io.err('  verify a keyless seal with --certificate-identity, --certificate-oidc-issuer and --trusted-root');
  }
}

async function anchorFrom(args: VerifyArgs): Promise<SealAnchor> {
  const identity = args['certificate-identity'] ?? args['certificate-identity-regexp'];
  const issuer = args['certificate-oidc-issuer'];
  const given = [args.key !== undefined, args['key-fingerprint'] !== undefined, identity !== undefined || issuer !== undefined].filter(Boolean).length;
  if (given > 1)
    throw new AuditpackError('CONFIG_INVALID', 'give one trust anchor: --key, --key-fingerprint, or --certificate-identity with --certificate-oidc-issuer');
  if (args.key !== undefined) return { kind: 'key', key: await readPublicKey(args.key) };
  if (args['key-fingerprint'] !== undefined) return { kind: 'key-fingerprint', sha256: parseFingerprint(args['key-fingerprint']) };
  if (identity === undefined && issuer === undefined) return { kind: 'none' };
  if (identity === undefined || issuer === undefined || (args['certificate-identity'] !== undefined && args['certificate-identity-regexp'] !== undefined)) {
    throw new AuditpackError(
      'CONFIG_INVALID',
      'a keyless anchor is exactly one of --certificate-identity/--certificate-identity-regexp together with --certificate-oidc-issuer',
    );
  }
  return { kind: 'identity', identity, issuer, ...(args['certificate-identity-regexp'] === undefined ? {} : { identityIsRegex: true }) };
}

/** 64 hex digits, as printed; `sha256:` prefixes, colons and upper case are accepted. */
function parseFingerprint(text: string): string {
  const hex = text
    .replace(/^sha256:/i, '')
    .replace(/:/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new AuditpackError('CONFIG_INVALID', `--key-fingerprint must be the 64 hex digits of a SHA-256, got ${JSON.stringify(text)}`);
  return hex;
}

async function readPublicKey(path: string): Promise<KeyObject> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `cannot read the key: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(bytes.toString('utf8'))) {
    throw new AuditpackError(
      'TRUST_INVALID',
      "this is a private key: --key takes the signer's PUBLIC key (the .pub file); never hand a private key to a verifier",
      { file: path },
    );
  }
  try {
    return createPublicKey(bytes);
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `not a PEM public key: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
}
