/**
 * Reads the third-party Sigstore vectors in ../shared/testdata/external/sigstore/
 * (provenance and expected verdicts: the SOURCES.md there). Nothing is copied
 * into the repository; the suite fails, not skips, when the folder is absent.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { AuditpackError } from '../../src/errors.js';
import { loadTrustedRoot, type LoadedTrustedRoot } from '../../src/trust/load.js';
import { verifySigstoreBundle, type ArtifactInput, type BundleVerdict, type SignerPolicy } from '../../src/verify/bundle.js';

export const DATA_DIR = fileURLToPath(new URL('../../../shared/testdata/external/sigstore/', import.meta.url));
export const PRODUCTION_ROOT = 'trusted-roots/public-good-production.trusted_root.json';

/** The conformance README's defaults for cases without `identity` / `issuer` files. */
const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
const CASES_DIR = 'conformance/bundle-verify';

export const dataPresent = existsSync(DATA_DIR);

export function expectDataPresent(): void {
  expect(
    dataPresent,
    `the shared Sigstore test data is missing: expected ${DATA_DIR} (the shared folder next to the repository, described by its SOURCES.md); the conformance suite cannot run without it`,
  ).toBe(true);
}

export const at = (...parts: string[]): string => join(DATA_DIR, ...parts);
export const read = (...parts: string[]): Buffer => readFileSync(at(...parts));
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
export const publicKeyAt = (...parts: string[]): KeyObject => createPublicKey(read(...parts));
export const rootAt = (path: string): Promise<LoadedTrustedRoot> => loadTrustedRoot(DATA_DIR, path);

export interface ConformanceCase {
  name: string;
  expectValid: boolean;
  /** Paths relative to DATA_DIR. */
  bundle: string;
  artifact: string;
  trustedRoot: string;
  key?: string;
  identity: string;
  issuer: string;
}

/** Every case directory, read as the conformance bundle-verify README says. */
export function conformanceCases(): ConformanceCase[] {
  if (!dataPresent) return [];
  return readdirSync(at(CASES_DIR))
    .filter((name) => statSync(at(CASES_DIR, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(CASES_DIR, name);
      const file = (f: string) => (existsSync(at(dir, f)) ? join(dir, f) : undefined);
      const text = (f: string) => (file(f) === undefined ? undefined : read(dir, f).toString('utf8').trim());
      const key = file('key.pub');
      return {
        name,
        expectValid: !name.endsWith('_fail'),
        bundle: join(dir, 'bundle.sigstore.json'),
        artifact: file('artifact') ?? join(CASES_DIR, 'a.txt'),
        trustedRoot: file('trusted_root.json') ?? PRODUCTION_ROOT,
        ...(key === undefined ? {} : { key }),
        identity: text('identity') ?? DEFAULT_IDENTITY,
        issuer: text('issuer') ?? DEFAULT_ISSUER,
      };
    });
}

export type Mode = 'path' | 'digest';

/**
 * auditpack's verdict on one case through the library. Trust material that
 * does not load (a malformed key, a root without validity starts) is a
 * rejection, exactly as the CLI rejects it with exit 2.
 */
export async function libraryVerdict(c: ConformanceCase, mode: Mode): Promise<Pick<BundleVerdict, 'status'> & { detail: string }> {
  let trustedRoot: LoadedTrustedRoot;
  let policy: SignerPolicy;
  try {
    trustedRoot = await rootAt(c.trustedRoot);
    policy = c.key === undefined ? { kind: 'identity', identity: c.identity, issuer: c.issuer } : { kind: 'key', publicKey: publicKeyAt(c.key) };
  } catch (thrown) {
    const code = thrown instanceof AuditpackError ? thrown.code : 'TRUST_INVALID';
    return { status: 'invalid', detail: `trust material rejected: ${thrown instanceof Error ? thrown.message : String(thrown)} [${code}]` };
  }
  const bytes = read(c.artifact);
  const artifact: ArtifactInput = mode === 'path' ? { kind: 'bytes', bytes } : { kind: 'digest', sha256: sha256(bytes) };
  const verdict = verifySigstoreBundle({ bundle: read(c.bundle), artifact, policy, trustedRoot });
  return { status: verdict.status, detail: verdict.status === 'valid' ? 'valid' : `${verdict.reason} [${verdict.code}]` };
}
