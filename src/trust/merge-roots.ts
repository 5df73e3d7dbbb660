import { createHash } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { LoadedTrustedRoot } from './load.js';

const GROUPS = ['tlogs', 'certificateAuthorities', 'ctlogs', 'timestampAuthorities'] as const;

/**
 * Several trusted roots (say the public-good one and a private Sigstore
 * instance) as one: their logs, certificate authorities, CT logs and
 * timestamp authorities side by side, which is how sigstore-js consults them.
 * The merged root is identified by the SHA-256 of its protobuf JSON; each
 * file keeps its own digest and is copied into the bundle.
 */
export function mergeTrustedRoots(roots: LoadedTrustedRoot[]): LoadedTrustedRoot {
  const [first] = roots;
  if (!first) throw new Error('no trusted root to merge');
  if (roots.length === 1) return first;
  const parts = roots.map((r) => TrustedRoot.toJSON(r.root) as Partial<Record<(typeof GROUPS)[number], unknown[]>>);
  const json = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    ...Object.fromEntries(GROUPS.map((group) => [group, parts.flatMap((p) => p[group] ?? [])])),
  };
  const bytes = Buffer.from(JSON.stringify(json), 'utf8');
  return {
    source: roots.map((r) => r.source).join(' + '),
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    root: TrustedRoot.fromJSON(json),
    files: roots.flatMap((r) => r.files),
  };
}
