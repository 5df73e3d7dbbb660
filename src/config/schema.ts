/**
 * The configuration file's shape: one JSON Schema, the single source of both
 * the validation (Ajv, on load) and the TypeScript types, which are derived
 * from it with json-schema-to-ts's FromSchema (so a key, enum or default
 * added here is typed everywhere, and no hand-written interface can drift
 * from what is validated). Ajv's JSONSchemaType<Config> was the alternative:
 * it would make every optional key `nullable: true`, so an empty YAML value
 * (`waivers:`) would validate as null instead of being refused.
 * Keys with a `default` are required in the types, as Ajv fills them in
 * (useDefaults). The end-to-end tests run the sample estate's configuration;
 * test/contract/config-docs.test.ts checks that every key of the schema is in
 * the README's configuration example, and no other.
 */

import type { FromSchema } from 'json-schema-to-ts';
import { DEFAULT_MAX_EVIDENCE_AGE, MAX_AGE_PATTERN } from './max-age.js';
import { PERIOD_PATTERN } from './period.js';
import { DEFAULT_OUTPUT_FORMATS, DEFAULT_PDF_ATTACHMENTS, OUTPUT_FORMATS, PDF_ATTACHMENTS, type OutputFormat } from '../render/formats.js';
import { DEFAULT_LOCALE, LOCALES } from '../report/i18n.js';

export type { OutputFormat };

/** Woodpecker webhook events (`WebhookEvent`). */
export const CI_EVENTS = ['push', 'pull_request', 'pull_request_closed', 'pull_request_metadata', 'tag', 'release', 'deployment', 'cron', 'manual'] as const;

const isoInstant = { type: 'string', format: 'date-time' } as const;
/** One file, or a list of files read together. */
const pathOrPaths = {
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  ],
} as const;

/** Glob lists of the population filters: a Kubernetes namespace (a DNS label), a repository with its host. */
const NAMESPACE_GLOB = '^[a-z0-9*?-]{1,63}$';
const REPOSITORY_GLOB = '^[a-z0-9*?][a-z0-9._:/*?-]*$';
function globList<P extends string>(pattern: P) {
  return { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern } } as const;
}

/** What signed provenance must name to count as an image's custody evidence (check provenance.verified). */
const provenanceExpectations = {
  type: 'object',
  additionalProperties: false,
  required: ['builders', 'sourceRepositories'],
  properties: {
    builders: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      description: 'SLSA builder ids (builder.id in v0.2, runDetails.builder.id in v1) whose provenance counts, matched exactly.',
    },
    sourceRepositories: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[a-z][a-z0-9+.-]*://' },
      description: 'Source repository URLs the image must be built from (a trailing slash, `.git`, `git+` and case do not matter).',
    },
    required: {
      type: 'boolean',
      default: true,
      description:
        'true: an image without provenance fails provenance.verified. false: it is not applicable, and its custody rests on the unsigned CI exports (clauses still count it as missing evidence).',
    },
  },
} as const;

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://auditpack.dev/schema/config-1.json',
  title: 'auditpack configuration',
  type: 'object',
  additionalProperties: false,
  required: ['organisation', 'period', 'images', 'trust', 'evidence'],
  anyOf: [{ required: ['frameworks'] }, { required: ['entity'] }, { required: ['catalogs'] }],
  properties: {
    organisation: { type: 'string', minLength: 1, description: 'Who the report is for.' },
    period: {
      type: ['string', 'integer'],
      pattern: PERIOD_PATTERN,
      minimum: 1000,
      maximum: 9999,
      description: 'Reporting period: 2026-Q2, 2026-H1, 2026, 2026-04-01..2026-06-30, or previous/current (-quarter, -half, -year) relative to the clock.',
    },
    zone: { type: 'string', default: 'UTC', description: 'IANA time zone the period is measured in.' },
    images: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'ref', 'digest'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'Short unique name, used in file paths and the report.' },
          ref: { type: 'string', minLength: 1, description: 'The reference as published, e.g. harbor.example/team/app:1.2.' },
          digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$', description: 'The digest in production: the population in scope.' },
          provenance: { ...provenanceExpectations, description: 'Provenance expectations for this image, replacing the top-level provenance.' },
        },
      },
    },
    trust: {
      type: 'object',
      additionalProperties: false,
      // A trusted key or a keyless identity: with neither, nothing could ever verify.
      anyOf: [
        { required: ['keys'], properties: { keys: { minItems: 1 } } },
        { required: ['identities'], properties: { identities: { minItems: 1 } } },
      ],
      properties: {
        keys: {
          type: 'array',
          default: [],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'path'],
            properties: {
              id: { type: 'string', minLength: 1 },
              path: { type: 'string', minLength: 1 },
              validFrom: isoInstant,
              validUntil: isoInstant,
            },
          },
        },
        trustedRoot: {
          description:
            'Sigstore trusted_root.json file(s): Rekor, Fulcio, CT log and TSA keys. Several files are merged (e.g. public-good and a private instance).',
          ...pathOrPaths,
        },
        githubInstance: {
          type: 'object',
          additionalProperties: false,
          required: ['trustedRoot'],
          description:
            "Trust GitHub's own Sigstore instance (artifact attestations of private repositories: no transparency log, no SCTs, dated by its RFC 3161 timestamp authority). Without it, such bundles fail.",
          properties: {
            trustedRoot: {
              description:
                "`gh attestation trusted-root` output (JSON lines) or trusted_root.json file(s); only the roots without a transparency log (GitHub's) are taken.",
              ...pathOrPaths,
            },
          },
        },
        requireTransparencyLog: {
          type: 'boolean',
          default: true,
          description:
            'Require every image signature and attestation to carry a verified signing time: a transparency-log entry with its signed entry timestamp, or an RFC 3161 timestamp (as cosign does by default). false accepts key-only signatures; the report then says no independent time exists. Keyless signatures and keys with a validity window always need one.',
        },
        identities: {
          type: 'array',
          description: 'Keyless signers whose certificate signatures count (checked against trustedRoot): exact SAN unless regex is true.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['identity', 'issuer'],
            properties: {
              identity: { type: 'string', minLength: 1, description: 'Certificate subject alternative name (email or URI).' },
              issuer: { type: 'string', minLength: 1, description: 'OIDC issuer URL, matched exactly.' },
              regex: { type: 'boolean', default: false, description: 'Match identity as a regular expression (unanchored unless you anchor it).' },
            },
          },
        },
      },
    },
    evidence: {
      type: 'object',
      additionalProperties: false,
      required: ['images'],
      properties: {
        images: { type: 'string', pattern: '\\{image\\}', description: 'Folder per image; {image} is replaced by its name.' },
        woodpecker: { type: 'string', minLength: 1, description: 'Folder of Woodpecker API exports (repo.json, pipelines/, logs/).' },
        repository: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          description: 'The repository whose CI runs count as builds. Required with woodpecker: runs are bound to it through repo.json and their forge links.',
          properties: {
            url: { type: 'string', pattern: '^https?://', description: "The repository's forge URL, as Woodpecker's repo.json forge_url gives it." },
            id: { type: 'integer', minimum: 1, description: "Woodpecker's id of the repository (repo.json id), checked when given." },
          },
        },
        events: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: CI_EVENTS },
          default: ['push', 'tag'],
          description:
            'CI events whose runs count as builds (Woodpecker WebhookEvent). Pull requests report their target branch, so they are not builds by default.',
        },
        branches: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1 },
          default: ['main'],
          description: 'Branches whose successful pipeline runs count as builds (the protected release branches). Tag runs are bound by their tag ref instead.',
        },
        maxAge: {
          type: 'string',
          pattern: MAX_AGE_PATTERN,
          default: DEFAULT_MAX_EVIDENCE_AGE,
          description:
            'How old dated evidence may be at the end of the period (ISO 8601 duration: P1Y, P18M, P90D). An image that runs unchanged is judged on the evidence of its build, made before the period; evidence older than this, or dated after the period, is flagged.',
        },
      },
      // CI exports are unsigned: a run counts only once bound to the repository the organisation names.
      if: { required: ['woodpecker'] },
      then: { required: ['repository'] },
    },
    population: {
      type: 'object',
      additionalProperties: false,
      // A filter alone would compare the images with nothing.
      anyOf: [{ required: ['kubernetes'] }, { required: ['registry'] }],
      description:
        'The population in scope, read from exports of what runs and listings of what is published: every digest found is a subject of the report; one the images list does not name, or another digest than it names for the repository, is a gap. The filters say which namespaces and repositories are in scope; what they leave out is listed as excluded.',
      properties: {
        kubernetes: {
          description: 'Export(s) of `kubectl get pods -A -o json`: the digest of every container, init and ephemeral container, from its imageID.',
          oneOf: [
            { type: 'string', minLength: 1 },
            { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
          ],
        },
        registry: {
          description: 'Registry listing(s) written by `auditpack collect registry` (registry-listing.json): the digest every listed tag resolved to.',
          oneOf: [
            { type: 'string', minLength: 1 },
            { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
          ],
        },
        namespaces: {
          ...globList(NAMESPACE_GLOB),
          description: 'Kubernetes namespaces in scope (globs, `*` any characters): containers elsewhere are excluded. Default: every namespace.',
        },
        excludeNamespaces: { ...globList(NAMESPACE_GLOB), description: 'Kubernetes namespaces left out of scope (globs), e.g. kube-system.' },
        repositories: {
          ...globList(REPOSITORY_GLOB),
          description:
            'Repositories in scope, host included as the report names them (harbor.example/akko/*, docker.io/library/nginx; `*` within a path component, `**` across). Default: every repository.',
        },
        excludeRepositories: { ...globList(REPOSITORY_GLOB), description: 'Repositories left out of scope (globs, host included).' },
      },
    },
    provenance: {
      ...provenanceExpectations,
      description: 'Signed SLSA provenance expected for every image (each image may replace it with its own provenance).',
    },
    frameworks: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description: 'Built-in catalogs to map to (see `auditpack frameworks list`).',
    },
    entity: {
      type: 'object',
      additionalProperties: false,
      description:
        'Entity profile: selects the built-in catalogs that bind such an entity, and states the conditions some mappings and clauses depend on. A condition the profile does not state counts as not met: the cautious strength applies.',
      properties: {
        financialEntity: { type: 'boolean' },
        nis2: { enum: ['essential', 'important'] },
        hdsHost: { type: 'boolean' },
        manufacturer: { type: 'boolean' },
        cardData: { type: 'boolean' },
        usFederalSupplier: { type: 'boolean' },
        criticalOrImportantFunctions: {
          type: 'boolean',
          description: 'The images serve ICT services supporting critical or important functions (DORA); raises RTS 2024/1774 Art. 10(2)(d)(i) to full.',
        },
        bespokeSoftware: { type: 'boolean', description: 'The images are bespoke and custom software; raises PCI DSS 6.3.2 to full.' },
        acquiredProducts: { type: 'boolean', description: 'The images are ICT products acquired from suppliers; raises IR 2024/2690 point 6.1.2(c) to full.' },
        simplifiedFramework: {
          type: 'boolean',
          description:
            'On the simplified ICT risk-management framework of DORA Art. 16: DORA Art. 5-15, RTS 2024/1774 Title II and RTS 2024/1773 do not apply; RTS 2024/1774 Title III does.',
        },
        microenterprise: { type: 'boolean', description: 'A microenterprise (DORA Art. 3(60)): RTS 2024/1773 (the Art. 28(2) policy) does not apply.' },
        secNumCloudQualified: { type: 'boolean', description: 'The HDS activity holds a SecNumCloud 3.2 qualification: its points 12.10.c and 14.2 apply.' },
      },
    },
    catalogs: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Custom catalog files (YAML), added to the built-in ones.' },
    claims: {
      type: 'array',
      description: "Citations the organisation's own documents make; checked in the report. Default: the platform page's three.",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['citation', 'meaning', 'madeIn'],
        properties: { citation: { type: 'string', minLength: 1 }, meaning: { type: 'string' }, madeIn: { type: 'string' } },
      },
    },
    waivers: { type: 'string', minLength: 1, description: 'YAML file of waivers (exceptions with approver and expiry).' },
    manualEvidence: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'controls', 'statement', 'givenBy', 'givenAt'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
          controls: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z0-9-]+/[a-z0-9.-]+$' } },
          statement: { type: 'string', minLength: 1 },
          givenBy: { type: 'string', minLength: 1 },
          givenAt: { type: 'string', format: 'date' },
          document: { type: 'string', minLength: 1 },
          reference: { type: 'string', minLength: 1 },
        },
      },
    },
    sbom: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        minLicenceCoverage: { type: 'number', minimum: 0, maximum: 1, default: 0.8 },
        minPurlCoverage: { type: 'number', minimum: 0, maximum: 1, default: 0.8 },
        minGrade: {
          enum: ['A', 'B', 'C', 'D', 'E', 'F'],
          default: 'D',
          description:
            'Lowest acceptable SBOM quality grade (mean of the CISA 2025 minimum elements and BSI TR-03183-2 v2.1.0 scores); below it the report lists the clauses the SBOM weakens.',
        },
      },
    },
    outputs: {
      type: 'array',
      items: { enum: [...OUTPUT_FORMATS] },
      uniqueItems: true,
      default: [...DEFAULT_OUTPUT_FORMATS],
      description: 'Report formats to write: json, html, pdf, oscal (OSCAL 1.0.6 assessment results).',
    },
    locale: {
      enum: [...LOCALES],
      default: DEFAULT_LOCALE,
      description: 'Language of the PDF, the HTML and the CLI summary: en or fr (report.json and OSCAL stay in their own vocabulary).',
    },
    pdfAttachments: {
      enum: [...PDF_ATTACHMENTS],
      default: DEFAULT_PDF_ATTACHMENTS,
      description:
        'Files report.pdf carries: all (every bundle file), report (the report files, inventory, configuration and trust material; evidence stays in the bundle, pinned by its SHA-256 in report.json), or auto (all while they add up to at most 64 MB, else report and the evidence files the faults rest on, when those fit in 64 MB).',
    },
    seal: {
      type: 'object',
      additionalProperties: false,
      default: {},
      // PEM certificate and key go together; a PKCS#12 file replaces both.
      dependencies: { pdfCertificate: ['pdfKey'], pdfKey: ['pdfCertificate'] },
      not: { anyOf: [{ required: ['pdfPkcs12', 'pdfKey'] }, { required: ['pdfPkcs12', 'pdfCertificate'] }] },
      properties: {
        key: {
          type: 'string',
          minLength: 1,
          description: 'Private key that signs the manifest: PEM (encrypted: passphrase from AUDITPACK_KEY_PASSPHRASE) or cosign.key (COSIGN_PASSWORD).',
        },
        timestampUrl: {
          type: 'string',
          pattern: '^https?://',
          description: 'RFC 3161 timestamp authority that dates the seal (network, at sealing time only).',
        },
        pdfCertificate: { type: 'string', minLength: 1, description: 'PEM X.509 certificate (then any chain) that signs report.pdf; with pdfKey.' },
        pdfKey: { type: 'string', minLength: 1, description: 'PEM private key (RSA or ECDSA P-256/P-384) of pdfCertificate.' },
        pdfPkcs12: { type: 'string', minLength: 1, description: 'PKCS#12 file with the PDF signing key and certificate, instead of pdfCertificate + pdfKey.' },
      },
    },
  },
} as const;

/**
 * The configuration as validated, defaults filled in: derived from
 * CONFIG_SCHEMA. The one refinement is `period`, which YAML may read as a
 * number (`period: 2026`) and the loader turns into its label.
 */
export type Config = WithPeriodLabel<ValidConfig>;

/** What CONFIG_SCHEMA accepts, defaults filled in, before the loader's refinement. */
export type ValidConfig = FromSchema<typeof CONFIG_SCHEMA>;

/** FromSchema gives a union (the schema's `anyOf`); the period becomes a string in each member. */
type WithPeriodLabel<T> = T extends unknown ? Omit<T, 'period'> & { period: string } : never;

export type ImageConfig = Config['images'][number];
export type TrustedKeyConfig = Config['trust']['keys'][number];
/** A keyless signer: the certificate's SAN and the OIDC issuer that vouched for it. */
export type TrustedIdentityConfig = NonNullable<Config['trust']['identities']>[number];
/** The repository whose CI runs count as builds: its forge URL (Woodpecker `forge_url`) and, optionally, Woodpecker's id for it. */
export type CiRepositoryConfig = NonNullable<Config['evidence']['repository']>;
/** Builder ids and source repositories signed provenance must name, and whether an image must have it. */
export type ProvenanceConfig = NonNullable<Config['provenance']>;
export type EntityProfile = NonNullable<Config['entity']>;
export type ClaimConfig = NonNullable<Config['claims']>[number];
export type ManualEvidenceConfig = NonNullable<Config['manualEvidence']>[number];
export type SealConfig = Config['seal'];
export type PopulationConfig = NonNullable<Config['population']>;
