import { AuditpackError } from '../errors.js';
import { mergeTrustedRoots } from './merge-roots.js';
import { readTrustedRootFile, type LoadedTrustedRoot } from './load.js';

/**
 * GitHub's own Sigstore instance (artifact attestations of private
 * repositories) keeps no transparency log and issues no SCTs: its bundles are
 * dated by its RFC 3161 timestamp authority alone. That is weaker than a
 * logged signature, so auditpack trusts such an instance only when the
 * configuration names its root explicitly (`trust.githubInstance`).
 *
 * The file may be `gh attestation trusted-root` output, whose first line is
 * Sigstore's public-good root: only the roots without a transparency log are
 * taken, so a public-good certificate never verifies here without its log.
 * Each taken root must name a certificate authority and a timestamp authority.
 */
export async function loadGithubInstanceRoot(baseDir: string, paths: string | readonly string[]): Promise<LoadedTrustedRoot> {
  const loaded: LoadedTrustedRoot[] = [];
  for (const path of typeof paths === 'string' ? [paths] : paths) {
    const file = await readTrustedRootFile(baseDir, path);
    const unlogged = file.roots.filter((r) => r.tlogs.length === 0);
    if (unlogged.length === 0) {
      throw new AuditpackError(
        'TRUST_INVALID',
        'trust.githubInstance: no root in this file is without a transparency log, so none is a GitHub-instance root (`gh attestation trusted-root` prints it after the public-good one)',
        { file: file.source },
      );
    }
    const incomplete = unlogged.find((r) => r.certificateAuthorities.length === 0 || r.timestampAuthorities.length === 0);
    if (incomplete !== undefined) {
      throw new AuditpackError(
        'TRUST_INVALID',
        'trust.githubInstance: a root without transparency log must name a certificate authority and a timestamp authority (its signatures are dated by the TSA alone)',
        { file: file.source },
      );
    }
    const merged = mergeTrustedRoots(unlogged.map((root) => ({ ...file, root })));
    loaded.push({ ...file, root: merged.root });
  }
  return mergeTrustedRoots(loaded);
}
