import type { LoadedTrustedRoot, TrustSet } from './load.js';

/** Every trusted root file the run read (the general root's and the GitHub instance's), once each: copied into the bundle and listed as evidence. */
export function trustedRootFiles(trust: TrustSet): LoadedTrustedRoot['files'] {
  const all = [...(trust.trustedRoot?.files ?? []), ...(trust.githubInstance?.files ?? [])];
  return all.filter((f, i) => all.findIndex((g) => g.source === f.source) === i);
}
