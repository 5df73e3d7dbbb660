/**
 * The shape of a Sigstore trusted root (`dev.sigstore.trustedroot`,
 * protobuf-specs `sigstore_trustroot.proto`, proto3 JSON). protobuf-specs'
 * `TrustedRoot.fromJSON` accepts any JSON, `{}` included, as an empty root;
 * a file that is not a trusted root must instead be refused on load.
 */
const text = { type: 'string', minLength: 1 } as const;
/** Standard base64 of DER bytes (keys, log ids, certificates). A flat class: grouped patterns overflow on long strings. */
const base64 = { type: 'string', minLength: 4, pattern: '^[A-Za-z0-9+/]+={0,2}$' } as const;
const instant = { type: 'string', format: 'date-time' } as const;
/** proto3 JSON may write an unset optional field as null (sigstore-conformance roots do). */
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] }) as const;
/** sigstore-js reads a missing start as the beginning of time, which would let a key vouch for any date. */
const validFor = { type: 'object', required: ['start'], properties: { start: instant, end: nullable(instant) } } as const;
const logId = { type: 'object', required: ['keyId'], properties: { keyId: base64 } } as const;

const transparencyLog = {
  type: 'object',
  required: ['baseUrl', 'publicKey', 'logId'],
  properties: {
    baseUrl: text,
    hashAlgorithm: nullable(text),
    publicKey: { type: 'object', required: ['rawBytes', 'keyDetails', 'validFor'], properties: { rawBytes: base64, keyDetails: text, validFor } },
    logId,
    checkpointKeyId: nullable(logId),
  },
} as const;

const certificateAuthority = {
  type: 'object',
  required: ['certChain', 'validFor'],
  properties: {
    uri: nullable({ type: 'string' }),
    certChain: {
      type: 'object',
      required: ['certificates'],
      properties: { certificates: { type: 'array', minItems: 1, items: { type: 'object', required: ['rawBytes'], properties: { rawBytes: base64 } } } },
    },
    validFor,
  },
} as const;

export const TRUSTED_ROOT_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
] as const;

export const TRUSTED_ROOT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Sigstore trusted root',
  type: 'object',
  required: ['mediaType'],
  properties: {
    mediaType: { enum: TRUSTED_ROOT_MEDIA_TYPES },
    tlogs: { type: 'array', items: transparencyLog },
    certificateAuthorities: { type: 'array', items: certificateAuthority },
    ctlogs: { type: 'array', items: transparencyLog },
    timestampAuthorities: { type: 'array', items: certificateAuthority },
  },
  // A root that trusts nothing can verify nothing: it is a mistake, not a policy.
  anyOf: [
    { required: ['tlogs'], properties: { tlogs: { minItems: 1 } } },
    { required: ['certificateAuthorities'], properties: { certificateAuthorities: { minItems: 1 } } },
    { required: ['timestampAuthorities'], properties: { timestampAuthorities: { minItems: 1 } } },
  ],
} as const;
