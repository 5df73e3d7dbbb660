/**
 * Self-signed X.509 certificates for signing report PDFs, for demos and for
 * teams without a PKI yet (`auditpack keygen --certificate`). A reader shows
 * such a signature as valid but its signer as unknown until the certificate
 * is trusted; production reports should be signed with a certificate from
 * the organisation's CA.
 *
 * Built with pkijs (the same library that writes the PDF's CMS signature).
 * Deterministic for a given key, subject and validity when the key is RSA:
 * the serial number is derived from them and RSA PKCS#1 v1.5 signatures
 * have no randomness (ECDSA ones do).
 *
 * This file imports only packages, never other auditpack modules, so that the
 * sample generator (scripts/, run by Node without a build) can import it.
 */
import { createHash, createPublicKey, generateKeyPairSync, webcrypto, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface CertificateRequest {
  /** The key that signs the PDF: RSA (2048 bits or more) or ECDSA P-256/P-384. */
  privateKey: KeyObject;
  /** Common name, e.g. "AKKO compliance reports". */
  commonName: string;
  organisation?: string;
  /** ISO 3166 two-letter country code. */
  country?: string;
  notBefore: Date;
  notAfter: Date;
}

const OID = {
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
  country: '2.5.4.6',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

/** The WebCrypto algorithm a Node key signs with (SHA-256 for RSA and P-256, SHA-384 for P-384). */
export function signingAlgorithm(key: KeyObject): { import: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams; hash: 'SHA-256' | 'SHA-384' } {
  if (key.asymmetricKeyType === 'rsa') return { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, hash: 'SHA-256' };
  const curve = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  if (curve === 'prime256v1') return { import: { name: 'ECDSA', namedCurve: 'P-256' }, hash: 'SHA-256' };
  if (curve === 'secp384r1') return { import: { name: 'ECDSA', namedCurve: 'P-384' }, hash: 'SHA-384' };
  throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''} key cannot sign a PDF readers accept: use RSA or ECDSA P-256/P-384`);
}

/** The private key as a WebCrypto key pkijs can sign with. */
export function cryptoSigningKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, signingAlgorithm(key).import, false, ['sign']);
}

/**
 * pkijs needs an engine once per process; Node's WebCrypto is it. (pkijs
 * types the engine's `crypto` as the DOM's Crypto, which this Node-only
 * build does not declare, so any value type-checks there.)
 */
export function useNodeCrypto(): void {
  pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto }));
}

/** A self-signed certificate for `request.privateKey`, as PEM. */
export async function selfSignedCertificate(request: CertificateRequest): Promise<string> {
  useNodeCrypto();
  const spki = createPublicKey(request.privateKey).export({ type: 'spki', format: 'der' });
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: serialNumber(spki, request) });
  cert.subject = distinguishedName(request);
  cert.issuer = distinguishedName(request);
  cert.notBefore.value = request.notBefore;
  cert.notAfter.value = request.notAfter;
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(spki));
  const keyId = createHash('sha1').update(Buffer.from(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)).digest();
  cert.extensions = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    // digitalSignature (bit 0) and nonRepudiation/contentCommitment (bit 1): what a document signature asserts.
    extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 })),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: toArrayBuffer(keyId) })),
  ];
  await cert.sign(await cryptoSigningKey(request.privateKey), signingAlgorithm(request.privateKey).hash);
  const der = Buffer.from(cert.toSchema(true).toBER(false));
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export interface GeneratedPdfSigner {
  /** PKCS#8 PEM, unencrypted: store it like any private key (mode 0600, never in the bundle). */
  keyPem: string;
  certificatePem: string;
}

/**
 * A new RSA-3072 key and its self-signed certificate, valid from `notBefore`
 * for `days` days: what `auditpack keygen --certificate` writes. RSA because
 * every PDF reader accepts it and its signatures are deterministic.
 */
export async function generatePdfSigner(options: Omit<CertificateRequest, 'privateKey' | 'notAfter'> & { days: number }): Promise<GeneratedPdfSigner> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const { days, ...names } = options;
  const notAfter = new Date(options.notBefore.getTime() + days * 86_400_000);
  const certificatePem = await selfSignedCertificate({ ...names, privateKey, notAfter });
  return { keyPem: String(privateKey.export({ type: 'pkcs8', format: 'pem' })), certificatePem };
}

/** C, O, CN: one attribute per RDN (pkijs would put them all in one multi-valued RDN). */
function distinguishedName(request: CertificateRequest): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseStringBlock) => new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value }).toSchema()] });
  const name = new asn1js.Sequence({
    value: [
      ...(request.country ? [rdn(OID.country, new asn1js.PrintableString({ value: request.country }))] : []),
      ...(request.organisation ? [rdn(OID.organisation, new asn1js.Utf8String({ value: request.organisation }))] : []),
      rdn(OID.commonName, new asn1js.Utf8String({ value: request.commonName })),
    ],
  });
  return pkijs.RelativeDistinguishedNames.fromBER(name.toBER(false));
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** 16 bytes from the key, names and validity, positive (top bit clear) and never zero. */
function serialNumber(spki: Buffer, request: CertificateRequest): ArrayBuffer {
  const bytes = createHash('sha256')
    .update(spki)
    .update(
      JSON.stringify([request.commonName, request.organisation ?? '', request.country ?? '', request.notBefore.toISOString(), request.notAfter.toISOString()]),
    )
    .digest()
    .subarray(0, 16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return toArrayBuffer(bytes);
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
