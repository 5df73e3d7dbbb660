/**
 * Builds evidence for unit tests in code: real keys, real ECDSA signatures,
 * real Rekor SETs, so every negative case is a mutation of a valid one.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { dsse, json } from '@sigstore/core';
import { SubjectAnalysis } from '../../src/checks/analysis.js';
import type { CheckContext } from '../../src/checks/types.js';
import { classifyEvidence } from '../../src/collect/classify.js';
import type { CiRepository, Evidence, ParsedEvidence, PipelineRun, SubjectEvidence } from '../../src/collect/evidence.js';
import { DEFAULT_MAX_EVIDENCE_AGE, parseMaxAge } from '../../src/config/max-age.js';
import { parsePeriod } from '../../src/config/period.js';
import type { ImageConfig } from '../../src/config/schema.js';
import type { LoadedTrustedRoot, TrustedKey } from '../../src/trust/load.js';
import { ciForDigest, type CiEvidence, type CiPolicy } from '../../src/verify/ci-runs.js';
import type { VerificationOptions, VerificationTrust } from '../../src/verify/sigstore.js';
import type { CosignSignatureLine, DsseEnvelope } from '../../src/util/wire.js';

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pem: string;
}

export function makeKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function trustedKey(pair: KeyPair, id = 'test-key', window: { validFrom?: Date; validUntil?: Date } = {}): TrustedKey {
  const bytes = Buffer.from(pair.pem);
  return {
    id,
    source: `keys/${id}.pub`,
    bytes,
    sha256: sha256(bytes),
    key: pair.publicKey,
    fingerprint: sha256(pair.publicKey.export({ type: 'spki', format: 'der' })),
    algorithm: 'ECDSA P-256',
    ...window,
  };
}

export function trustedRootFor(rekor: KeyPair, start = '2026-01-01T00:00:00Z'): LoadedTrustedRoot {
  const spki = rekor.publicKey.export({ type: 'spki', format: 'der' });
  const root = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: 'https://rekor.test.invalid',
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: Buffer.from(sha256(spki), 'hex').toString('base64') },
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  const bytes = Buffer.from(JSON.stringify(root));
  return {
    source: 'keys/trusted_root.json',
    bytes,
    sha256: sha256(bytes),
    root: TrustedRoot.fromJSON(root),
    files: [{ source: 'keys/trusted_root.json', bytes, sha256: sha256(bytes) }],
  };
}

export const IMAGE: ImageConfig = {
  name: 'app',
  ref: 'registry.test/team/app:1.0',
  digest: `sha256:${'ab'.repeat(32)}`,
};

export function simpleSigningPayload(digest: string, type = 'cosign container image signature'): Buffer {
  return Buffer.from(
    `{"critical":{"identity":{"docker-reference":"registry.test/team/app"},"image":{"docker-manifest-digest":"${digest}"},"type":"${type}"},"optional":null}`,
  );
}

/** A `cosign download signature` line, optionally with a Rekor bundle signed by `rekor`. */
export function signatureLine(signer: KeyPair, payload: Buffer, rekor?: KeyPair, integratedTime = 1776000000): CosignSignatureLine {
  const sig = sign('sha256', payload, signer.privateKey).toString('base64');
  const line: CosignSignatureLine = {
    Base64Signature: sig,
    Payload: payload.toString('base64'),
    Cert: null,
    Chain: null,
    Bundle: null,
    RFC3161Timestamp: null,
  };
  if (!rekor) return line;
  const body = Buffer.from(
    JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: sha256(payload) } },
        signature: { content: sig, publicKey: { content: Buffer.from(signer.pem).toString('base64') } },
      },
    }),
  ).toString('base64');
  const logID = sha256(rekor.publicKey.export({ type: 'spki', format: 'der' }));
  const entry = { body, integratedTime, logID, logIndex: 4242 };
  const set = sign('sha256', Buffer.from(json.canonicalize(entry)), rekor.privateKey).toString('base64');
  line.Bundle = { SignedEntryTimestamp: set, Payload: entry };
  return line;
}

export function statement(digestHex: string, predicate: unknown, predicateType = 'https://cyclonedx.org/bom'): Buffer {
  return multiSubjectStatement([digestHex], predicate, predicateType);
}

/** An in-toto statement naming several artifacts, each `registry.test/team/app` with one of the digests. */
export function multiSubjectStatement(digestHexes: string[], predicate: unknown, predicateType = 'https://cyclonedx.org/bom'): Buffer {
  const subject = digestHexes.map((hex) => ({ name: 'registry.test/team/app', digest: { sha256: hex } }));
  return Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType, subject, predicate }));
}

export function envelope(signer: KeyPair, payload: Buffer, payloadType = 'application/vnd.in-toto+json'): DsseEnvelope {
  const sig = sign('sha256', dsse.preAuthEncoding(payloadType, payload), signer.privateKey).toString('base64');
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: '', sig }] };
}

export function sbom(components: number, opts: { licences?: boolean; purls?: boolean; timestamp?: string } = {}): Record<string, unknown> {
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: { timestamp: opts.timestamp ?? '2026-04-10T10:00:00Z' },
    components: Array.from({ length: components }, (_, i) => ({
      'bom-ref': `c${i}`,
      type: 'library',
      name: `lib${i}`,
      version: '1.0.0',
      ...(opts.purls === false ? {} : { purl: `pkg:npm/lib${i}@1.0.0` }),
      ...(opts.licences === false ? {} : { licenses: [{ license: { id: 'MIT' } }] }),
    })),
  };
}

/** Turns raw file contents into parsed evidence exactly as the collector does. */
export function evidenceFrom(name: string, content: string | Buffer): ParsedEvidence {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const evidence: Evidence = { sha256: sha256(bytes), kind: 'unrecognised', source: `evidence/app/${name}`, bytes, subject: IMAGE.name };
  const classified = classifyEvidence(evidence);
  if (!classified.ok) throw new Error(`fixture ${name} did not classify: ${classified.reason}`);
  return classified.parsed;
}

export const jsonLines = (items: unknown[]) => `${items.map((i) => JSON.stringify(i)).join('\n')}\n`;

export const REPO_URL = 'https://forge.test/team/app';
export const CI_REPOSITORY: CiRepository = { id: 7, fullName: 'team/app', forgeUrl: REPO_URL, evidence: '4'.repeat(64), source: 'woodpecker/repo.json' };
export const CI_POLICY: CiPolicy = { repository: { url: REPO_URL }, events: ['push', 'tag'], branches: ['main'] };

export interface RunOptions {
  digest?: string;
  number?: number;
  status?: string;
  event?: string;
  branch?: string;
  ref?: string;
  forgeUrl?: string;
  /** The build step's log: by default a `docker push` that reports the digest. */
  buildLog?: string[];
  buildState?: { state: string; exitCode: number };
  signLog?: string[];
  finishedAt?: string;
}

/** A Woodpecker run of the test repository: a build step that pushed the digest, then a signing step. */
export function pipelineRun(opts: RunOptions = {}): PipelineRun {
  const digest = opts.digest ?? IMAGE.digest;
  const branch = opts.branch ?? 'main';
  const build = opts.buildState ?? { state: 'success', exitCode: 0 };
  return {
    system: 'woodpecker',
    number: opts.number ?? 1201,
    status: opts.status ?? 'success',
    event: opts.event ?? 'push',
    branch,
    ref: opts.ref ?? `refs/heads/${branch}`,
    commit: 'c0ffee',
    forgeUrl: opts.forgeUrl ?? `${REPO_URL}/commit/c0ffee`,
    startedAt: '2026-04-10T09:00:00.000Z',
    finishedAt: opts.finishedAt ?? '2026-04-10T09:10:00.000Z',
    workflows: [
      {
        name: '06-trivy',
        state: 'success',
        environ: {},
        steps: [
          {
            id: 1,
            name: 'build-push',
            ...build,
            log: opts.buildLog ?? ['+ docker push registry.test/team/app:1.0', `1.0: digest: ${digest} size: 1234`],
            logEvidence: '1'.repeat(64),
          },
        ],
      },
      {
        name: '10-image-sign',
        state: 'success',
        environ: {},
        steps: [
          {
            id: 2,
            name: 'sign',
            state: 'success',
            exitCode: 0,
            log: opts.signLog ?? [`+ cosign sign --yes --key env://COSIGN_PRIVATE_KEY registry.test/team/app@${digest}`, 'tlog entry created with index: 1'],
            logEvidence: '2'.repeat(64),
          },
        ],
      },
    ],
    evidence: '3'.repeat(64),
  };
}

export interface ContextInput {
  items?: ParsedEvidence[];
  problems?: SubjectEvidence['problems'];
  runs?: PipelineRun[];
  /** Keys, trusted root and, for keyless signatures, trusted identities. */
  trust: VerificationTrust;
  image?: ImageConfig;
  verification?: VerificationOptions;
  ci?: Partial<CiPolicy>;
  repository?: CiRepository | undefined;
  /** `evidence.maxAge` (default P1Y). */
  maxAge?: string;
  /** Give the check only the runs bearing on the image's digest, as an image's job in a report run gets them (`ciForDigest`). */
  sliced?: boolean;
}

/** What the engine gives a check: the subject's evidence, the estate's CI runs bound by policy, and the trust. */
export function context(input: ContextInput): CheckContext {
  const image = input.image ?? IMAGE;
  const evidence: SubjectEvidence = { subject: image.name, items: input.items ?? [], problems: input.problems ?? [] };
  const repository = 'repository' in input ? input.repository : CI_REPOSITORY;
  const estate: CiEvidence = { runs: input.runs ?? [], ...(repository ? { repository } : {}), policy: { ...CI_POLICY, ...input.ci } };
  const ci = input.sliced === true ? ciForDigest(estate, image.digest) : estate;
  return {
    image,
    period: parsePeriod('2026-Q2', 'UTC'),
    maxEvidenceAge: parseMaxAge(input.maxAge ?? DEFAULT_MAX_EVIDENCE_AGE),
    sbomPolicy: { minLicenceCoverage: 0.8, minPurlCoverage: 0.8 },
    analysis: new SubjectAnalysis({ image, evidence, ci, trust: input.trust, ...(input.verification ? { verification: input.verification } : {}) }),
  };
}

/** Key-only evidence without log entry or timestamp is accepted only with this policy (trust.requireTransparencyLog: false). */
export const KEY_ONLY: VerificationOptions = { requireSignedTime: false };

export const publicKeyOf = (pem: string) => createPublicKey(pem);
