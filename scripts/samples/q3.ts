/**
 * The AKKO estate one quarter later: the July 2026 release train, reported on
 * for 2026-Q3, so that two consecutive quarterly reports can be compared
 * (`auditpack diff`, `report --previous`). Every image is rebuilt (new
 * digests, signed and attested in July, so its evidence falls in Q3), and:
 *
 * - notebook-full is signed again (fault 1 fixed); its expired waiver
 *   WVR-2026-002 is dropped from the waiver file;
 * - mcp-openmetadata gets a fresh attestation (fault 2 fixed);
 * - docs still has a thin SBOM (fault 3), still waived: WVR-2026-007 runs to
 *   30 September, the last day of Q3, so it is in force at the period's end;
 * - spark's signature is refused by the registry this time (a new failure),
 *   under a new waiver WVR-2026-019 that expired on 31 August;
 * - mcp-trino is retired and superset is added;
 * - ai-service gains the RAG libraries (components and licences added), and
 *   the Go services' own modules carry the new commit (versions changed).
 */
import { IMAGES, type ImageSpec } from './estate.ts';
import { WAIVERS_YAML } from './governance.ts';
import { utc } from './timeline.ts';
import type { Release } from './write-estate.ts';

const DOCS_WAIVER = WAIVERS_YAML.slice(WAIVERS_YAML.indexOf('  - id: WVR-2026-007'), WAIVERS_YAML.indexOf('  - id: WVR-2026-002'));

export const Q3_WAIVERS_YAML = `# Waivers for the AKKO sample estate (demo), third quarter of 2026.
waivers:
${DOCS_WAIVER}  - id: WVR-2026-019
    scope: { image: spark, check: signature.verified }
    justification: Re-signing after the registry outage of July was promised before the end of August.
    approver: Claire Martin (CISO, demo)
    ticket: SEC-1240
    start: "2026-07-20"
    expires: "2026-08-31"
`;

export const JULY_2026: Release = {
  tag: '2026.07',
  build: 'release-2026.07',
  period: '2026-Q3',
  firstPipeline: utc('2026-07-14T07:30:00Z'),
  firstPipelineNumber: 1301,
  ids: { pipeline: 5_540, workflow: 11_090, step: 50_420, logEntry: 9_980_000, agent: 3 },
  logIndexes: { start: 131_900, seed: 'rekor-log-index:2026.07' },
  commitSeed: (name) => `commit:${name}:2026.07`,
  waiversYaml: Q3_WAIVERS_YAML,
};

const PY = '/usr/local/lib/python3.12/site-packages';
const SUPERSET: ImageSpec = {
  name: 'superset',
  extraLayers: 6,
  contents: { deb: ['base', 'python'], pypi: { sitePackages: '/app/.venv/lib/python3.12/site-packages', groups: ['tooling', 'web', 'datasci'] }, runtimes: ['python'] },
};

/** The estate's images in July: the sample's, changed as described above. */
export function q3Images(): ImageSpec[] {
  const images = IMAGES.filter((spec) => spec.name !== 'mcp-trino').map((spec): ImageSpec => {
    const { signFailed: _fixed, staleAttestation: _alsoFixed, ...rebuilt } = spec;
    if (spec.name === 'spark') return { ...rebuilt, signFailed: true };
    if (spec.name === 'ai-service') return { ...rebuilt, contents: { ...rebuilt.contents, pypi: { sitePackages: PY, groups: ['tooling', 'web', 'llm', 'rag'] } } };
    return rebuilt;
  });
  return [...images, SUPERSET];
}
