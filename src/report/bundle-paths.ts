/**
 * Where the bundle keeps copies of input files: part of the report's
 * contract, since report.json names every evidence, trust and manual
 * document by its bundle path (collect, build and bundle assembly all use
 * this one mapping). Paths mirror the file's path
 * relative to the config folder, so an auditor finds them by name, but they
 * can never leave the bundle: `..` segments become `_parent_`, a leading root
 * becomes `_root_`, and Windows separators become `/`.
 *
 * The mapping is one-to-one, so two distinct files never share a bundle path:
 * a real folder named `_parent_` (or `__parent_`, `_root_`…) gains one more
 * leading underscore, so it cannot be mistaken for an escaped `..`.
 */
export function bundlePath(prefix: 'evidence' | 'trust', source: string): string {
  const rooted = /^([\\/]|[A-Za-z]:[\\/])/.test(source);
  const segments = source
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '_parent_' : ESCAPED.test(s) ? `_${s}` : s));
  return [prefix, ...(rooted ? ['_root_'] : []), ...segments].join('/');
}

/** Segments the mapping itself writes (`_parent_`, `_root_`), and literal names that look like them. */
const ESCAPED = /^_+(parent|root)_$/;

/** Where the bundle keeps the verbatim copy of an evidence file. */
export function evidencePath(source: string): string {
  return bundlePath('evidence', source);
}

/** Where the bundle keeps a copy of a trust file (key or trusted root). */
export function trustPath(source: string): string {
  return bundlePath('trust', source);
}
