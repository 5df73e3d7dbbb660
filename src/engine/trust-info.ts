import type { Config } from '../config/schema.js';
import { trustPath } from '../report/bundle-paths.js';
import type { Report } from '../report/model.js';
import type { LoadedTrustedRoot, TrustSet } from '../trust/load.js';

/**
 * The report's trust section: the keys and trusted root the verification
 * used (by bundle path and fingerprint), whether a verified signing time was
 * required, and the CI repository policy, which rests on unsigned exports.
 * Pure.
 */
export function trustInfo(trust: TrustSet, config: Pick<Config, 'trust' | 'evidence'>): Report['trust'] {
  const { woodpecker, repository, events, branches } = config.evidence;
  return {
    keys: trust.keys.map((k) => ({
      id: k.id,
      path: trustPath(k.source),
      fingerprint: k.fingerprint,
      algorithm: k.algorithm,
      ...(k.validFrom ? { validFrom: k.validFrom.toISOString() } : {}),
      ...(k.validUntil ? { validUntil: k.validUntil.toISOString() } : {}),
    })),
    ...(trust.trustedRoot ? { trustedRoot: trustedRootInfo(trust.trustedRoot) } : {}),
    ...(trust.githubInstance
      ? {
          githubInstance: {
            files: trust.githubInstance.files.map((f) => ({ path: trustPath(f.source), sha256: f.sha256 })),
            certificateAuthorities: trust.githubInstance.root.certificateAuthorities.length,
            timestampAuthorities: trust.githubInstance.root.timestampAuthorities.length,
          },
        }
      : {}),
    requireSignedTime: config.trust.requireTransparencyLog,
    ...(woodpecker !== undefined && repository !== undefined
      ? {
          ci: {
            system: 'woodpecker' as const,
            repository: repository.url,
            ...(repository.id === undefined ? {} : { repositoryId: repository.id }),
            events,
            branches,
            signed: false as const,
          },
        }
      : {}),
  };
}

/** One root: its file. Several: the merged root's digest, with every file listed. */
function trustedRootInfo(root: LoadedTrustedRoot): NonNullable<Report['trust']['trustedRoot']> {
  const [only] = root.files;
  const info = {
    path: only && root.files.length === 1 ? trustPath(only.source) : root.files.map((f) => trustPath(f.source)).join(', '),
    sha256: root.sha256,
    tlogs: root.root.tlogs.length,
  };
  return root.files.length === 1 ? info : { ...info, files: root.files.map((f) => ({ path: trustPath(f.source), sha256: f.sha256 })) };
}
