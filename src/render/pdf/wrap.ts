/**
 * A line of runs too long for its width, split into lines that each fit: at
 * the break opportunities pdfkit's own line wrapper uses (UAX #14, from the
 * same `linebreak` package) and by its rule (a word, with the spaces after
 * it, goes on the line while it fits), but once per distinct line and with
 * each run's width kept for drawing. pdfkit's wrapper instead measures every
 * word again each time a line is drawn, and again to know its height: on a
 * 1,000-image report that was a quarter of the render's allocations and a
 * seventh of its time, for the few thousand lines that wrap.
 *
 * A line with a word wider than the whole width is not split here: pdfkit's
 * wrapper, which cuts inside words, draws it (see rich.ts).
 */
import LineBreaker from 'linebreak';
import type { Line, Run } from './rich.js';
import type { Doc } from './text.js';

export interface SplitLine {
  runs: Line;
  /** Width of each run, in points at the size split for. */
  widths: number[];
}

/** `line` as lines that each fit `width` at `size`, or undefined when one of its words is wider than `width`. */
export function splitLine(doc: Doc, line: Line, size: number, width: number): SplitLine[] | undefined {
  const text = line.map((run) => run.text).join('');
  const breaker = new LineBreaker(text);
  const lines: SplitLine[] = [];
  let current: SplitLine = { runs: [], widths: [] };
  let used = 0;
  let start = 0;
  let forced = false;
  for (let bk = breaker.nextBreak(); bk !== null; bk = breaker.nextBreak()) {
    const pieces = slices(line, start, bk.position);
    const widths = pieces.map((piece) => doc.font(piece.font).fontSize(size).widthOfString(piece.text));
    const w = widths.reduce((a, b) => a + b, 0);
    if (w > width) return undefined;
    if ((used + w > width || forced) && current.runs.length > 0) {
      lines.push(current);
      current = { runs: [], widths: [] };
      used = 0;
    }
    pieces.forEach((piece, i) => append(current, piece, widths[i] ?? 0));
    used += w;
    start = bk.position;
    forced = bk.required;
  }
  if (current.runs.length > 0) lines.push(current);
  return lines;
}

/** The parts of `line`'s text from `start` to `end`, each in the style of the run it is from. */
function slices(line: Line, start: number, end: number): Run[] {
  const pieces: Run[] = [];
  let offset = 0;
  for (const run of line) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + run.text.length);
    if (from < to) pieces.push({ ...run, text: run.text.slice(from - offset, to - offset) });
    offset += run.text.length;
    if (offset >= end) break;
  }
  return pieces;
}

/** Adds a piece to a line, continuing its last run when the style is the same. */
function append(line: SplitLine, piece: Run, width: number): void {
  const last = line.runs.at(-1);
  if (last !== undefined && last.font === piece.font && last.colour === piece.colour && last.link === piece.link) {
    last.text += piece.text;
    line.widths[line.widths.length - 1] = (line.widths.at(-1) ?? 0) + width;
  } else {
    line.runs.push({ ...piece });
    line.widths.push(width);
  }
}
