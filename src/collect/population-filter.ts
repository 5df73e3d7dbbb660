import type { PopulationConfig } from '../config/schema.js';
import type { ExcludedMember, PopulationFilters, PublishedTag, RunningContainer, TagPlace, UnresolvedContainer, UnresolvedTag } from './population-model.js';
import { repositoryOf } from './population-image-ref.js';
import { globToRegExp } from './registry/repositories.js';

/** What the population sources hold, before or after the filters. */
export interface PopulationMembers {
  running: RunningContainer[];
  unresolved: UnresolvedContainer[];
  published: PublishedTag[];
  unresolvedTags: UnresolvedTag[];
}

/** The filters the configuration sets; undefined when it sets none. */
export function filtersOf(config: PopulationConfig): PopulationFilters | undefined {
  const { namespaces, excludeNamespaces, repositories, excludeRepositories } = config;
  const filters: PopulationFilters = {
    ...(namespaces ? { namespaces } : {}),
    ...(excludeNamespaces ? { excludeNamespaces } : {}),
    ...(repositories ? { repositories } : {}),
    ...(excludeRepositories ? { excludeRepositories } : {}),
  };
  return Object.keys(filters).length === 0 ? undefined : filters;
}

/**
 * Applies the population's filters: a container is in scope when its
 * namespace is in `namespaces` (all when unset) and in no `excludeNamespaces`,
 * and its repository passes the repository rules; a registry tag when its
 * repository is in `repositories` (all when unset) and in no
 * `excludeRepositories`. Repositories are matched as normalised
 * (`harbor.example/akko/cockpit`, `docker.io/library/nginx`): `*` within a
 * path component, `**` across, `?` one character. Whatever is left out is
 * returned with the first rule that excludes it, never dropped.
 */
export function applyFilters(members: PopulationMembers, filters: PopulationFilters | undefined): PopulationMembers & { excluded: ExcludedMember[] } {
  if (filters === undefined) return { ...members, excluded: [] };
  const excluded: ExcludedMember[] = [];
  const rules = compile(filters);
  const keep = <T>(list: T[], rule: (m: T) => string | undefined, describe: (m: T, rule: string) => ExcludedMember): T[] =>
    list.filter((m) => {
      const hit = rule(m);
      if (hit !== undefined) excluded.push(describe(m, hit));
      return hit === undefined;
    });
  const containerRule = (c: RunningContainer | UnresolvedContainer) =>
    rules.namespace(c.namespace) ?? rules.repository('repository' in c ? c.repository : repositoryOf(c.image));
  const container = (c: RunningContainer | UnresolvedContainer, rule: string): ExcludedMember => ({
    rule,
    image: c.image,
    source: c.source,
    ...('digest' in c ? { digest: c.digest } : {}),
    container: { namespace: c.namespace, pod: c.pod, container: c.container, kind: c.kind, image: c.image, source: c.source, evidence: c.evidence },
  });
  const tag = (t: PublishedTag | UnresolvedTag, rule: string): ExcludedMember => ({
    rule,
    image: t.reference,
    source: t.source,
    ...('digest' in t ? { digest: t.digest } : {}),
    tag: { reference: t.reference, repository: t.repository, tag: t.tag, source: t.source, evidence: t.evidence },
  });
  const tagRule = (t: TagPlace) => rules.repository(t.repository);
  return {
    running: keep(members.running, containerRule, container),
    unresolved: keep(members.unresolved, containerRule, container),
    published: keep(members.published, tagRule, tag),
    unresolvedTags: keep(members.unresolvedTags, tagRule, tag),
    excluded: excluded.sort((a, b) => a.rule.localeCompare(b.rule) || a.source.localeCompare(b.source) || placeOf(a).localeCompare(placeOf(b))),
  };
}

/** One function per dimension: the rule that excludes a value, or undefined. */
function compile(filters: PopulationFilters): { namespace: (ns: string) => string | undefined; repository: (r: string) => string | undefined } {
  const rule = (include: string[] | undefined, exclude: string[] | undefined, key: 'namespaces' | 'repositories', excludeKey: string) => {
    const included = include?.map(globToRegExp);
    const excludedBy = (exclude ?? []).map((pattern) => ({ pattern, matcher: globToRegExp(pattern) }));
    return (value: string): string | undefined => {
      if (included !== undefined && !included.some((m) => m.test(value))) return `outside population.${key}`;
      const hit = excludedBy.find((e) => e.matcher.test(value));
      return hit === undefined ? undefined : `population.${excludeKey}: ${hit.pattern}`;
    };
  };
  return {
    namespace: rule(filters.namespaces, filters.excludeNamespaces, 'namespaces', 'excludeNamespaces'),
    repository: rule(filters.repositories, filters.excludeRepositories, 'repositories', 'excludeRepositories'),
  };
}

function placeOf(m: ExcludedMember): string {
  if (m.container) return `${m.container.namespace}/${m.container.pod}/${m.container.kind}/${m.container.container}`;
  return m.tag?.reference ?? m.image;
}
