/**
 * CycloneDX 1.5 JSON documents as `syft scan -o cyclonedx-json@1.5` writes
 * them (syft 1.22.0): bom-refs are purls with a package-id qualifier,
 * provenance goes into syft:* properties, and a dependencies section links
 * packages that depend on each other.
 */
import type { Pkg } from './components.ts';
import { licenceFor, type Licence } from './licences.ts';
import { hashToUnit, prng, sha256Hex, uuidFrom } from './prng.ts';
import { isoSeconds } from './timeline.ts';

export interface SbomInput {
  image: string;
  repo: string;
  digest: string;
  layers: string[];
  pkgs: Pkg[];
  timestamp: number;
  /** Fault 3: drop licences and purls from most components. */
  sparse?: boolean;
}

type Json = Record<string, unknown>;

const DEB_ARCH_ALL = /^(adduser|base-passwd|ca-certificates|debconf|debian-archive-keyring|init-system-helpers|media-types|ncurses-base|netbase|perl-modules-5\.36|readline-common|sensible-utils|tzdata|ucf|usr-is-merged|libaudit-common|libsemanage-common|krb5-locales|libldap-common|fonts-.*|.*-data|.*-common|java-common|ca-certificates-java|python3-.*|lib.*-perl|locales|git-man|pandoc-data|libsensors-config|x11-common|alsa-.*|libjson-perl|ssl-cert)$/;

const MAINTAINERS: Record<string, string> = {
  libc6: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
  'libc-bin': 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
  apt: 'APT Development Team <deity@lists.debian.org>',
  dpkg: 'Dpkg Developers <debian-dpkg@lists.debian.org>',
  openssl: 'Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>',
  libssl3: 'Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>',
  bash: 'Matthias Klose <doko@debian.org>',
  'ca-certificates': 'Julien Cristau <jcristau@debian.org>',
  tzdata: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
  'base-files': 'Santiago Vila <sanvila@debian.org>',
};

/** purl per the package-url spec, as packageurl-go encodes it ("+" becomes %2B). */
export function purlOf(p: Pkg): string {
  const v = encodeURIComponent(p.version).replace(/%3A/g, ':');
  switch (p.ecosystem) {
    case 'deb':
      return `pkg:deb/debian/${p.name}@${v}?arch=${DEB_ARCH_ALL.test(p.name) ? 'all' : 'amd64'}&distro=debian-12`;
    case 'pypi':
      return `pkg:pypi/${p.name}@${v}`;
    case 'npm':
      return `pkg:npm/${p.name.replace(/^@/, '%40')}@${v}`;
    case 'maven':
      return `pkg:maven/${p.name.replace(':', '/')}@${v}`;
    case 'golang':
      return p.name === 'stdlib' ? `pkg:golang/stdlib@${v.replace(/^go/, '')}` : `pkg:golang/${p.name}@${v}`;
    case 'generic':
      return p.name === 'openjdk' ? `pkg:generic/oracle/openjdk@${v}` : `pkg:generic/${p.name}@${v}`;
  }
}

/** A CPE 2.3 formatted string; ":" and "+" in versions are escaped, as the spec requires. */
function cpeOf(p: Pkg): string {
  const part = (s: string): string => s.toLowerCase().replace(/[^a-z0-9._-]/g, '_');
  const version = p.version.replace(/^go/, '').replace(/([:+~])/g, '\\$1');
  const [vendor, product] =
    p.ecosystem === 'maven' ? (p.name.split(':') as [string, string])
    : p.ecosystem === 'golang' ? (p.name === 'stdlib' ? ['golang', 'go'] : [p.name.split('/')[1] ?? p.name, p.name.split('/').at(-1) ?? p.name])
    : p.ecosystem === 'pypi' ? [`python-${p.name}`, p.name]
    : p.name === 'node' ? ['nodejs', 'node.js']
    : p.name === 'python' ? ['python_software_foundation', 'python']
    : p.name === 'openjdk' ? ['oracle', 'openjdk']
    : [p.name.replace(/^@[^/]+\//, ''), p.name.replace(/^@[^/]+\//, '')];
  return `cpe:2.3:a:${part(vendor)}:${part(product)}:${version}:*:*:*:*:*:*:*`;
}

function licencesJson(l: Licence): Json[] {
  return 'expression' in l ? [{ expression: l.expression }] : l.ids.map((id) => ({ license: { id } }));
}

const METADATA_TYPE: Record<string, string> = {
  deb: 'dpkg-db-entry',
  python: 'python-package',
  npm: 'javascript-npm-package',
  'java-archive': 'java-archive',
  'go-module': 'go-module-buildinfo-entry',
  binary: 'binary-signature',
};

const LANGUAGE: Record<string, string> = { python: 'python', npm: 'javascript', 'java-archive': 'java', 'go-module': 'go' };

function properties(p: Pkg, layerId: string): Json[] {
  const props: [string, string][] = [
    ['syft:package:foundBy', p.cataloger],
    ...(LANGUAGE[p.syftType] ? [['syft:package:language', LANGUAGE[p.syftType] ?? ''] as [string, string]] : []),
    ['syft:package:type', p.syftType],
    ['syft:package:metadataType', METADATA_TYPE[p.syftType] ?? p.syftType],
    ['syft:location:0:layerID', layerId],
    ['syft:location:0:path', p.path],
  ];
  if (p.ecosystem === 'deb') props.push(['syft:metadata:installedSize', String(20 + Math.floor(hashToUnit(`size:${p.name}`) * 18_000))]);
  if (p.goVersion) props.push(['syft:metadata:architecture', 'amd64'], ['syft:metadata:goCompiledVersion', p.goVersion]);
  return props.map(([name, value]) => ({ name, value }));
}

function component(input: SbomInput, p: Pkg, packageId: string): Json {
  const drop = input.sparse === true && hashToUnit(`sparse:${p.ecosystem}:${p.name}`) < 0.8;
  const purl = drop ? undefined : purlOf(p);
  const isMaven = p.ecosystem === 'maven';
  const [group, artifact] = isMaven ? p.name.split(':') : [undefined, p.name];
  const c: Json = {
    'bom-ref': purl ? `${purl}${purl.includes('?') ? '&' : '?'}package-id=${packageId}` : packageId,
    type: 'library',
  };
  if (p.ecosystem === 'deb' && MAINTAINERS[p.name]) c.publisher = MAINTAINERS[p.name];
  if (group) c.group = group;
  c.name = artifact;
  c.version = p.version;
  if (isMaven || p.syftType === 'binary') c.hashes = [{ alg: 'SHA-256', content: sha256Hex(`blob:${input.image}:${p.path}`) }];
  // syft finds no licence for our own Go modules (no LICENSE file next to the binary's build info).
  if (!drop && !p.name.startsWith('git.akko-ai.com/')) c.licenses = licencesJson(licenceFor(p.ecosystem, p.name));
  c.cpe = cpeOf(p);
  if (purl) c.purl = purl;
  c.properties = properties(p, input.layers[p.layer] ?? input.layers[0] ?? '');
  return c;
}

/**
 * A sparse, acyclic graph: a package may depend on a few packages of the same
 * ecosystem listed before it in the same layer, mostly the early, basic ones.
 */
function dependencies(input: SbomInput, refs: string[]): Json[] {
  const r = prng(`deps:${input.image}`);
  const earlier = new Map<string, string[]>();
  const out: Json[] = [];
  input.pkgs.forEach((p, i) => {
    const key = `${p.ecosystem}:${p.layer}`;
    const before = earlier.get(key) ?? [];
    const ref = refs[i] ?? '';
    if (before.length >= 2 && r.chance(0.45)) {
      const targets = new Set<string>();
      for (let k = r.int(1, 3); k > 0; k--) targets.add(before[r.int(0, Math.min(before.length, 40) - 1)] ?? '');
      out.push({ ref, dependsOn: [...targets].sort() });
    }
    before.push(ref);
    earlier.set(key, before);
  });
  return out;
}

export function buildSbom(input: SbomInput): Json {
  const ids = input.pkgs.map((p) => sha256Hex(`package-id:${input.image}:${p.ecosystem}:${p.name}@${p.version}:${p.path}`).slice(0, 16));
  const components = input.pkgs.map((p, i) => component(input, p, ids[i] ?? ''));
  const refs = components.map((c) => String(c['bom-ref']));
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${uuidFrom(`sbom:${input.image}:${input.digest}`)}`,
    version: 1,
    metadata: {
      timestamp: isoSeconds(input.timestamp),
      tools: { components: [{ type: 'application', author: 'anchore', name: 'syft', version: '1.22.0' }] },
      component: { 'bom-ref': sha256Hex(`image:${input.digest}`).slice(0, 16), type: 'container', name: input.repo, version: input.digest },
    },
    components,
    dependencies: dependencies(input, refs),
  };
}
