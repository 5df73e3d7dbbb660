/**
 * Where the bundle keeps copies of input files. Paths mirror the file's path
 * relative to the config folder, so an auditor finds them by name, but they
 * can never leave the bundle: `..` segments become `_parent_`, absolute
 * paths lose their root, and Windows separators become `/`.
 */
export function bundlePath(prefix: 'evidence' | 'trust', source: string): string {
  const segments = source
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '_parent_' : s));
  return [prefix, ...segments].join('/');
}

/** Where the bundle keeps the verbatim copy of an evidence file. */
export function evidencePath(source: string): string {
  return bundlePath('evidence', source);
}

/** Where the bundle keeps a copy of a trust file (key or trusted root). */
export function trustPath(source: string): string {
  return bundlePath('trust', source);
}
