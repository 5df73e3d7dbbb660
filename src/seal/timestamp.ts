import { createHash, randomBytes } from 'node:crypto';
import { RFC3161Timestamp, type ASN1Obj } from '@sigstore/core';
import { AuditpackError, describeThrown } from '../errors.js';
import type { Timestamper } from './sign.js';

/** AlgorithmIdentifier for SHA-256 (OID 2.16.840.1.101.3.4.2.1, NULL parameters), DER. */
const SHA256_ALGORITHM = Buffer.from('300d06096086480165030402010500', 'hex');
const TIMEOUT_MS = 30_000;

/**
 * An RFC 3161 client for the seal (`seal.timestampUrl`): it asks the TSA to
 * date the seal's signature bytes (what Sigstore verifiers check a
 * timestamp against) and returns the TimeStampResp that goes, as is, into
 * the bundle's `timestampVerificationData`. The answer is checked before it
 * is kept: granted status, our digest, our nonce. Whether the TSA is
 * trusted is the verifier's decision (its trusted root), not ours.
 */
export function rfc3161Timestamper(url: string, fetchImpl: typeof fetch = fetch): Timestamper {
  return async (signature) => {
    const digest = createHash('sha256').update(signature).digest();
    const nonce = positiveNonce();
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body: timeStampRequest(digest, nonce),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (thrown) {
      throw fail(url, `the timestamp authority cannot be reached: ${describeThrown(thrown)}`, thrown);
    }
    if (!response.ok) throw fail(url, `the timestamp authority answered HTTP ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    checkResponse(body, signature, nonce, url);
    return body;
  };
}

/** TimeStampReq (RFC 3161 §2.4.1): version 1, messageImprint, nonce, certReq TRUE (the TSA's certificate in the token). */
export function timeStampRequest(digest: Buffer, nonce: Buffer): Buffer {
  const imprint = der(0x30, SHA256_ALGORITHM, der(0x04, digest));
  return der(0x30, der(0x02, Buffer.from([1])), imprint, der(0x02, nonce), der(0x01, Buffer.from([0xff])));
}

function checkResponse(body: Buffer<ArrayBuffer>, signature: Buffer, nonce: Buffer, url: string): void {
  let timestamp: RFC3161Timestamp;
  try {
    timestamp = RFC3161Timestamp.parse(body);
    const status = timestamp.status;
    if (status !== 0n && status !== 1n) throw new Error(`the request was not granted (PKIStatus ${status})`);
    timestamp.tstInfo.verify(signature);
  } catch (thrown) {
    throw fail(url, `not a usable RFC 3161 answer: ${describeThrown(thrown)}`, thrown);
  }
  const answered = tstInfoNonce(timestamp);
  if (answered === undefined || answered !== BigInt(`0x${nonce.toString('hex')}`))
    throw fail(url, 'the answer does not carry the nonce of the request (a replayed timestamp?)');
}

/** TSTInfo's optional nonce: the first INTEGER after genTime (accuracy is a SEQUENCE, ordering a BOOLEAN). */
function tstInfoNonce(timestamp: RFC3161Timestamp): bigint | undefined {
  const tstInfo = (timestamp.tstInfo as unknown as { root: ASN1Obj }).root;
  return tstInfo.subs
    .slice(5)
    .find((sub) => sub.tag.isInteger())
    ?.toInteger();
}

function positiveNonce(): Buffer {
  const nonce = randomBytes(8);
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x01;
  return nonce;
}

/** One DER TLV; the lengths here are short (a request is under 100 bytes). */
function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  if (body.length > 127) throw new Error('DER content too long for the short form');
  return Buffer.concat([Buffer.from([tag, body.length]), body]);
}

function fail(url: string, message: string, cause?: unknown): AuditpackError {
  return new AuditpackError('TIMESTAMP_INVALID', `seal.timestampUrl ${url}: ${message}`, cause === undefined ? {} : { cause });
}
