/**
 * Entity-profile conditions: facts about the entity or its images that some
 * clauses and some `full` mappings depend on (a clause that binds only
 * services supporting critical or important functions; a title of an RTS that
 * does not apply to entities on the simplified framework). A condition counts
 * only when the configuration's `entity:` profile states it: a profile that
 * does not say gets the cautious reading (the lower strength; the clause kept).
 */
import type { EntityProfile } from '../config/schema.js';
import type { Strength } from '../report/model.js';
import { CONDITION_WORDS as WORDS } from '../report/vocabulary.js';

export const PROFILE_CONDITIONS = [
  'critical-or-important-functions',
  'bespoke-software',
  'acquired-products',
  'simplified-framework',
  'microenterprise',
  'secnumcloud-qualified',
] as const;

export type ProfileCondition = (typeof PROFILE_CONDITIONS)[number];

/** The `entity:` key that states each condition. */
export const CONDITION_KEY: Readonly<Record<ProfileCondition, keyof EntityProfile>> = {
  'critical-or-important-functions': 'criticalOrImportantFunctions',
  'bespoke-software': 'bespokeSoftware',
  'acquired-products': 'acquiredProducts',
  'simplified-framework': 'simplifiedFramework',
  microenterprise: 'microenterprise',
  'secnumcloud-qualified': 'secNumCloudQualified',
};

/** Each condition in words, as reports and `frameworks show` print it (one wording: report/vocabulary.ts). */
export const CONDITION_WORDS: Readonly<Record<ProfileCondition, string>> = Object.fromEntries(PROFILE_CONDITIONS.map((c) => [c, WORDS[c] ?? c])) as Record<
  ProfileCondition,
  string
>;

/** The conditions a profile states (true). Unstated and false are the same: not met. */
export function profileConditions(profile: EntityProfile | undefined): ReadonlySet<ProfileCondition> {
  return new Set(PROFILE_CONDITIONS.filter((c) => profile?.[CONDITION_KEY[c]] === true));
}

/** A mapping's strength for this profile: `full` only when its condition is met, otherwise the catalog's cautious strength. */
export function effectiveStrength(support: { strength: Strength; fullWhen?: ProfileCondition }, conditions: ReadonlySet<ProfileCondition>): Strength {
  return support.fullWhen !== undefined && conditions.has(support.fullWhen) ? 'full' : support.strength;
}

/** A clause's scope by profile: never for `exceptFor` conditions met; only for an `onlyFor` condition met. */
export interface ProfileScope {
  exceptFor?: { condition: ProfileCondition; why: string }[];
  onlyFor?: { condition: ProfileCondition; why: string };
}

/** Why the clause does not apply to this profile, or undefined when it applies. */
export function outOfProfile(scope: ProfileScope, conditions: ReadonlySet<ProfileCondition>): string | undefined {
  const excluded = scope.exceptFor?.find((e) => conditions.has(e.condition));
  if (excluded) return `does not apply: ${CONDITION_WORDS[excluded.condition]} (entity.${CONDITION_KEY[excluded.condition]}); ${excluded.why}`;
  if (scope.onlyFor && !conditions.has(scope.onlyFor.condition)) {
    return `applies only where ${CONDITION_WORDS[scope.onlyFor.condition]}, which the entity profile does not state (entity.${CONDITION_KEY[scope.onlyFor.condition]}); ${scope.onlyFor.why}`;
  }
  return undefined;
}
