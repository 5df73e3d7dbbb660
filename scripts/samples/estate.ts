/**
 * The AKKO sample estate: 16 images, what each one is built from, and the
 * three injected faults. Everything else in the generator derives from this.
 */
import type { DEBIAN } from './catalog/debian.ts';
import type { GOLANG } from './catalog/golang.ts';
import type { MAVEN } from './catalog/maven.ts';
import type { NPM } from './catalog/npm.ts';
import type { PYPI } from './catalog/pypi.ts';

export const REGISTRY = 'harbor.akko-ai.com';
export const PROJECT = 'akko';
export const TAG = '2026.04';
/** The sample's build platform, Woodpecker agents run by AKKO: the SLSA builder id its provenance names and the config expects. */
export const BUILDER_ID = 'https://ci.akko-ai.com/woodpecker';
export const BASE_IMAGE = `${REGISTRY}/${PROJECT}/base:${TAG}`;

/** A Go program found in the image, with the modules it was built from. */
export interface GoBinary {
  path: string;
  mainModule: string;
  goVersion: string;
  modules: (keyof typeof GOLANG)[];
}

/** What syft finds in an image, as groups of the catalogs. */
export interface Contents {
  deb: (keyof typeof DEBIAN)[];
  pypi?: { sitePackages: string; groups: (keyof typeof PYPI)[] };
  npm?: { root: string; groups: (keyof typeof NPM)[] };
  /** Jar folders: path → catalog groups. */
  jars?: Record<string, (keyof typeof MAVEN)[]>;
  go?: GoBinary[];
  /** Runtimes syft's binary classifier recognises (node, python, java). */
  runtimes?: ('node' | 'python' | 'openjdk')[];
}

export interface ImageSpec {
  name: string;
  /** Number of image layers on top of the two base layers. */
  extraLayers: number;
  contents: Contents;
  /** Fault 1: `cosign sign` failed (registry 503) but the step stayed green. */
  signFailed?: boolean;
  /** Fault 2: the attestation was re-used from the previous build. */
  staleAttestation?: boolean;
  /** Fault 3: the SBOM lacks licences and purls for most components. */
  sparseSbom?: boolean;
  /**
   * Its signature is exported as cosign's `.sig` OCI manifest and the payload
   * blob of its layer (`crane manifest`, `crane blob`) instead of the output
   * of `cosign download signature`: both shapes occur in real estates.
   */
  signatureAsManifest?: boolean;
  /**
   * Its release pipeline also attests SLSA v1 build provenance (`cosign attest
   * --type slsaprovenance1`), the signed custody record; the others rely on the
   * unsigned CI exports.
   */
  provenance?: boolean;
}

const PY = '/usr/local/lib/python3.12/site-packages';
const NODE_NPM = { root: '/usr/local/lib/node_modules/npm', groups: ['npmCli'] as (keyof typeof NPM)[] };

export const IMAGES: ImageSpec[] = [
  { name: 'cockpit', provenance: true, extraLayers: 6, contents: { deb: ['base'], npm: { root: '/app', groups: ['cockpit'] }, runtimes: ['node'] } },
  { name: 'ai-service', provenance: true, extraLayers: 5, contents: { deb: ['base', 'python'], pypi: { sitePackages: PY, groups: ['tooling', 'web', 'llm'] }, runtimes: ['python'] } },
  { name: 'mlflow', extraLayers: 5, contents: { deb: ['base', 'python'], pypi: { sitePackages: PY, groups: ['tooling', 'web', 'ml', 'mlflow'] }, runtimes: ['python'] } },
  { name: 'airflow', provenance: true, extraLayers: 9, contents: { deb: ['base', 'python'], pypi: { sitePackages: '/home/airflow/.local/lib/python3.12/site-packages', groups: ['tooling', 'web', 'airflow'] }, runtimes: ['python'] } },
  {
    name: 'trino',
    provenance: true,
    extraLayers: 8,
    signatureAsManifest: true,
    contents: {
      deb: ['base', 'java'],
      jars: {
        '/usr/lib/trino/lib': ['trinoServer'],
        '/usr/lib/trino/plugin/iceberg': ['trinoPluginCommon', 'trinoIceberg'],
        '/usr/lib/trino/plugin/hive': ['trinoPluginCommon', 'trinoIceberg'],
        '/usr/lib/trino/plugin/postgresql': ['trinoPluginCommon', 'trinoPostgres'],
        '/usr/lib/trino/plugin/tpch': ['trinoPluginCommon', 'trinoTpch'],
        '/usr/lib/trino/plugin/memory': ['trinoPluginCommon', 'trinoMemory'],
        '/usr/lib/trino/plugin/blackhole': ['trinoPluginCommon', 'trinoBlackhole'],
      },
      runtimes: ['openjdk'],
    },
  },
  { name: 'aden', extraLayers: 4, contents: { deb: ['base', 'python'], pypi: { sitePackages: PY, groups: ['tooling', 'web', 'llm'] }, runtimes: ['python'] } },
  { name: 'akko-rag', extraLayers: 6, contents: { deb: ['base', 'python'], pypi: { sitePackages: PY, groups: ['tooling', 'web', 'llm', 'rag'] }, runtimes: ['python'] } },
  {
    name: 'postgres',
    extraLayers: 7,
    contents: { deb: ['base', 'postgres'], go: [{ path: '/usr/local/bin/gosu', mainModule: 'github.com/tianon/gosu', goVersion: 'go1.18.2', modules: ['gosu'] }] },
  },
  {
    name: 'spark',
    extraLayers: 7,
    contents: { deb: ['base', 'java'], jars: { '/opt/spark/jars': ['spark'] }, pypi: { sitePackages: '/usr/lib/python3/dist-packages', groups: ['spark'] }, runtimes: ['openjdk'] },
  },
  {
    name: 'catalog-manager',
    extraLayers: 3,
    contents: { deb: ['base'], go: [{ path: '/usr/local/bin/catalog-manager', mainModule: 'git.akko-ai.com/akko/akko/services/catalog-manager', goVersion: 'go1.24.2', modules: ['catalogManager'] }] },
  },
  { name: 'dbt', extraLayers: 4, contents: { deb: ['base', 'python'], pypi: { sitePackages: PY, groups: ['tooling', 'dbt'] }, runtimes: ['python'] } },
  {
    name: 'mcp-trino',
    extraLayers: 3,
    contents: { deb: ['base'], go: [{ path: '/usr/local/bin/mcp-trino', mainModule: 'git.akko-ai.com/akko/akko/mcp/mcp-trino', goVersion: 'go1.24.2', modules: ['mcpCommon', 'mcpTrino'] }] },
  },
  {
    name: 'mcp-openmetadata',
    extraLayers: 3,
    staleAttestation: true,
    contents: { deb: ['base'], go: [{ path: '/usr/local/bin/mcp-openmetadata', mainModule: 'git.akko-ai.com/akko/akko/mcp/mcp-openmetadata', goVersion: 'go1.24.1', modules: ['mcpCommon', 'mcpOpenMetadata'] }] },
  },
  { name: 'docs', extraLayers: 4, sparseSbom: true, contents: { deb: ['base'], npm: { root: '/srv/docs', groups: ['docs'] }, runtimes: ['node'] } },
  { name: 'notebook-slim', extraLayers: 6, contents: { deb: ['base', 'python', 'notebook'], pypi: { sitePackages: PY, groups: ['tooling', 'ml', 'jupyter'] }, runtimes: ['python'] } },
  {
    name: 'notebook-full',
    extraLayers: 10,
    signFailed: true,
    contents: {
      deb: ['base', 'python', 'notebook', 'notebookFull'],
      pypi: { sitePackages: PY, groups: ['tooling', 'web', 'ml', 'jupyter', 'llm', 'rag', 'datasci'] },
      npm: { root: '/usr/local/share/jupyter/lab/staging', groups: ['jupyterlab', 'popular'] },
      runtimes: ['python'],
    },
  },
];

/** The images that run node also carry npm's own bundled packages. */
export function npmCliFor(spec: ImageSpec): typeof NODE_NPM | undefined {
  return spec.contents.runtimes?.includes('node') ? NODE_NPM : undefined;
}

export const imageRepo = (name: string): string => `${REGISTRY}/${PROJECT}/${name}`;
export const imageRef = (name: string, tag: string = TAG): string => `${imageRepo(name)}:${tag}`;
