import type { TrustedKey } from '../trust/load.js';
import type { BundleFacts, BundleFailure, BundleVerdict } from './bundle.js';
import { verifiedTimes } from './bundle-facts.js';
import type { Attempt, SignatureVerdict } from './sigstore.js';

/**
 * What the report records of a verdict: format and version, the signer (key
 * fingerprint, or certificate SAN and issuer), the log entry and timestamps,
 * the verified signing time (or that there is none), the trusted root.
 */

export function success(verdict: Extract<BundleVerdict, { status: 'valid' }>, formatVersion: string | undefined, attempt: Attempt): SignatureVerdict {
  const { facts, signer } = verdict;
  const { key, identity } = attempt;
  const details: Record<string, string> = { ...formatDetails(facts, formatVersion) };
  let who: string;
  if (signer.kind === 'public-key' && key) {
    Object.assign(details, keyDetails(key));
    who = `trusted key ${key.id}`;
  } else if (signer.kind === 'certificate') {
    Object.assign(details, {
      'signer identity (certificate SAN)': signer.subjectAlternativeName,
      'signer issuer (OIDC)': signer.issuer,
      'signer key fingerprint (SHA-256 of SPKI)': signer.keyFingerprint,
      ...(identity ? { 'identity policy': identity.regex === true ? `regular expression ${identity.identity}` : `exact ${identity.identity}` } : {}),
    });
    who = `${signer.subjectAlternativeName} (issuer ${signer.issuer})`;
  } else {
    details['key fingerprint (SHA-256 of SPKI)'] = signer.keyFingerprint;
    who = `key ${signer.keyFingerprint}`;
  }
  Object.assign(details, logDetails(facts), rootDetails(verdict.trustedRootSha256));
  const [signedAt] = verifiedTimes(facts);
  details['signing time'] = signedAt
    ? `${signedAt.at} (verified by the ${signedAt.by})`
    : 'none: a key-only signature without transparency-log entry or timestamp, accepted because trust.requireTransparencyLog is false; no independent time exists';
  const entry = facts.tlogEntries.find((e) => e.promised && e.integratedTime !== undefined);
  return {
    ok: true,
    signer: who,
    ...(key ? { key } : {}),
    ...(entry?.integratedTime ? { log: { index: entry.logIndex, integratedTime: entry.integratedTime, logId: entry.logId } } : {}),
    ...(signedAt ? { signedAt } : {}),
    details,
  };
}

/** One reason per key or identity tried (once if they agree); unsupported only when every attempt was. */
export function combineFailures(failures: { who: string; failure: BundleFailure }[], formatVersion: string | undefined): SignatureVerdict {
  const last = failures[failures.length - 1]!.failure;
  const reasons = [...new Set(failures.map((f) => f.failure.reason))];
  const reason = reasons.length === 1 ? reasons[0]! : failures.map((f) => `${f.who}: ${f.failure.reason}`).join('; ');
  const unsupported = failures.find((f) => f.failure.status === 'unsupported');
  const code = failures.every((f) => f.failure.status === 'unsupported')
    ? 'EVIDENCE_UNSUPPORTED'
    : (failures.find((f) => f.failure.status === 'invalid')?.failure.code ?? last.code);
  const details: Record<string, string> = { ...(last.facts ? formatDetails(last.facts, formatVersion) : {}), ...rootDetails(last.trustedRootSha256) };
  if (last.cause) details['library error'] = `${last.cause.name}${last.cause.code ? ` ${last.cause.code}` : ''}: ${last.cause.message}`;
  if (unsupported && code !== 'EVIDENCE_UNSUPPORTED') details['also unsupported'] = unsupported.failure.reason;
  return { ok: false, code, reason, details };
}

function formatDetails(facts: BundleFacts, formatVersion: string | undefined): Record<string, string> {
  return {
    'format version': formatVersion ?? `Sigstore bundle v${facts.version}`,
    'bundle media type': facts.mediaType,
    'bundle content': facts.payloadType ? `${facts.content} (${facts.payloadType})` : facts.content,
  };
}

function keyDetails(key: TrustedKey): Record<string, string> {
  return { key: key.id, 'key fingerprint (SHA-256 of SPKI)': key.fingerprint, 'key algorithm': key.algorithm };
}

function logDetails(facts: BundleFacts): Record<string, string> {
  const [entry] = facts.tlogEntries;
  const details: Record<string, string> = {};
  if (entry === undefined) details['transparency log'] = 'no entry in the evidence; none checked';
  else {
    Object.assign(details, { 'transparency log entry': `${entry.kind} ${entry.version}`, 'transparency log index': entry.logIndex, 'log id': entry.logId });
    if (entry.integratedTime) details['integrated time'] = entry.integratedTime;
    if (facts.tlogEntries.length > 1) details['transparency log entries'] = String(facts.tlogEntries.length);
  }
  if (facts.timestampAuthorityTimes.length > 0) details['timestamp authority times'] = facts.timestampAuthorityTimes.join(', ');
  return details;
}

function rootDetails(sha256: string | undefined): Record<string, string> {
  return sha256 === undefined ? {} : { 'trusted root (SHA-256)': sha256 };
}
