// Writes src/report/report.schema.json, the published JSON Schema of the report
// model (src/report/model.ts). Kept as code so enums come from one place; a
// contract test checks that generated reports validate and that this output is
// what is committed.
import { writeFileSync } from 'node:fs';

const str = { type: 'string' };
const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const iso = { type: 'string', format: 'date-time' };
const int = { type: 'integer', minimum: 0 };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };
const obj = (required, properties, optional = {}) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties: { ...properties, ...optional },
});
const counts = (keys) => obj(keys, Object.fromEntries(keys.map((k) => [k, int])));

const findingStatus = ['pass', 'fail', 'error', 'not-applicable'];
const controlStatus = ['supported', 'partially-supported', 'not-supported', 'not-assessed', 'not-applicable'];
const evidenceKind = ['image-manifest', 'cosign-verify-output', 'cosign-signature', 'dsse-attestation', 'sbom', 'pipeline-run', 'pipeline-log', 'public-key', 'trusted-root', 'unrecognised'];

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://auditpack.dev/schema/report-1.0.0.json',
  title: 'auditpack report',
  description: 'The report model: the one contract between the auditpack engine and its renderers.',
  ...obj(['reportFormat', 'schemaVersion', 'generator', 'run', 'trust', 'summary', 'subjects', 'findings', 'frameworks', 'evidence', 'problems'], {
    reportFormat: { const: 'auditpack-report' },
    schemaVersion: { const: '1.0.0' },
    generator: obj(['name', 'version', 'libraries'], { name: str, version: str, libraries: strMap }),
    run: obj(['organisation', 'generatedAt', 'period', 'configSha256', 'frameworks'], {
      organisation: str,
      generatedAt: iso,
      period: obj(['label', 'start', 'end', 'zone'], { label: { type: 'string', pattern: '^[0-9]{4}-Q[1-4]$' }, start: iso, end: iso, zone: str }),
      configSha256: hex64,
      frameworks: { type: 'array', items: str },
    }),
    trust: obj(['keys'], {
      keys: { type: 'array', items: obj(['id', 'path', 'fingerprint', 'algorithm'], { id: str, path: str, fingerprint: hex64, algorithm: str }, { validFrom: iso, validUntil: iso }) },
    }, { trustedRoot: obj(['path', 'sha256', 'tlogs'], { path: str, sha256: hex64, tlogs: int }) }),
    summary: obj(['verdict', 'subjects', 'findings', 'controls', 'problems'], {
      verdict: { enum: ['pass', 'fail'] },
      subjects: counts(['total', 'verified', 'withFailures', 'withErrors']),
      findings: counts(findingStatus),
      controls: counts(controlStatus),
      problems: int,
    }),
    subjects: {
      type: 'array',
      items: obj(['id', 'ref', 'digest', 'status', 'headlines'], {
        id: str,
        ref: str,
        digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
        status: { enum: ['verified', 'failed', 'incomplete'] },
        headlines: { type: 'array', items: str },
      }),
    },
    findings: {
      type: 'array',
      items: obj(['id', 'checkId', 'checkTitle', 'subject', 'status', 'message', 'details', 'evidence'], {
        id: str,
        checkId: str,
        checkTitle: str,
        subject: str,
        status: { enum: findingStatus },
        message: str,
        details: strMap,
        evidence: { type: 'array', items: hex64 },
      }, { code: { type: 'string', pattern: '^[A-Z_]+$' }, quotes: { type: 'array', items: str } }),
    },
    frameworks: {
      type: 'array',
      items: obj(['id', 'title', 'version', 'source', 'applicability', 'controls'], {
        id: str,
        title: str,
        version: str,
        source: str,
        applicability: str,
        controls: {
          type: 'array',
          items: obj(['id', 'citation', 'title', 'paraphrase', 'source', 'status', 'coverage', 'support', 'notCovered', 'findings'], {
            id: str,
            citation: str,
            title: str,
            paraphrase: str,
            source: str,
            status: { enum: controlStatus },
            coverage: counts(['passed', 'total']),
            support: { type: 'array', items: obj(['checkId', 'strength', 'reasoning'], { checkId: str, strength: { enum: ['full', 'partial', 'supporting'] }, reasoning: str }) },
            notCovered: { type: 'array', items: str },
            findings: { type: 'array', items: str },
          }),
        },
      }),
    },
    evidence: {
      type: 'array',
      items: obj(['sha256', 'kind', 'source', 'path', 'size'], {
        sha256: hex64,
        kind: { enum: evidenceKind },
        source: str,
        path: str,
        size: int,
      }, { subject: str, dated: obj(['at', 'what', 'inPeriod'], { at: iso, what: str, inPeriod: { type: 'boolean' } }) }),
    },
    problems: { type: 'array', items: obj(['code', 'file', 'reason'], { code: str, file: str, reason: str }, { subject: str }) },
  }),
};

writeFileSync(new URL('../src/report/report.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
