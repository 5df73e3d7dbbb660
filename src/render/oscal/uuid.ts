import { createHash } from 'node:crypto';

/**
 * Name-based UUIDs (RFC 4122 §4.3, version 5: SHA-1): the same name always
 * gives the same UUID, so the OSCAL export is deterministic and an image or
 * control keeps its UUID from one quarter's export to the next. OSCAL accepts
 * version 4 and 5 UUIDs.
 */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** auditpack's own namespace for every UUID it derives (itself uuidV5('auditpack.dev', the RFC's DNS namespace)). */
export const AUDITPACK_NAMESPACE = '94e09515-fba3-58ba-bcbe-688512bfabae';
