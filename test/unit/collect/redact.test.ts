import { describe, expect, it } from 'vitest';
import { redactLogLines, redactText } from '../../../src/collect/redact.js';
import { redactJsonAnswer, redactLogAnswer } from '../../../src/collect/woodpecker-api/redact-answer.js';

const none = { variables: [] };
const text = (s: string, variables: string[] = []) => redactText(s, { variables });
const log = (lines: string[], variables: string[] = []) => {
  const r = redactLogLines(
    lines.map((l) => Buffer.from(l, 'latin1')),
    { variables },
  );
  return { lines: r.lines.map((b) => b.toString('latin1')), redactions: r.redactions };
};

describe('secret redaction', () => {
  it('redacts passwords, secrets, tokens and keys in assignments, keeping the name', () => {
    expect(text('export REGISTRY_PASSWORD=hunter2').text).toBe('export REGISTRY_PASSWORD=[REDACTED:secret-assignment]');
    expect(text('client_secret: "abc def"').text).toBe('client_secret: [REDACTED:secret-assignment]');
    expect(text('{"apiKey":"k-123"}').text).toBe('{"apiKey":[REDACTED:secret-assignment]}');
    expect(text('--access-key=AKIAIOSFODNN7EXAMPLE').rules).toEqual(expect.arrayContaining(['token']));
  });

  it('leaves masked values, variable references and empty values alone', () => {
    for (const line of ['password=********', 'TOKEN=$CI_TOKEN', 'password: ${SECRET}', 'password=""'])
      expect(text(line), line).toEqual({ text: line, rules: [] });
  });

  it('redacts Authorization headers, passwords in URLs and well-known token formats', () => {
    expect(text('Authorization: Basic dXNlcjpwYXNz').text).toBe('Authorization: Basic [REDACTED:authorization]');
    expect(text('git clone https://ci:glpat-abcdefghij0123456789@git.example/x.git').text).toBe(
      'git clone https://ci:[REDACTED:url-credentials]@git.example/x.git',
    );
    expect(text('using ghp_0123456789abcdefghijklmnopqrstuvwxyzAB now').text).toBe('using [REDACTED:token] now');
    expect(text('jwt eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyb2JvdCJ9.c2lnbmF0dXJlLWJ5dGVz').text).toBe('jwt [REDACTED:token]');
  });

  it('redacts the values of variables the user names, whatever their name looks like', () => {
    expect(text('DEPLOY_ID=abc123 other=1', ['DEPLOY_ID'])).toEqual({ text: 'DEPLOY_ID=[REDACTED:variable] other=1', rules: ['variable:DEPLOY_ID'] });
  });

  it('never touches what the checks read: image digests, cosign commands naming key variables, warnings', () => {
    for (const line of [
      'Pushed harbor.akko-ai.com/akko/cockpit@sha256:d62481acfcbae4fdddf9c85ab206eee837c2dadc27ba0619e826307575607697',
      '+ cosign sign --yes --key env://COSIGN_PRIVATE_KEY harbor.akko-ai.com/akko/cockpit@sha256:d62481acfcbae4fdddf9c85ab206eee837c2dadc27ba0619e826307575607697',
      'WARN: cosign sign failed for harbor.akko-ai.com/akko/notebook-full; continuing (best-effort, see ADR-032)',
      'tlog entry created with index: 118226',
    ]) {
      expect(text(line), line).toEqual({ text: line, rules: [] });
    }
  });

  it('redacts a private key printed over several log lines, BEGIN through END, and what follows is kept', () => {
    const r = log([
      'before',
      'key: -----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAA',
      'AAAABG5vbmUAAAAEbm9uZQ==',
      '-----END OPENSSH PRIVATE KEY----- done',
      'after',
    ]);
    expect(r.lines).toEqual([
      'before',
      'key: [REDACTED:private-key]',
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
      '[REDACTED:private-key] done',
      'after',
    ]);
    expect(r.redactions.map((x) => x.line)).toEqual([1, 2, 3, 4]);
  });

  it('redacts to the end of the log a private key that never ends (fail closed)', () => {
    expect(log(['-----BEGIN PRIVATE KEY-----', 'MIGHAgEAMBMGByqGSM49', 'more']).lines).toEqual([
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
    ]);
  });

  it('redacts a whole key block within one line (escaped newlines)', () => {
    expect(text('KEY="-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE\\n-----END EC PRIVATE KEY-----" next').text).toBe('KEY="[REDACTED:private-key]" next');
  });

  it('keeps every byte of a line that needs nothing redacted, UTF-8 or not', () => {
    const raw = Buffer.from([0xff, 0xfe, 0x41, 0xc3, 0x28, 0x80]);
    const r = redactLogLines([raw, Buffer.from('password=x\xff', 'latin1')], none);
    expect(r.lines[0]).toBe(raw);
    expect(r.lines[1]?.toString('latin1')).toBe('password=[REDACTED:secret-assignment]');
  });
});

describe('redacting Woodpecker answers', () => {
  const answer = (json: unknown) => ({ bytes: Buffer.from(JSON.stringify(json)), json });

  it('keeps an answer with nothing to redact byte for byte, without a record', () => {
    const bytes = Buffer.from('{"number": 7,  "status":"success"}');
    const r = redactJsonAnswer('pipelines/7.json', { bytes, json: JSON.parse(bytes.toString()) }, none);
    expect(r.bytes).toBe(bytes);
    expect(r.record).toBeUndefined();
  });

  it('redacts environ values named like secrets or named by the user, recording the JSON path and the original digest', () => {
    const original = answer({ number: 7, workflows: [{ environ: { IMAGE: 'cockpit', REGISTRY_TOKEN: 'abc', DEPLOY_ID: 'x' } }] });
    const r = redactJsonAnswer('pipelines/7.json', original, { variables: ['DEPLOY_ID'] });
    expect(JSON.parse(r.bytes.toString())).toEqual({
      number: 7,
      workflows: [{ environ: { IMAGE: 'cockpit', REGISTRY_TOKEN: '[REDACTED:secret-assignment]', DEPLOY_ID: '[REDACTED:variable]' } }],
    });
    expect(r.record?.redactions).toEqual([
      { path: '/workflows/0/environ/REGISTRY_TOKEN', rules: ['secret-assignment'] },
      { path: '/workflows/0/environ/DEPLOY_ID', rules: ['variable:DEPLOY_ID'] },
    ]);
    expect(r.record?.original.size).toBe(original.bytes.length);
  });

  it('redacts log entries in line order, leaving the other entries exactly as served', () => {
    const entries = [
      { id: 2, line: 1, data: Buffer.from('MIGHAgEA').toString('base64') },
      { id: 1, line: 0, data: Buffer.from('-----BEGIN PRIVATE KEY-----').toString('base64') },
      { id: 3, line: 2, data: Buffer.from('-----END PRIVATE KEY-----').toString('base64') },
      { id: 4, line: 3, data: Buffer.from([0xff, 0x00]).toString('base64') },
    ];
    const r = redactLogAnswer('logs/1/2.json', answer(entries), none);
    const out = JSON.parse(r?.bytes.toString() ?? '[]') as { line: number; data: string }[];
    expect(out.map((e) => Buffer.from(e.data, 'base64').toString('latin1'))).toEqual([
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
      '\xff\x00',
    ]);
    expect(out[3]?.data).toBe(entries[3]?.data);
    expect(r?.record?.redactions.map((x) => 'line' in x && x.line)).toEqual([0, 1, 2]);
  });

  it('refuses an answer that is not a list of log entries', () => {
    expect(redactLogAnswer('logs/1/2.json', answer({ message: 'oops' }), none)).toBeUndefined();
  });
});
