import { describe, expect, it } from 'vitest';
import { CONDITION_KEY, PROFILE_CONDITIONS, effectiveStrength, outOfProfile, profileConditions } from '../../../src/frameworks/conditions.js';
import { CONFIG_SCHEMA } from '../../../src/config/schema.js';

describe('entity-profile conditions', () => {
  it('counts only the conditions the profile states true: unstated and false are the cautious reading', () => {
    expect([...profileConditions(undefined)]).toEqual([]);
    expect([...profileConditions({ financialEntity: true, bespokeSoftware: false })]).toEqual([]);
    expect([...profileConditions({ criticalOrImportantFunctions: true, microenterprise: true })]).toEqual([
      'critical-or-important-functions',
      'microenterprise',
    ]);
  });

  it('has a configuration key, in the config schema, for every condition', () => {
    const keys = Object.keys(CONFIG_SCHEMA.properties.entity.properties);
    for (const condition of PROFILE_CONDITIONS) expect(keys, condition).toContain(CONDITION_KEY[condition]);
  });

  it('raises a conditional mapping to full only when its condition is met', () => {
    const support = { strength: 'partial' as const, fullWhen: 'bespoke-software' as const };
    expect(effectiveStrength(support, new Set())).toBe('partial');
    expect(effectiveStrength(support, new Set(['acquired-products']))).toBe('partial');
    expect(effectiveStrength(support, new Set(['bespoke-software']))).toBe('full');
    expect(effectiveStrength({ strength: 'supporting' }, new Set(['bespoke-software']))).toBe('supporting');
  });

  it('says why a clause is out of the profile, naming the key to set', () => {
    const scope = { exceptFor: [{ condition: 'microenterprise' as const, why: 'DORA Art. 28(2)' }] };
    expect(outOfProfile(scope, new Set())).toBeUndefined();
    expect(outOfProfile(scope, new Set(['microenterprise']))).toBe(
      'does not apply: the entity is a microenterprise (DORA Art. 3(60)) (entity.microenterprise); DORA Art. 28(2)',
    );
    const only = { onlyFor: { condition: 'secnumcloud-qualified' as const, why: 'HDS [EXI 31]' } };
    expect(outOfProfile(only, new Set())).toMatch(
      /^applies only where the hosting activity holds a SecNumCloud 3\.2 qualification, which the entity profile does not state \(entity\.secNumCloudQualified\)/,
    );
    expect(outOfProfile(only, new Set(['secnumcloud-qualified']))).toBeUndefined();
  });
});
