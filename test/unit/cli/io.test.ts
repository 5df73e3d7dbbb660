import { describe, expect, it } from 'vitest';
import { makeProgress, plainProgress, progressIo, quietIo, terminalSafe, type CliIo } from '../../../src/cli/io.js';

function recorder(): { lines: string[]; line: (text: string) => void } {
  const lines: string[] = [];
  return { lines, line: (text) => lines.push(text) };
}

function io(): CliIo & { errs: string[]; progressed: string[] } {
  const errs: string[] = [];
  const progressed: string[] = [];
  return { out: () => {}, err: (line) => errs.push(line), progress: (message) => progressed.push(message), errs, progressed };
}

describe('plain progress (--progress plain: lines a log keeps)', () => {
  it('prints each step once, in order, and never the empty message that clears a live line', () => {
    const { lines, line } = recorder();
    const progress = plainProgress(line);
    for (const m of ['collect: Woodpecker exports', 'collect: Woodpecker exports', '', 'render json', 'render json', 'render pdf', 'seal']) progress(m);
    expect(lines).toEqual(['auditpack: collect: Woodpecker exports', 'auditpack: render json', 'auditpack: render pdf', 'auditpack: seal']);
  });

  it('prints a counted step on its first and last item and at each tenth: a dozen lines for 1,000 images, not 1,000', () => {
    const { lines, line } = recorder();
    const progress = plainProgress(line);
    for (let i = 1; i <= 1000; i++) progress(`verify ${i}/1000: image-${i}`);
    expect(lines).toEqual([
      'auditpack: verify 1/1000: image-1',
      ...[100, 200, 300, 400, 500, 600, 700, 800, 900].map((i) => `auditpack: verify ${i}/1000: image-${i}`),
      'auditpack: verify 1000/1000: image-1000',
    ]);
  });

  it('prints every item of a short count, and an item with several messages (one per sub-step) once', () => {
    const { lines, line } = recorder();
    const progress = plainProgress(line);
    for (let i = 1; i <= 3; i++) for (const step of ['manifest', 'signatures']) progress(`collect registry ${i}/3: repo-${i}: ${step}`);
    expect(lines).toEqual([
      'auditpack: collect registry 1/3: repo-1: manifest',
      'auditpack: collect registry 2/3: repo-2: manifest',
      'auditpack: collect registry 3/3: repo-3: manifest',
    ]);
  });

  it('starts counting again for the next counted step, and prints a count written without a name after it', () => {
    const { lines, line } = recorder();
    const progress = plainProgress(line);
    for (const m of ['collect 1/100: a', 'collect 2/100: b', 'verify 1/100: a', 'verify 2/100: b', 'verify 100/100']) progress(m);
    expect(lines).toEqual(['auditpack: collect 1/100: a', 'auditpack: verify 1/100: a', 'auditpack: verify 100/100']);
  });
});

describe('--progress and --quiet', () => {
  it('auto keeps the progress the command was given (a live line on a terminal, nothing otherwise); none drops it', () => {
    const given = io();
    progressIo(given, 'auto').progress('verify 1/2: a');
    expect(given.progressed).toEqual(['verify 1/2: a']);
    const none = io();
    progressIo(none, 'none').progress('verify 1/2: a');
    expect(none.progressed).toEqual([]);
    expect(none.errs).toEqual([]);
  });

  it('plain writes lines to stderr, also after --quiet silenced the live line', () => {
    const given = io();
    const quietPlain = progressIo(quietIo(given, true), 'plain');
    quietPlain.progress('render json');
    quietPlain.out('a summary line');
    expect(given.errs).toEqual(['auditpack: render json']);
    expect(given.progressed).toEqual([]);
    const quietAuto = io();
    progressIo(quietIo(quietAuto, true), 'auto').progress('render json');
    expect(quietAuto.errs).toEqual([]);
    expect(quietAuto.progressed).toEqual([]);
  });

  it('the live line is written only to a terminal', () => {
    const { lines, line } = recorder();
    makeProgress(line, false)('verify 1/2: a');
    expect(lines).toEqual([]);
    makeProgress(line, true)('verify 1/2: a');
    expect(lines).toEqual(['\r\x1b[2Kverify 1/2: a']);
  });
});

describe('terminalSafe: what the commands print cannot drive the terminal', () => {
  it('writes every control character but newline and tab, DEL, the C1 controls and the bidi overrides as \\uXXXX', () => {
    const hostile = 'x\u001b[2J\u001b]0;pwned\u0007\r\u007f\u009b1m\u202eexe.txt\u2066\u0000y';
    expect(terminalSafe(hostile)).toBe('x\\u001b[2J\\u001b]0;pwned\\u0007\\u000d\\u007f\\u009b1m\\u202eexe.txt\\u2066\\u0000y');
  });

  it('leaves newlines, tabs and ordinary text of any script as they are', () => {
    const text = 'évidence\tfichier 中文 ✓\nnext line';
    expect(terminalSafe(text)).toBe(text);
  });

  it('keeps JSON valid and equal: the characters JSON.stringify leaves raw come out as its own escapes', () => {
    const value = { name: 'a\u009bb\u202ec\u007f', plain: 'é\\"' };
    const printed = terminalSafe(JSON.stringify(value));
    expect(printed).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(printed)).toEqual(value);
  });

  it('applies to the live progress line, but not to its own rewrite of the line', () => {
    const { lines, line } = recorder();
    makeProgress(line, true)('verify 1/2: \u001b[8mhidden');
    expect(lines).toEqual(['\r\u001b[2Kverify 1/2: \\u001b[8mhidden']);
  });
});
