import { describe, expect, it } from 'vitest';
import { evidencePath, trustPath } from '../../../src/bundle/paths.js';

describe('bundle paths', () => {
  it('mirror the path relative to the config folder', () => {
    expect(evidencePath('evidence/cockpit/signature.jsonl')).toBe('evidence/evidence/cockpit/signature.jsonl');
    expect(trustPath('keys/cosign.pub')).toBe('trust/keys/cosign.pub');
  });

  it('never leave the bundle, whatever the source path', () => {
    expect(evidencePath('../../etc/passwd')).toBe('evidence/_parent_/_parent_/etc/passwd');
    expect(trustPath('/abs/root.json')).toBe('trust/abs/root.json');
    expect(evidencePath('a\\..\\b.json')).toBe('evidence/a/_parent_/b.json');
    expect(evidencePath('./x//y')).toBe('evidence/x/y');
  });

  it('keep two roots with the same file name apart', () => {
    expect(trustPath('public/trusted_root.json')).not.toBe(trustPath('private/trusted_root.json'));
  });
});
