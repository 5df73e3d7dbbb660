import { RemoteError, type CollectProblem, problemFrom } from '../remote/errors.js';
import type { RegistryClient } from './client.js';
import { REPOSITORY_NAME } from './media-types.js';

export interface RepositorySelection {
  /** Repositories to collect, sorted, each with whether the user named it (a missing tag is then a problem). */
  repositories: { name: string; named: boolean }[];
  problems: CollectProblem[];
}

const GLOB = /[*?]/;

/** `*` matches within one path component, `**` across components, `?` one character. */
export function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .split(/(\*\*|\*|\?)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Turns `--repository` values into repository names: plain names are taken
 * as given, patterns are matched against the registry's catalog (read once,
 * only when a pattern needs it). Names the catalog returns that are not
 * valid repository names are refused: they become folder names.
 */
export async function selectRepositories(client: RegistryClient, patterns: string[]): Promise<RepositorySelection> {
  const problems: CollectProblem[] = [];
  const chosen = new Map<string, boolean>();
  for (const name of patterns.filter((p) => !GLOB.test(p))) chosen.set(name, true);
  const globs = patterns.filter((p) => GLOB.test(p));
  if (globs.length > 0) {
    let catalog: string[] = [];
    try {
      catalog = await client.catalog();
    } catch (thrown) {
      if (thrown instanceof RemoteError && thrown.fatal) throw thrown;
      problems.push(problemFrom(thrown, 'catalog'));
    }
    for (const glob of globs) {
      const matcher = globToRegExp(glob);
      const matches = catalog.filter((name) => matcher.test(name));
      if (matches.length === 0 && problems.length === 0)
        problems.push({ code: 'COLLECT_NOT_FOUND', where: glob, reason: `no repository in the registry's catalog matches ${glob}` });
      for (const name of matches) if (!chosen.has(name)) chosen.set(name, false);
    }
  }
  const repositories: RepositorySelection['repositories'] = [];
  for (const [name, named] of [...chosen.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (REPOSITORY_NAME.test(name)) repositories.push({ name, named });
    else
      problems.push({
        code: 'COLLECT_BAD_RESPONSE',
        where: name,
        reason: `${JSON.stringify(name)} is not a valid repository name (distribution spec); skipped`,
      });
  }
  return { repositories, problems };
}

/** Folder and config name of each repository: its last path component, or the whole path (`/` → `-`) where two would collide. */
export function imageNames(repositories: string[]): Map<string, string> {
  const last = (r: string) => r.slice(r.lastIndexOf('/') + 1);
  const counts = new Map<string, number>();
  for (const r of repositories) counts.set(last(r), (counts.get(last(r)) ?? 0) + 1);
  return new Map(repositories.map((r) => [r, (counts.get(last(r)) ?? 0) > 1 ? r.replaceAll('/', '-') : last(r)]));
}
