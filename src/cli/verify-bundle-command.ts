import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { AuditpackError, describeThrown } from '../errors.js';
import type { ArtifactInput, BundleVerdict, SignerPolicy } from '../verify/bundle.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface VerifyBundleArgs {
  fileOrDigest: string;
  bundle: string;
  'certificate-identity'?: string;
  'certificate-identity-regexp'?: string;
  'certificate-oidc-issuer'?: string;
  key?: string;
  'trusted-root'?: string;
  staging: boolean;
  'insecure-ignore-tlog': boolean;
  format: 'text' | 'json';
}

export const VERIFY_BUNDLE_EPILOG = `Follows the sigstore-conformance client protocol (verify-bundle). Exit: 0 valid; 1 invalid, or a log-entry kind auditpack cannot check; 2 bad arguments or trust material.
FILE_OR_DIGEST is read as a digest when it is sha256:<64 hex> and no such file exists. For a DSSE bundle it must name one of the in-toto subjects.
auditpack works offline and ships no Sigstore trusted root: --trusted-root is required. Take the public-good (or staging) trusted_root.json from Sigstore's TUF repository on a connected machine, check it, and bring it in with the evidence.`;

export function verifyBundleOptions(y: Argv): Argv<VerifyBundleArgs> {
  return y
    .positional('fileOrDigest', { type: 'string', demandOption: true, describe: 'The artifact file, or its digest as sha256:<64 hex>' })
    .option('bundle', { type: 'string', demandOption: true, describe: 'The Sigstore bundle (*.sigstore.json, v0.1–v0.3)' })
    .option('certificate-identity', { type: 'string', describe: 'Keyless: the exact SAN of the signing certificate (URI or e-mail)' })
    .option('certificate-identity-regexp', {
      type: 'string',
      describe: 'Keyless: a JavaScript regex the SAN must match (only when an exact identity will not do)',
    })
    .option('certificate-oidc-issuer', { type: 'string', describe: 'Keyless: the exact OIDC issuer in the signing certificate' })
    .option('key', { type: 'string', describe: 'Key mode: the PEM public key the bundle must be signed with (instead of an identity)' })
    .option('trusted-root', {
      type: 'string',
      describe: 'Sigstore trusted_root.json (Rekor, Fulcio, CT log and TSA keys). Required: auditpack never fetches one',
    })
    .option('insecure-ignore-tlog', {
      type: 'boolean',
      default: false,
      describe:
        'Key mode only (as cosign): accept a bundle with no transparency-log entry, e.g. an auditpack seal; --trusted-root is then needed only for a timestamp',
    })
    .option('staging', {
      type: 'boolean',
      default: false,
      describe:
        'Accepted for the conformance protocol, but auditpack has no built-in staging root: without --trusted-root it exits 2; with one, that root alone decides',
    })
    .option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'Print one line of text, or the full verdict as JSON' })
    .epilog(VERIFY_BUNDLE_EPILOG) as unknown as Argv<VerifyBundleArgs>;
}

export async function verifyBundleCommand(args: VerifyBundleArgs, io: CliIo): Promise<number> {
  // Loaded when the command runs (sigstore-js): `--help` and the other commands do not wait for them.
  const [{ EMPTY_TRUSTED_ROOT }, { loadTrustedRoot }, { verifySigstoreBundle }] = await Promise.all([
    import('../seal/check-seal.js'),
    import('../trust/load.js'),
    import('../verify/bundle.js'),
  ]);
  const policy = await signerPolicyFrom(args);
  const ignoreTlog = args['insecure-ignore-tlog'];
  if (ignoreTlog && policy.kind !== 'key')
    throw new AuditpackError('CONFIG_INVALID', '--insecure-ignore-tlog is for key mode (--key): a certificate is only as good as its log entry');
  const trustedRoot = ignoreTlog && args['trusted-root'] === undefined ? EMPTY_TRUSTED_ROOT : await loadTrustedRoot(process.cwd(), requireTrustedRoot(args));
  const verdict = verifySigstoreBundle({
    bundle: await readInput(args.bundle, 'bundle'),
    artifact: await artifactFrom(args.fileOrDigest),
    policy,
    trustedRoot,
    ...(ignoreTlog ? { requireTlog: false, requireTimestamp: false } : {}),
  });
  if (args.format === 'json') io.out(JSON.stringify({ bundle: args.bundle, ...verdict }));
  else if (verdict.status === 'valid') io.out(`auditpack verify-bundle: ${args.bundle}: valid: ${describeValid(verdict)}`);
  else io.err(`auditpack verify-bundle: ${args.bundle}: ${verdict.status}: ${verdict.reason} [${verdict.code}]`);
  return verdict.status === 'valid' ? EXIT.OK : EXIT.FINDINGS;
}

/** Offline by design: no TUF fetch of the public-good root, so one must be given. */
function requireTrustedRoot(args: VerifyBundleArgs): string {
  if (args['trusted-root'] !== undefined) return args['trusted-root'];
  const which = args.staging ? 'the Sigstore staging instance' : 'the Sigstore public-good instance';
  throw new AuditpackError(
    'TRUST_INVALID',
    `no --trusted-root given: auditpack works offline and has no built-in trusted root for ${which}; pass its trusted_root.json with --trusted-root`,
  );
}

async function signerPolicyFrom(args: VerifyBundleArgs): Promise<SignerPolicy> {
  const identity = args['certificate-identity'];
  const regexp = args['certificate-identity-regexp'];
  const issuer = args['certificate-oidc-issuer'];
  const keyless = identity !== undefined || regexp !== undefined || issuer !== undefined;
  if (args.key !== undefined) {
    if (keyless) throw new AuditpackError('CONFIG_INVALID', 'give either --key or --certificate-identity/--certificate-oidc-issuer, not both');
    return { kind: 'key', publicKey: await readPublicKey(args.key) };
  }
  if ((identity === undefined) === (regexp === undefined) || issuer === undefined) {
    throw new AuditpackError(
      'CONFIG_INVALID',
      'give --key, or exactly one of --certificate-identity/--certificate-identity-regexp together with --certificate-oidc-issuer',
    );
  }
  return regexp === undefined ? { kind: 'identity', identity: identity ?? '', issuer } : { kind: 'identity', identity: regexp, issuer, identityIsRegex: true };
}

/** The conformance protocol's rule: a digest only when it looks like one and is not a file. */
async function artifactFrom(fileOrDigest: string): Promise<ArtifactInput> {
  if (/^sha256:[0-9a-fA-F]{64}$/.test(fileOrDigest) && !existsSync(fileOrDigest)) {
    return { kind: 'digest', sha256: fileOrDigest.slice('sha256:'.length).toLowerCase() };
  }
  return { kind: 'bytes', bytes: await readInput(fileOrDigest, 'artifact') };
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (thrown) {
    throw new AuditpackError('EVIDENCE_MISSING', `cannot read the ${what}: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
}

async function readPublicKey(path: string): Promise<KeyObject> {
  const bytes = await readInput(path, 'public key');
  try {
    return createPublicKey(bytes);
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `not a PEM public key: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
}

function describeValid(verdict: Extract<BundleVerdict, { status: 'valid' }>): string {
  const { facts, signer } = verdict;
  const by = signer.kind === 'certificate' ? `${signer.subjectAlternativeName} (issuer ${signer.issuer})` : `key SHA-256 ${signer.keyFingerprint}`;
  const logs = facts.tlogEntries.map((e) => `${e.kind}/${e.version} #${e.logIndex}`).join(', ') || 'no log entry';
  return `${facts.content} (bundle v${facts.version}) signed by ${by}; ${logs}; ${facts.timestampAuthorityTimes.length} TSA timestamp(s)`;
}
