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
const controlStatus = ['supported', 'partially-supported', 'relevant-not-sufficient', 'not-supported', 'not-assessed', 'not-applicable'];
const evidenceKind = ['image-manifest', 'cosign-verify-output', 'cosign-signature', 'dsse-attestation', 'sigstore-bundle', 'simple-signing-payload', 'oci-layout', 'oci-blob', 'sbom', 'pipeline-run', 'pipeline-log', 'public-key', 'trusted-root', 'manual-document', 'waiver-file', 'unrecognised'];
const strength = { enum: ['full', 'partial', 'supporting'] };

const periodLabel = { type: 'string', pattern: '^([0-9]{4}(-(Q[1-4]|H[12]))?|[0-9]{4}-[0-9]{2}-[0-9]{2}\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2})$' };
const digest = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' };
const subjectStatus = { enum: ['verified', 'failed', 'incomplete'] };
const list = (items) => ({ type: 'array', items });
const strList = list(str);

// `changes` (src/history/diff-model.ts): what changed since the previous period's report.
const side = obj(['organisation', 'period', 'start', 'end', 'generatedAt', 'schemaVersion', 'configSha256', 'verdict', 'images', 'verified'], {
  organisation: str, period: periodLabel, start: iso, end: iso, generatedAt: iso, schemaVersion: str, configSha256: hex64, verdict: { enum: ['pass', 'fail'] }, images: int, verified: int,
});
const diffImage = obj(['id', 'ref', 'digest', 'status'], { id: str, ref: str, digest, status: subjectStatus });
const refDigest = obj(['ref', 'digest'], { ref: str, digest });
const findingChange = obj(['id', 'checkId', 'subject', 'message'], { id: str, checkId: str, subject: str, message: str }, { old: { enum: findingStatus }, new: { enum: findingStatus }, code: str });
const controlState = obj(['status', 'passed', 'total'], { status: { enum: controlStatus }, passed: int, total: int });
const packageVersions = obj(['package', 'versions'], { package: str, versions: strList });
const sbomState = obj(['grade', 'components'], { grade: str, components: int });
const waiverBrief = obj(['id', 'scope', 'start', 'expires', 'inForce', 'expired', 'covers'], {
  id: str, scope: obj([], {}, { image: str, digest: str, check: str, control: str }), start: str, expires: str, inForce: { type: 'boolean' }, expired: { type: 'boolean' }, covers: int,
});
const catalogVersion = obj(['id', 'version'], { id: str, version: str });
const changes = obj(['old', 'new', 'images', 'findings', 'controls', 'waivers', 'catalogs', 'regression', 'changed'], {
  old: side,
  new: side,
  images: obj(['added', 'removed', 'changed', 'status'], {
    added: list(diffImage),
    removed: list(diffImage),
    changed: list(obj(['id', 'old', 'new'], { id: str, old: refDigest, new: refDigest })),
    status: list(obj(['id', 'old', 'new', 'worse'], { id: str, old: subjectStatus, new: subjectStatus, worse: { type: 'boolean' } })),
  }),
  findings: obj(['newFailures', 'fixed', 'otherChanges'], { newFailures: list(findingChange), fixed: list(findingChange), otherChanges: list(findingChange) }),
  controls: list(obj(['framework', 'control', 'citation', 'worse'], { framework: str, control: str, citation: str, worse: { type: 'boolean' } }, { old: controlState, new: controlState })),
  waivers: obj(['added', 'removed', 'expired', 'changed'], {
    added: list(waiverBrief),
    removed: list(waiverBrief),
    expired: list(waiverBrief),
    changed: list(obj(['id', 'old', 'new'], { id: str, old: waiverBrief, new: waiverBrief })),
  }),
  catalogs: obj(['added', 'removed', 'changed'], {
    added: list(catalogVersion),
    removed: list(catalogVersion),
    changed: list(obj(['id', 'oldVersion', 'newVersion'], { id: str, oldVersion: str, newVersion: str })),
  }),
  regression: { type: 'boolean' },
  changed: { type: 'boolean' },
}, {
  components: list(obj(['subject', 'added', 'removed', 'versions', 'licencesAdded', 'licencesRemoved'], {
    subject: str,
    added: list(packageVersions),
    removed: list(packageVersions),
    versions: list(obj(['package', 'old', 'new'], { package: str, old: strList, new: strList })),
    licencesAdded: strList,
    licencesRemoved: strList,
  }, { sbom: obj(['old', 'new'], { old: sbomState, new: sbomState }) })),
});

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://auditpack.dev/schema/report-1.3.0.json',
  title: 'auditpack report',
  description: 'The report model: the one contract between the auditpack engine and its renderers.',
  ...obj(['reportFormat', 'schemaVersion', 'generator', 'run', 'trust', 'summary', 'subjects', 'findings', 'frameworks', 'evidence', 'problems', 'claims', 'manualEvidence', 'waivers', 'crosswalk', 'sboms'], {
    reportFormat: { const: 'auditpack-report' },
    schemaVersion: { const: '1.3.0' },
    generator: obj(['name', 'version', 'libraries'], { name: str, version: str, libraries: strMap }),
    run: obj(['organisation', 'generatedAt', 'period', 'configSha256', 'frameworks', 'profile'], {
      organisation: str,
      generatedAt: iso,
      period: obj(['label', 'start', 'end', 'zone'], { label: periodLabel, start: iso, end: iso, zone: str }),
      configSha256: hex64,
      frameworks: { type: 'array', items: str },
      profile: { type: 'array', items: str },
    }),
    trust: obj(['keys'], {
      keys: { type: 'array', items: obj(['id', 'path', 'fingerprint', 'algorithm'], { id: str, path: str, fingerprint: hex64, algorithm: str }, { validFrom: iso, validUntil: iso }) },
    }, { trustedRoot: obj(['path', 'sha256', 'tlogs'], { path: str, sha256: hex64, tlogs: int }, { files: { type: 'array', items: obj(['path', 'sha256'], { path: str, sha256: hex64 }) } }) }),
    summary: obj(['verdict', 'waived', 'subjects', 'findings', 'controls', 'problems'], {
      verdict: { enum: ['pass', 'fail'] },
      waived: int,
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
      }, {
        code: { type: 'string', pattern: '^[A-Z_]+$' },
        quotes: { type: 'array', items: str },
        waiver: obj(['id', 'expires', 'inForce'], { id: str, expires: str, inForce: { type: 'boolean' } }),
      }),
    },
    frameworks: {
      type: 'array',
      items: obj(['id', 'title', 'version', 'source', 'applicability', 'appliesTo', 'controls'], {
        id: str,
        title: str,
        version: str,
        source: str,
        applicability: str,
        appliesTo: { type: 'array', items: str },
        controls: {
          type: 'array',
          items: obj(['id', 'citation', 'title', 'paraphrase', 'source', 'status', 'statusReason', 'strength', 'manualOnly', 'coverage', 'support', 'notCovered', 'findings', 'waivedSubjects', 'manualEvidence'], {
            id: str,
            citation: str,
            title: str,
            paraphrase: str,
            source: str,
            status: { enum: controlStatus },
            statusReason: str,
            strength: { enum: ['full', 'partial', 'supporting', null] },
            manualOnly: { type: 'boolean' },
            coverage: counts(['passed', 'total']),
            support: {
              type: 'array',
              items: obj(['checkId', 'checkTitle', 'strength', 'reasoning'], { checkId: str, checkTitle: str, strength, reasoning: str }, { fullWhen: obj(['condition', 'met'], { condition: str, met: { type: 'boolean' } }) }),
            },
            notCovered: { type: 'array', items: str },
            findings: { type: 'array', items: str },
            waivedSubjects: { type: 'array', items: str },
            manualEvidence: { type: 'array', items: str },
          }, { titleFr: str, appliesFrom: { type: 'string', format: 'date' } }),
        },
      }, { celex: str }),
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
    claims: {
      type: 'array',
      items: obj(['claimed', 'claimedMeaning', 'madeIn', 'verdict', 'actually', 'reason', 'source', 'instead'], {
        claimed: str,
        claimedMeaning: str,
        madeIn: str,
        verdict: { enum: ['correct', 'imprecise', 'wrong', 'unverifiable', 'unknown'] },
        actually: str,
        reason: str,
        source: str,
        instead: { type: 'array', items: obj(['framework', 'control', 'citation', 'title', 'text', 'status'], { framework: str, control: str, citation: str, title: str, text: str, status: { enum: [...controlStatus, 'not-in-report'] } }) },
      }),
    },
    manualEvidence: {
      type: 'array',
      items: obj(['id', 'controls', 'statement', 'givenBy', 'givenAt'], {
        id: str,
        controls: { type: 'array', items: str },
        statement: str,
        givenBy: str,
        givenAt: str,
      }, { document: obj(['source', 'path', 'sha256'], { source: str, path: str, sha256: hex64 }), reference: str }),
    },
    waivers: {
      type: 'array',
      items: obj(['id', 'scope', 'justification', 'approver', 'ticket', 'start', 'expires', 'inForce', 'expired', 'covers'], {
        id: str,
        scope: obj([], {}, { image: str, digest: str, check: str, control: str }),
        justification: str,
        approver: str,
        ticket: str,
        start: str,
        expires: str,
        inForce: { type: 'boolean' },
        expired: { type: 'boolean' },
        covers: { type: 'array', items: str },
      }),
    },
    sboms: obj(['minGrade', 'entries', 'estate'], {
      minGrade: { enum: ['A', 'B', 'C', 'D', 'E', 'F'] },
      entries: {
        type: 'array',
        items: obj(['subject', 'evidence', 'specVersion', 'components', 'grade', 'score', 'ntia', 'cisa', 'bsi', 'meetsMinimum', 'fields', 'byType', 'byEcosystem', 'licences', 'copyleft', 'weakens'], {
          subject: str,
          evidence: hex64,
          specVersion: str,
          components: int,
          grade: { enum: ['A', 'B', 'C', 'D', 'E', 'F'] },
          score: { type: 'number' },
          ntia: { type: 'number' },
          cisa: { type: 'number' },
          bsi: { type: 'number' },
          meetsMinimum: { type: 'boolean' },
          fields: { type: 'array', items: obj(['id', 'framework', 'label', 'requirement', 'percent'], { id: str, framework: str, label: str, requirement: str, percent: { type: ['number', 'null'] } }) },
          byType: { type: 'object', additionalProperties: int },
          byEcosystem: { type: 'object', additionalProperties: int },
          licences: obj(['distinctSpdxIds', 'expressions', 'named', 'unknown', 'top'], {
            distinctSpdxIds: int,
            expressions: int,
            named: int,
            unknown: int,
            top: { type: 'array', items: obj(['licence', 'components'], { licence: str, components: int }) },
          }),
          copyleft: { type: 'object', additionalProperties: int },
          weakens: { type: 'array', items: str },
        }),
      },
      estate: obj(['components', 'distinct', 'shared'], {
        components: int,
        distinct: int,
        shared: { type: 'array', items: obj(['component', 'images'], { component: str, images: { type: 'array', items: str } }) },
      }, { inventoryCsv: str }),
    }),
    crosswalk: {
      type: 'array',
      items: obj(['checkId', 'checkTitle', 'controls'], {
        checkId: str,
        checkTitle: str,
        controls: { type: 'object', additionalProperties: { type: 'array', items: obj(['control', 'citation', 'strength'], { control: str, citation: str, strength }) } },
      }),
    },
  }, {
    seal: obj(['keyFingerprint', 'algorithm'], { keyFingerprint: hex64, algorithm: str }, { timestampAuthority: str }),
    changes,
  }),
};

writeFileSync(new URL('../src/report/report.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
