/** The waiver file's JSON Schema (waivers/load.ts validates with it; scripts/build-validators.mjs builds it ahead). */
export const WAIVER_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['waivers'],
  properties: {
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'scope', 'justification', 'approver', 'ticket', 'start', 'expires'],
        properties: {
          id: { type: 'string', minLength: 1 },
          scope: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              image: { type: 'string', minLength: 1 },
              digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
              check: { type: 'string', minLength: 1 },
              control: { type: 'string', pattern: '^[a-z0-9-]+/[a-z0-9.-]+$' },
            },
          },
          justification: { type: 'string', minLength: 1 },
          approver: { type: 'string', minLength: 1 },
          ticket: { type: 'string', minLength: 1 },
          start: { type: 'string', format: 'date' },
          expires: { type: 'string', format: 'date' },
        },
      },
    },
  },
} as const;
