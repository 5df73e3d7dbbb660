/**
 * A small RFC 3161 timestamp authority for tests, on 127.0.0.1 only: a CA,
 * a TSA certificate (critical EKU id-kp-timeStamping, as RFC 3161 §2.3 and
 * sigstore's verifiers demand) and real TimeStampResp answers: TSTInfo in a
 * CMS SignedData with contentType, messageDigest and ESS signingCertificateV2
 * signed attributes, ECDSA P-256 over SHA-256. Requests are parsed with
 * @sigstore/core's ASN.1 reader. Its trusted root names it for verifiers.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ASN1Obj } from '@sigstore/core';

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
/** DER SET OF: members sorted by their encoding. */
const setOf = (...c: Buffer[]) => tlv(0x31, ...[...c].sort((a, b) => Buffer.compare(a, b)));
const octets = (b: Buffer) => tlv(0x04, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);
const explicit = (n: number, c: Buffer) => tlv(0xa0 + n, c);
const utcTime = (d: Date) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));
const generalizedTime = (d: Date) => tlv(0x18, Buffer.from(`${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`));

function integer(value: bigint | Buffer): Buffer {
  let bytes = Buffer.isBuffer(value)
    ? value
    : Buffer.from(
        value
          .toString(16)
          .padStart(2, '0')
          .replace(/^(.(..)*)$/, '0$1'),
        'hex',
      );
  while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0) bytes = bytes.subarray(1);
  if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  policy: '1.3.6.1.4.1.57264.99.1',
};

const name = (cn: string) => seq(setOf(seq(oid(OID.commonName), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

interface Cert {
  der: Buffer;
  key: KeyObject;
  serial: bigint;
  issuerName: Buffer;
}

function certificate(
  serial: bigint,
  subject: string,
  issuer: string,
  subjectKey: KeyObject,
  issuerKey: KeyObject,
  extensions: Buffer[],
  from: Date,
  until: Date,
): Buffer {
  const tbs = seq(
    explicit(0, integer(2n)),
    integer(serial),
    seq(oid(OID.ecdsaSha256)),
    name(issuer),
    seq(utcTime(from), utcTime(until)),
    name(subject),
    createPublicKey(subjectKey).export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  return seq(tbs, seq(oid(OID.ecdsaSha256)), bits(sign('sha256', tbs, issuerKey)));
}

export interface TestTsa {
  url: string;
  /** A Sigstore trusted_root.json naming only this TSA (what a verifier passes as --trusted-root). */
  trustedRoot: object;
  /** How many requests were answered. */
  answered: () => number;
  close: () => Promise<void>;
}

export interface TsaBehaviour {
  /** The genTime the TSA states (default: the moment of the request). */
  time?: () => Date;
  /** Answer with another nonce (a replay), a rejection status, or garbage. */
  fault?: 'wrong-nonce' | 'rejected' | 'garbage';
}

/** A TSA without a server: its trusted-root entry, and signed timestamps over any bytes (what a Sigstore bundle's rfc3161Timestamps hold). */
export interface TimestampAuthority {
  /** The `timestampAuthorities` entry of a trusted root naming it. */
  rootEntry: object;
  /** A TimeStampResp whose message imprint is SHA-256 of `data`, stating `at` as its genTime. */
  stamp(data: Buffer, at: Date): Buffer;
}

interface Authority {
  leaf: Cert;
  rootEntry: (uri: string) => object;
}

function makeAuthority(): Authority {
  const from = new Date('2026-01-01T00:00:00Z');
  const until = new Date('2036-01-01T00:00:00Z');
  const rootKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const tsaKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const rootDer = certificate(
    1n,
    'auditpack test TSA root',
    'auditpack test TSA root',
    rootKey,
    rootKey,
    [extension(OID.keyUsage, true, bits(Buffer.from([0x06]), 1)), extension(OID.basicConstraints, true, seq(bool(true)))],
    from,
    until,
  );
  const leafDer = certificate(
    4242n,
    'auditpack test TSA',
    'auditpack test TSA root',
    tsaKey,
    rootKey,
    [extension(OID.keyUsage, true, bits(Buffer.from([0x80]), 7)), extension(OID.extKeyUsage, true, seq(oid(OID.timeStamping)))],
    from,
    until,
  );
  return {
    leaf: { der: leafDer, key: tsaKey, serial: 4242n, issuerName: name('auditpack test TSA root') },
    rootEntry: (uri) => ({
      subject: { organization: 'auditpack tests', commonName: 'auditpack test TSA' },
      uri,
      certChain: { certificates: [{ rawBytes: leafDer.toString('base64') }, { rawBytes: rootDer.toString('base64') }] },
      validFor: { start: from.toISOString() },
    }),
  };
}

export function makeTimestampAuthority(uri = 'https://tsa.test.invalid'): TimestampAuthority {
  const { leaf, rootEntry } = makeAuthority();
  let serial = 5000n;
  return {
    rootEntry: rootEntry(uri),
    stamp: (data, at) => respond(seq(integer(1n), seq(seq(oid(OID.sha256)), octets(sha256(data)))), leaf, (serial += 1n), { time: () => at }),
  };
}

/** Starts the TSA on 127.0.0.1; close it after the test. */
export async function startTestTsa(behaviour: TsaBehaviour = {}): Promise<TestTsa> {
  const { leaf, rootEntry } = makeAuthority();
  let count = 0;
  let serial = 1000n;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      serial++;
      const body = behaviour.fault === 'garbage' ? Buffer.from('not DER') : respond(Buffer.concat(chunks), leaf, serial, behaviour);
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/timestamp`;
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [rootEntry(url)],
  };
  return { url, trustedRoot, answered: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A TimeStampResp for a TimeStampReq, as RFC 3161 §2.4.2 and RFC 5652 lay it out. */
function respond(request: Buffer, leaf: Cert, serial: bigint, behaviour: TsaBehaviour): Buffer {
  if (behaviour.fault === 'rejected') return seq(seq(integer(2n)));
  const req = ASN1Obj.parseBuffer(request as Buffer<ArrayBuffer>);
  const imprint = req.subs[1]!.toDER();
  const nonce = req.subs.find((s, i) => i > 1 && s.tag.isInteger())?.toInteger();
  const answeredNonce = behaviour.fault === 'wrong-nonce' && nonce !== undefined ? nonce + 1n : nonce;
  const tstInfo = seq(
    integer(1n),
    oid(OID.policy),
    imprint,
    integer(serial),
    generalizedTime(behaviour.time?.() ?? new Date()),
    ...(answeredNonce === undefined ? [] : [integer(answeredNonce)]),
  );
  const essCertId = seq(seq(seq(octets(sha256(leaf.der)))));
  const attributes = [
    seq(oid(OID.contentType), setOf(oid(OID.tstInfo))),
    seq(oid(OID.messageDigest), setOf(octets(sha256(tstInfo)))),
    seq(oid(OID.signingCertificateV2), setOf(essCertId)),
  ];
  const signedAttrs = setOf(...attributes);
  const signature = sign('sha256', signedAttrs, leaf.key);
  const signerInfo = seq(
    integer(1n),
    seq(leaf.issuerName, integer(leaf.serial)),
    seq(oid(OID.sha256)),
    Buffer.concat([Buffer.from([0xa0]), signedAttrs.subarray(1)]),
    seq(oid(OID.ecdsaSha256)),
    octets(signature),
  );
  const signedData = seq(integer(3n), setOf(seq(oid(OID.sha256))), seq(oid(OID.tstInfo), explicit(0, octets(tstInfo))), tlv(0xa0, leaf.der), setOf(signerInfo));
  return seq(seq(integer(0n)), seq(oid(OID.signedData), explicit(0, signedData)));
}
