/**
 * The packages syft finds in each image: which catalogs, where on disk, in
 * which layer and by which cataloger. The SBOM module turns these into
 * CycloneDX components.
 */
import { DEBIAN } from './catalog/debian.ts';
import { GOLANG } from './catalog/golang.ts';
import { MAVEN } from './catalog/maven.ts';
import { NPM } from './catalog/npm.ts';
import { PYPI } from './catalog/pypi.ts';
import { npmCliFor, type GoBinary, type ImageSpec } from './estate.ts';
import type { Ecosystem } from './licences.ts';

export interface Pkg {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** syft:location:0:path */
  path: string;
  /** syft:package:foundBy */
  cataloger: string;
  /** syft:package:type */
  syftType: string;
  /** Index into the image's layers. */
  layer: number;
  /** For binaries: the Go toolchain version (syft:metadata:goCompiledVersion). */
  goVersion?: string;
}

/** "name version" lines of a catalog block. */
export function parseCatalog(block: string): { name: string; version: string }[] {
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', version = ''] = line.trim().split(/\s+/);
      return { name, version };
    });
}

const RUNTIMES = {
  node: { name: 'node', version: '22.14.0', path: '/usr/local/bin/node' },
  python: { name: 'python', version: '3.12.10', path: '/usr/local/bin/python3.12' },
  openjdk: { name: 'openjdk', version: '17.0.15+6', path: '/usr/lib/jvm/java-17-openjdk-amd64/bin/java' },
} as const;

/**
 * Every package of an image, base-image packages first. Layer 0–1 are the
 * base image's; image-specific packages go to the image's own layers.
 */
export function packagesFor(spec: ImageSpec, layerCount: number): Pkg[] {
  const own = (k: number): number => Math.min(2 + k, layerCount - 1);
  const pkgs: Pkg[] = [...debPackages(spec, own)];
  const c = spec.contents;
  for (const rt of c.runtimes ?? []) {
    const r = RUNTIMES[rt];
    pkgs.push({ ecosystem: 'generic', name: r.name, version: r.version, path: r.path, cataloger: 'binary-classifier-cataloger', syftType: 'binary', layer: own(0) });
  }
  const cli = npmCliFor(spec);
  if (cli) pkgs.push(...npmPackages(cli.root, cli.groups, own(0)));
  if (c.pypi) {
    for (const { name, version } of c.pypi.groups.flatMap((g) => parseCatalog(PYPI[g]))) {
      const dist = `${name.replace(/-/g, '_')}-${version}.dist-info`;
      pkgs.push({ ecosystem: 'pypi', name, version, path: `${c.pypi.sitePackages}/${dist}/METADATA`, cataloger: 'python-installed-package-cataloger', syftType: 'python', layer: own(1) });
    }
  }
  if (c.npm) pkgs.push(...npmPackages(c.npm.root, c.npm.groups, own(2)));
  for (const [dir, groups] of Object.entries(c.jars ?? {})) {
    for (const { name, version } of groups.flatMap((g) => parseCatalog(MAVEN[g]))) {
      const artifact = name.split(':')[1] ?? name;
      pkgs.push({ ecosystem: 'maven', name, version, path: `${dir}/${artifact}-${version}.jar`, cataloger: 'java-archive-cataloger', syftType: 'java-archive', layer: own(1) });
    }
  }
  for (const bin of c.go ?? []) pkgs.push(...goPackages(bin, own(1)));
  return dedupe(pkgs);
}

function debPackages(spec: ImageSpec, own: (k: number) => number): Pkg[] {
  return spec.contents.deb.flatMap((group, g) =>
    parseCatalog(DEBIAN[group]).map(({ name, version }, i) => ({
      ecosystem: 'deb' as const,
      name,
      version,
      path: '/var/lib/dpkg/status',
      cataloger: 'dpkg-db-cataloger',
      syftType: 'deb',
      // bookworm-slim's packages are in the first base layer, the base image's additions in the second.
      layer: g === 0 ? (i < 88 ? 0 : 1) : own(0),
    })),
  );
}

function npmPackages(root: string, groups: readonly (keyof typeof NPM)[], layer: number): Pkg[] {
  return groups.flatMap((g) =>
    parseCatalog(NPM[g]).map(({ name, version }) => ({
      ecosystem: 'npm' as const,
      name,
      version,
      path: name === 'npm' ? `${root}/package.json` : `${root}/node_modules/${name}/package.json`,
      cataloger: 'javascript-package-cataloger',
      syftType: 'npm',
      layer,
    })),
  );
}

function goPackages(bin: GoBinary, layer: number): Pkg[] {
  const at = { path: bin.path, cataloger: 'go-module-binary-cataloger', syftType: 'go-module', layer, goVersion: bin.goVersion };
  // A main module reports "(devel)" until `withVcsVersion` knows the commit it was built from.
  const main: Pkg = { ecosystem: 'golang', name: bin.mainModule, version: '(devel)', ...at };
  const stdlib: Pkg = { ecosystem: 'golang', name: 'stdlib', version: bin.goVersion, ...at };
  const modules = bin.modules.flatMap((g) => parseCatalog(GOLANG[g])).map(({ name, version }): Pkg => ({ ecosystem: 'golang', name, version, ...at }));
  return [main, ...modules, stdlib];
}

/** syft reports a package once per location; the same name and version at one path is one package. */
function dedupe(pkgs: Pkg[]): Pkg[] {
  const seen = new Set<string>();
  return pkgs.filter((p) => {
    const key = p.ecosystem === 'deb' ? `deb:${p.name}` : `${p.ecosystem}:${p.name}@${p.version}:${p.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Our own Go binaries are built from the release commit, so their main module
 * carries a Go pseudo-version (v0.0.0-<UTC yyyymmddhhmmss>-<12 hex of the commit>).
 */
export function withVcsVersion(pkgs: Pkg[], commitTime: number, commit: string): Pkg[] {
  const stamp = new Date(commitTime * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return pkgs.map((p) =>
    p.ecosystem === 'golang' && p.name.startsWith('git.akko-ai.com/') ? { ...p, version: `v0.0.0-${stamp}-${commit.slice(0, 12)}` } : p,
  );
}
