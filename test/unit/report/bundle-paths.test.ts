import { describe, expect, it } from 'vitest';
import { evidencePath, trustPath } from '../../../src/report/bundle-paths.js';

describe('bundle paths', () => {
  it('mirror the path relative to the config folder', () => {
    expect(evidencePath('evidence/cockpit/signature.jsonl')).toBe('evidence/evidence/cockpit/signature.jsonl');
    expect(trustPath('keys/cosign.pub')).toBe('trust/keys/cosign.pub');
  });

  it('never leave the bundle, whatever the source path', () => {
    expect(evidencePath('../../etc/passwd')).toBe('evidence/_parent_/_parent_/etc/passwd');
    expect(trustPath('/abs/root.json')).toBe('trust/_root_/abs/root.json');
    expect(evidencePath('a\\..\\b.json')).toBe('evidence/a/_parent_/b.json');
    expect(evidencePath('./x//y')).toBe('evidence/x/y');
  });

  it('keep two roots with the same file name apart', () => {
    expect(trustPath('public/trusted_root.json')).not.toBe(trustPath('private/trusted_root.json'));
  });

  it('never map two distinct files to one path: a real _parent_ folder is not an escaped ..', () => {
    const sources = ['../x/policy.md', '_parent_/x/policy.md', '__parent_/x/policy.md', '/x/policy.md', 'x/policy.md', '_root_/x/policy.md'];
    const paths = sources.map(evidencePath);
    expect(new Set(paths).size).toBe(sources.length);
    expect(evidencePath('_parent_/x/policy.md')).toBe('evidence/__parent_/x/policy.md');
  });
});
