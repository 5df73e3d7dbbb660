/**
 * Just enough DER to mint Fulcio-like certificates in tests: a self-signed CA
 * and a short-lived leaf with a SAN, the Fulcio OIDC-issuer extension and an
 * embedded SCT from a test CT log. Real ECDSA P-256 signatures throughout, so
 * sigstore-js verifies the chain and the SCT exactly as it would Fulcio's.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import type { KeyPair } from './estate.js';

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);
const integer = (n: number) => tlv(0x02, Buffer.from([n & 0x7f]));
const explicit = (n: number, c: Buffer) => tlv(0xa0 + n, c);
const utcTime = (d: Date) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const name = (cn: string) => seq(set(seq(oid('2.5.4.10'), utf8('auditpack tests'))), set(seq(oid('2.5.4.3'), utf8(cn))));
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

function certificate(tbs: Buffer, issuer: KeyObject): Buffer {
  return seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, issuer)));
}

function tbsCertificate(serial: number, issuer: string, subject: string, key: KeyObject, notBefore: Date, notAfter: Date, extensions: Buffer[]): Buffer {
  // Fulcio leaves have an empty subject: the identity is in the SAN.
  const subjectName = subject === '' ? seq() : name(subject);
  return seq(
    explicit(0, integer(2)),
    integer(serial),
    ECDSA_SHA256,
    name(issuer),
    seq(utcTime(notBefore), utcTime(notAfter)),
    subjectName,
    spki(key),
    explicit(3, seq(...extensions)),
  );
}

export interface CertificateAuthority {
  pair: KeyPair;
  der: Buffer;
}

export function makeCertificateAuthority(pair: KeyPair, from = new Date('2026-01-01T00:00:00Z')): CertificateAuthority {
  const extensions = [extension('2.5.29.15', true, bits(Buffer.from([0x06]), 1)), extension('2.5.29.19', true, seq(bool(true)))];
  const tbs = tbsCertificate(1, 'test fulcio', 'test fulcio', pair.publicKey, from, new Date('2036-01-01T00:00:00Z'), extensions);
  return { pair, der: certificate(tbs, pair.privateKey) };
}

export interface LeafOptions {
  /** A URI SAN (GitHub workflow style) or, with `@`, an email SAN. */
  identity: string;
  issuer: string;
  signer: KeyPair;
  ca: CertificateAuthority;
  ctlog?: KeyPair;
  notBefore?: Date;
  notAfter?: Date;
  /** false: no embedded SCT, as GitHub's own Fulcio issues its leaves (default true). */
  sct?: boolean;
}

/** A leaf like Fulcio's: SAN, OIDC issuer (v2 extension), code-signing key usage and one SCT over the precertificate. */
export function makeLeafCertificate(opts: LeafOptions): Buffer {
  const notBefore = opts.notBefore ?? new Date('2026-01-01T00:00:00Z');
  const notAfter = opts.notAfter ?? new Date('2027-01-01T00:00:00Z');
  const san = opts.identity.includes('@') && !opts.identity.includes('://') ? tlv(0x81, Buffer.from(opts.identity)) : tlv(0x86, Buffer.from(opts.identity));
  const extensions = [
    extension('2.5.29.15', true, bits(Buffer.from([0x80]), 7)),
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.3'))),
    extension('2.5.29.17', true, seq(san)),
    extension('1.3.6.1.4.1.57264.1.8', false, utf8(opts.issuer)),
  ];
  const precert = tbsCertificate(2, 'test fulcio', '', opts.signer.publicKey, notBefore, notAfter, extensions);
  if (opts.sct === false) return certificate(precert, opts.ca.pair.privateKey);
  if (opts.ctlog === undefined) throw new Error('a leaf with an SCT needs the CT log key');
  const sctList = signedCertificateTimestamps(precert, opts.ca, opts.ctlog, notBefore);
  const tbs = tbsCertificate(2, 'test fulcio', '', opts.signer.publicKey, notBefore, notAfter, [
    ...extensions,
    extension('1.3.6.1.4.1.11129.2.4.2', false, octets(sctList)),
  ]);
  return certificate(tbs, opts.ca.pair.privateKey);
}

/** RFC 6962 §3.2: the SCT signs the precertificate TBS (without the SCT extension) and the issuer key hash. */
function signedCertificateTimestamps(precertTbs: Buffer, ca: CertificateAuthority, ctlog: KeyPair, at: Date): Buffer {
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(BigInt(at.getTime()));
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
  const issuerKeyHash = createHash('sha256').update(spki(ca.pair.publicKey)).digest();
  const signed = Buffer.concat([Buffer.from([0, 0]), timestamp, u16(1), issuerKeyHash, u24(precertTbs.length), precertTbs, u16(0)]);
  const signature = sign('sha256', signed, ctlog.privateKey);
  const logId = createHash('sha256').update(spki(ctlog.publicKey)).digest();
  const sct = Buffer.concat([Buffer.from([0]), logId, timestamp, u16(0), Buffer.from([4, 3]), u16(signature.length), signature]);
  return Buffer.concat([u16(sct.length + 2), u16(sct.length), sct]);
}

export const toPem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
