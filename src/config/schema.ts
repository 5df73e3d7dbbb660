/**
 * The configuration file's shape: one JSON Schema, validated with Ajv on load,
 * and the TypeScript type it describes. A contract test checks that the
 * sample configuration validates and that every key is documented.
 */

import { PERIOD_PATTERN } from './period.js';

export type OutputFormat = 'json' | 'html' | 'pdf';

export interface ImageConfig {
  /** Short unique name, used in file paths and the report. */
  name: string;
  /** The reference as published, e.g. `harbor.example/team/app:1.2`. */
  ref: string;
  /** The digest in production: the population in scope. */
  digest: string;
}

export interface TrustedKeyConfig {
  id: string;
  path: string;
  validFrom?: string;
  validUntil?: string;
}

/** A keyless signer: the certificate's SAN and the OIDC issuer that vouched for it. */
export interface TrustedIdentityConfig {
  identity: string;
  issuer: string;
  /** Treat `identity` as a regular expression; otherwise it must match exactly. */
  regex?: boolean;
}

export interface EntityProfile {
  financialEntity?: boolean;
  nis2?: 'essential' | 'important';
  hdsHost?: boolean;
  manufacturer?: boolean;
  cardData?: boolean;
  usFederalSupplier?: boolean;
}

export interface ClaimConfig {
  citation: string;
  meaning: string;
  madeIn: string;
}

export interface ManualEvidenceConfig {
  id: string;
  controls: string[];
  statement: string;
  givenBy: string;
  givenAt: string;
  document?: string;
  reference?: string;
}

export interface Config {
  organisation: string;
  /** A period label (see PERIOD_PATTERN); relative labels are resolved against the run's clock. */
  period: string;
  zone: string;
  images: ImageConfig[];
  trust: { keys: TrustedKeyConfig[]; trustedRoot?: string | string[]; identities?: TrustedIdentityConfig[] };
  evidence: { images: string; woodpecker?: string; branches: string[] };
  frameworks?: string[];
  entity?: EntityProfile;
  catalogs?: string[];
  claims?: ClaimConfig[];
  waivers?: string;
  manualEvidence?: ManualEvidenceConfig[];
  sbom: { minLicenceCoverage: number; minPurlCoverage: number; minGrade: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' };
  outputs: OutputFormat[];
  seal: { key?: string };
}

const isoInstant = { type: 'string', format: 'date-time' } as const;

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
    period: { type: ['string', 'integer'], pattern: PERIOD_PATTERN, minimum: 1000, maximum: 9999, description: 'Reporting period: 2026-Q2, 2026-H1, 2026, 2026-04-01..2026-06-30, or previous/current (-quarter, -half, -year) relative to the clock.' },
    zone: { type: 'string', default: 'UTC', description: 'IANA time zone the period is measured in.' },
    images: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'ref', 'digest'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
          ref: { type: 'string', minLength: 1 },
          digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
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
          description: 'Sigstore trusted_root.json file(s): Rekor, Fulcio, CT log and TSA keys. Several files are merged (e.g. public-good and a private instance).',
          oneOf: [
            { type: 'string', minLength: 1 },
            { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          ],
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
        woodpecker: { type: 'string', minLength: 1, description: 'Folder of Woodpecker API exports.' },
        branches: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1 },
          default: ['main'],
          description: 'Branches whose successful pipeline runs count as builds (the protected release branches).',
        },
      },
    },
    frameworks: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, description: 'Built-in catalogs to map to (see `auditpack frameworks list`).' },
    entity: {
      type: 'object',
      additionalProperties: false,
      description: 'Entity profile: selects the built-in catalogs that bind such an entity when `frameworks` is not given.',
      properties: {
        financialEntity: { type: 'boolean' },
        nis2: { enum: ['essential', 'important'] },
        hdsHost: { type: 'boolean' },
        manufacturer: { type: 'boolean' },
        cardData: { type: 'boolean' },
        usFederalSupplier: { type: 'boolean' },
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
        minGrade: { enum: ['A', 'B', 'C', 'D', 'E', 'F'], default: 'D', description: 'Lowest acceptable SBOM quality grade (NTIA + BSI TR-03183-2 score); below it the report lists the clauses the SBOM weakens.' },
      },
    },
    outputs: {
      type: 'array',
      items: { enum: ['json', 'html', 'pdf'] },
      uniqueItems: true,
      default: ['json', 'html', 'pdf'],
    },
    seal: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { key: { type: 'string', minLength: 1, description: 'PEM private key that signs the manifest.' } },
    },
  },
} as const;
