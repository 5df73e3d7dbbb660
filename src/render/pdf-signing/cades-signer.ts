/**
 * The CMS signature inside report.pdf: a detached SignedData over the PDF's
 * byte ranges, with the signed attributes PAdES baseline B-B asks for
 * (content type, message digest, ESS signing-certificate-v2), so readers show
 * it as `ETSI.CAdES.detached`. The signing time is the PDF signature
 * dictionary's /M (the run's clock), not a CMS attribute, as PAdES wants.
 *
 * Written with pkijs rather than @signpdf/signer-p12: that signer uses
 * node-forge, which reads RSA keys only and cannot add signing-certificate-v2
 * (reference/libs-formats.md §4.3-4.4). RSA signatures are deterministic, so
 * the same report signed with the same RSA key gives the same bytes.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { cryptoSigningKey, signingAlgorithm, toArrayBuffer, useNodeCrypto } from '../../util/certificate.js';
import type { PdfSigningIdentity } from './identity.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export class CadesSigner {
  readonly #identity: PdfSigningIdentity;
  /** The hash of the signed bytes the signature needs (Node's name for it): the key's own. */
  readonly digestAlgorithm: 'sha256' | 'sha384';

  constructor(identity: PdfSigningIdentity) {
    this.#identity = identity;
    this.digestAlgorithm = signingAlgorithm(identity.privateKey).hash === 'SHA-384' ? 'sha384' : 'sha256';
  }

  /** `digest`: the `digestAlgorithm` hash of the PDF's byte ranges (the whole file but its /Contents). */
  async signDigest(digest: Buffer): Promise<Buffer> {
    useNodeCrypto();
    const { privateKey, certificates } = this.#identity;
    const hash = signingAlgorithm(privateKey).hash;
    const certs = certificates.map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der)));
    const leaf = certs[0]!;
    const attributes = [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({
        type: OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
      }),
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(certificates[0]!, leaf)] }),
    ];
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
        }),
      ],
      certificates: certs,
    });
    await signedData.sign(await cryptoSigningKey(privateKey), 0, hash);
    const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
    return Buffer.from(info.toSchema().toBER(false));
  }
}

/**
 * ESS SigningCertificateV2 (RFC 5035): the SHA-256 of the signer's
 * certificate (SHA-256 is the default hash, so it is not written) and its
 * issuer and serial number, binding the signature to that certificate.
 */
function signingCertificateV2(der: Buffer, cert: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(createHash('sha256').update(der).digest()) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}
