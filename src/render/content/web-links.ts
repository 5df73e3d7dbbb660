/**
 * Links to the web: the sources the catalogs cite (EUR-Lex, the ANS, …).
 * Only an absolute http or https address becomes a link, in its normalised
 * form (the WHATWG URL parser's); anything else (`javascript:`, `data:`, a
 * relative path, text that is no address) stays text. Content marks the
 * span; each renderer checks the address again with `webUrl` before it
 * writes a link, so a report edited by hand cannot slip another scheme in.
 *
 * Only addresses our own catalogs give are linked: an address read from
 * evidence (a builder id, a predicate type) is shown as text, never offered
 * as a link an auditor might follow.
 */
import type { Span } from './blocks.js';

const SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

/** The address to link to, or undefined when `value` is not an absolute http(s) URL written without spaces or control characters. */
export function webUrl(value: string): string | undefined {
  // The parser quietly drops tabs and newlines inside a URL ("java\nscript:"): refuse them instead.
  if (value.trim() !== value || /[\s\u0000-\u001f\u007f]/u.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!SCHEMES.has(url.protocol) || url.hostname === '') return undefined;
  return url.href;
}

/** `address` as text, and as a link when it is a web address. */
export function webLink(address: string): Span {
  return webUrl(address) === undefined ? { text: address, muted: true } : { text: address, url: address };
}
