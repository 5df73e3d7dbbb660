const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard padded base64, rejecting anything else. Node's decoder
 * silently skips invalid characters, so `Buffer.from('not a sig', 'base64')`
 * yields bytes; a verifier must not accept that.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text === '' || !STRICT_BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}
