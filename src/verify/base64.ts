/**
 * Decodes standard padded base64, rejecting anything else. Node's decoder
 * silently skips invalid characters (and takes `-` and `_` as base64url), so
 * `Buffer.from('not a sig', 'base64')` yields bytes; a verifier must not
 * accept that. The test needs no pass over the text in JavaScript (a regular
 * expression over a multi-megabyte SBOM payload cost more than decoding it):
 * the length is a multiple of 4, there is no `-` or `_`, and the decoder
 * returned exactly the bytes that many characters carry. Any character it
 * skipped, or a `=` before the end (where it stops), leaves fewer.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text === '' || text.length % 4 !== 0 || text.includes('-') || text.includes('_')) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === (text.length / 4) * 3 - padding ? bytes : undefined;
}
