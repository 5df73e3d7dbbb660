const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes standard padded base64, rejecting anything else. Node's decoder
 * silently skips invalid characters, so `Buffer.from('not a sig', 'base64')`
 * yields bytes; a verifier must not accept that. The test is a length check
 * plus one flat character class: a grouped pattern overflows V8's regex stack
 * on multi-megabyte payloads (large SBOM attestations).
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text === '' || text.length % 4 !== 0 || !BASE64_ALPHABET.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}
