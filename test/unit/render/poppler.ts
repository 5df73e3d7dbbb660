/**
 * The PDF as an auditor's tools see it: poppler's pdftotext, pdfinfo and
 * pdffonts on a file on disk. Shared by the PDF unit tests and the end-to-end
 * reader tests. No test is skipped when poppler is missing: it fails and says
 * what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { expect } from 'vitest';

export function requirePoppler(): void {
  const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('poppler-utils is not installed (pdftotext, pdfinfo, pdffonts): run `apt-get install -y poppler-utils`');
  }
}

/** Runs a poppler tool; TZ fixed so that pdfinfo prints dates the same everywhere. */
export function poppler(tool: string, ...args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
}

/** Text per page (pdftotext separates pages with a form feed). */
export function pages(file: string, mode: '-layout' | '-raw' = '-layout'): string[] {
  const text = poppler('pdftotext', mode, file, '-');
  return text.split('\f').slice(0, -1);
}

/** True when a line of the page is exactly `text` (a heading), not just contains it. */
export const hasLine = (page: string, text: string) => page.split('\n').some((line) => line.trim() === text);

/** Whitespace-free text: wrapped lines and layout columns must not hide a string. */
export const squash = (s: string) => s.replace(/\s+/g, '');

export function pageCount(file: string): number {
  const match = /^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', file));
  return Number(match?.[1]);
}

export function info(file: string): Record<string, string> {
  const entries = poppler('pdfinfo', '-isodates', file)
    .split('\n')
    .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] ?? '', m[2] ?? ''] as const);
  return Object.fromEntries(entries);
}

/** The XMP packet; pdfkit writes it uncompressed. */
export function xmpPacket(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  const start = text.indexOf('<?xpacket begin');
  const end = text.indexOf('<?xpacket end');
  expect(start, 'XMP packet present').toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, text.indexOf('?>', end) + 2);
}

/**
 * A strict well-formedness check for the XMP subset pdfkit writes: balanced
 * tags, quoted attributes, no bare `&` or `<` in text. (No XML parser is a
 * dependency of the project; this is enough to catch unescaped metadata.)
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<&]*"|'[^'<&]*'))*)\s*(\/?)>$/;
  for (const token of xml.match(/<[^>]*>|[^<]+/g) ?? []) {
    if (token.startsWith('<?') || token.startsWith('<!--')) continue;
    if (token.startsWith('<')) {
      const m = tag.exec(token);
      if (!m) {
        problems.push(`bad tag ${token}`);
        continue;
      }
      const [, closing, name = '', , selfClosing] = m;
      if (closing) {
        if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
      } else if (!selfClosing) {
        stack.push(name);
      }
    } else if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(token)) {
      problems.push(`bare & in ${JSON.stringify(token.trim())}`);
    }
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  return problems;
}

/** Words whose box crosses the left or right margin (50 pt), from pdftotext -bbox. */
export function wordsOutsideMargins(file: string): string[] {
  const html = poppler('pdftotext', '-bbox', file, '-');
  const width = Number(/<page width="([\d.]+)"/.exec(html)?.[1]);
  const outside: string[] = [];
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)) {
    if (Number(m[1]) < 49 || Number(m[2]) > width - 49) outside.push(m[3] ?? '');
  }
  return outside;
}

/** The text of the pages from the one with the line `title` up to (not including) the one with the line `next`; the end when `next` is absent. */
export function pagesOf(pageTexts: readonly string[], title: string, next?: string): string {
  const start = pageTexts.findIndex((page) => hasLine(page, title));
  expect(start, `a page with the line “${title}”`).toBeGreaterThanOrEqual(0);
  const end = next === undefined ? -1 : pageTexts.findIndex((page, i) => i > start && hasLine(page, next));
  return pageTexts.slice(start, end < 0 ? undefined : end).join('\n');
}
