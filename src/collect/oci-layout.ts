import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeThrown, type ErrorCode } from '../errors.js';
import type { ImageConfig } from '../config/schema.js';
import type { EvidenceKind, InputProblem } from '../report/model.js';
import { SIGSTORE_BUNDLE_MEDIA_TYPE, isDsseEnvelope, isRecord, stringAnnotations } from '../util/wire.js';
import type { Evidence, OciLayoutContents, ParsedEvidence } from './evidence.js';
import { readContainedFile } from './read-file.js';

/** `kind` annotations `cosign save` puts on `index.json` entries (cosign `pkg/oci/layout`). */
const KIND = {
  image: 'dev.cosignproject.cosign/image',
  imageIndex: 'dev.cosignproject.cosign/imageIndex',
  sigs: 'dev.cosignproject.cosign/sigs',
  atts: 'dev.cosignproject.cosign/atts',
};
const DIGEST = /^sha256:([0-9a-f]{64})$/;
/** Manifests are small; image layers are not read when scanning for referrers. */
const MAX_SCANNED_BLOB = 1024 * 1024;

export interface LayoutCollection {
  item?: ParsedEvidence;
  /** Every file used, kept verbatim: `oci-layout`, `index.json` and the blobs read. */
  evidence: Evidence[];
  problems: InputProblem[];
}

/** An OCI image layout is a folder with an `oci-layout` file (OCI image-spec `image-layout.md`). */
export async function isOciLayout(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'oci-layout'))).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads what `cosign save --dir` wrote: index → `.sig` and `.att` manifests →
 * their layers, plus OCI 1.1 referrer manifests found by scanning the blobs for
 * a subject equal to the image (cosign v3 bundles have no index entry). Every
 * blob is checked against its digest; a missing or altered blob is a problem
 * naming its path, and an altered one is still passed on so that verification
 * fails on it rather than silently skipping it.
 */
export async function collectOciLayout(baseDir: string, dir: string, image: ImageConfig): Promise<LayoutCollection> {
  const reader = new LayoutReader(baseDir, dir, image.name);
  const marker = await reader.file('oci-layout');
  if (marker && typeof reader.json(marker, 'the layout marker')?.imageLayoutVersion !== 'string') {
    reader.problem('EVIDENCE_MALFORMED', marker.source, 'oci-layout has no imageLayoutVersion: not an OCI image layout marker');
  }
  const index = await reader.file('index.json');
  const manifests = index ? reader.json(index, 'the layout index')?.manifests : undefined;
  if (!index || !Array.isArray(manifests)) {
    if (index) reader.problem('EVIDENCE_MALFORMED', index.source, 'index.json has no manifests list');
    return reader.result(undefined);
  }
  const contents: OciLayoutContents = { dir: relative(baseDir, dir), signatures: [], attestations: [], bundles: [] };
  for (const descriptor of manifests.filter(isRecord)) {
    const kind = stringAnnotations(descriptor).kind;
    if (kind === KIND.image || kind === KIND.imageIndex) {
      if (typeof descriptor.digest === 'string') contents.imageDigest = descriptor.digest;
      await reader.blob(descriptor.digest, 'image-manifest', `the image ${kind === KIND.image ? 'manifest' : 'index'} named by index.json`);
    } else if (kind === KIND.sigs) {
      await readSignatures(reader, descriptor, index, contents);
    } else if (kind === KIND.atts) {
      await readAttestations(reader, descriptor, index, contents);
    }
  }
  await readReferrers(reader, new Set([contents.imageDigest, image.digest].filter((d): d is string => d !== undefined)), contents);
  if (contents.imageDigest !== undefined && contents.imageDigest !== image.digest) {
    reader.problem('DIGEST_MISMATCH', index.source, `the layout was saved from ${contents.imageDigest}, not from the digest in scope ${image.digest}`);
  }
  // A layout of the image alone (an unsigned image collected from its registry) is understood: the
  // checks report the missing signature. Only a layout holding nothing auditpack can tie to the image is not.
  if (contents.imageDigest === undefined && contents.signatures.length + contents.attestations.length + contents.bundles.length === 0) {
    reader.problem(
      'EVIDENCE_UNRECOGNISED',
      index.source,
      'an OCI image layout naming neither the image (no cosign kind annotation) nor cosign signatures, attestations or Sigstore bundle referrers for it',
    );
  }
  return reader.result({ kind: 'oci-layout', evidence: index, layout: contents });
}

async function readSignatures(reader: LayoutReader, descriptor: Record<string, unknown>, index: Evidence, contents: OciLayoutContents): Promise<void> {
  const manifest = await reader.blob(descriptor.digest, 'oci-blob', 'the .sig manifest named by index.json');
  for (const [position, layer] of layersOf(reader, manifest, 'the .sig manifest').entries()) {
    const what = `.sig layer ${position + 1}`;
    const payload = await reader.blob(layer.digest, 'simple-signing-payload', `the payload of ${what}`);
    if (!payload || !manifest) continue;
    const label = `${contents.dir} ${what}`;
    contents.signatures.push({
      label,
      evidence: [payload.sha256, manifest.sha256, index.sha256],
      payload: payload.bytes,
      annotations: stringAnnotations(layer),
    });
  }
}

async function readAttestations(reader: LayoutReader, descriptor: Record<string, unknown>, index: Evidence, contents: OciLayoutContents): Promise<void> {
  const manifest = await reader.blob(descriptor.digest, 'oci-blob', 'the .att manifest named by index.json');
  for (const [position, layer] of layersOf(reader, manifest, 'the .att manifest').entries()) {
    const what = `.att layer ${position + 1}`;
    const blob = await reader.blob(layer.digest, 'dsse-attestation', `the DSSE envelope of ${what}`);
    if (!blob || !manifest) continue;
    const envelope = reader.json(blob, `the DSSE envelope of ${what}`);
    if (!isDsseEnvelope(envelope)) {
      if (envelope) reader.problem('EVIDENCE_MALFORMED', blob.source, `${what} is not a DSSE envelope`);
      continue;
    }
    contents.attestations.push({
      label: `${contents.dir} ${what}`,
      evidence: [blob.sha256, manifest.sha256, index.sha256],
      envelope,
      annotations: stringAnnotations(layer),
    });
  }
}

/** cosign `getLocalBundleDescriptors`: any manifest whose subject is the image and whose layer is a Sigstore bundle. */
async function readReferrers(reader: LayoutReader, subjects: Set<string>, contents: OciLayoutContents): Promise<void> {
  for (const hex of await reader.blobNames()) {
    const manifest = await reader.peek(hex);
    const subject = isRecord(manifest) && isRecord(manifest.subject) ? manifest.subject.digest : undefined;
    if (typeof subject !== 'string' || !subjects.has(subject) || !Array.isArray(manifest?.layers)) continue;
    const bundleLayers = manifest.layers.filter(
      (l): l is Record<string, unknown> => isRecord(l) && typeof l.mediaType === 'string' && l.mediaType.startsWith(SIGSTORE_BUNDLE_MEDIA_TYPE),
    );
    if (bundleLayers.length === 0) continue;
    const kept = await reader.blob(`sha256:${hex}`, 'oci-blob', 'a referrer manifest');
    if (!kept) continue;
    for (const [position, layer] of bundleLayers.entries()) {
      const what = `referrer sha256:${hex.slice(0, 12)}… bundle ${position + 1}`;
      const blob = await reader.blob(layer.digest, 'sigstore-bundle', `the Sigstore bundle of ${what}`);
      const bundle = blob ? reader.json(blob, `the Sigstore bundle of ${what}`) : undefined;
      if (blob && bundle) contents.bundles.push({ label: `${contents.dir} ${what}`, evidence: [blob.sha256, kept.sha256], bundle });
    }
  }
}

function layersOf(reader: LayoutReader, manifest: Evidence | undefined, what: string): Record<string, unknown>[] {
  if (!manifest) return [];
  const layers = reader.json(manifest, what)?.layers;
  if (!Array.isArray(layers)) {
    reader.problem('EVIDENCE_MALFORMED', manifest.source, `${what} has no layers`);
    return [];
  }
  return layers.filter(isRecord);
}

/** Reads files of one layout, keeping each used file once as evidence and collecting problems. */
class LayoutReader {
  private readonly kept = new Map<string, Evidence>();
  private readonly problems: InputProblem[] = [];
  private readonly cache = new Map<string, Buffer | { code: string; message: string }>();

  constructor(
    private readonly baseDir: string,
    private readonly dir: string,
    private readonly subject: string,
  ) {}

  problem(code: ErrorCode, file: string, reason: string): void {
    this.problems.push({ code, file, reason, subject: this.subject });
  }

  result(item: ParsedEvidence | undefined): LayoutCollection {
    return { ...(item === undefined ? {} : { item }), evidence: [...this.kept.values()], problems: this.problems };
  }

  /** A top-level layout file (`oci-layout`, `index.json`). */
  async file(name: string): Promise<Evidence | undefined> {
    const path = join(this.dir, name);
    try {
      return this.keep(path, await readContainedFile(this.baseDir, path), 'oci-layout');
    } catch (thrown) {
      this.problem('EVIDENCE_UNREADABLE', relative(this.baseDir, path), `the OCI layout's ${name} cannot be read (${describeThrown(thrown)})`);
      return undefined;
    }
  }

  /** A blob named by a descriptor, checked against its digest and kept as evidence. */
  async blob(digest: unknown, kind: EvidenceKind, what: string): Promise<Evidence | undefined> {
    const hex = typeof digest === 'string' ? DIGEST.exec(digest)?.[1] : undefined;
    if (hex === undefined) {
      this.problem('EVIDENCE_MALFORMED', relative(this.baseDir, this.dir), `${what}: descriptor digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
      return undefined;
    }
    const path = this.blobPath(hex);
    const read = await this.read(hex);
    if (!Buffer.isBuffer(read)) {
      const why = read.code === 'ENOENT' ? 'is missing from the layout' : `cannot be read (${read.message})`;
      this.problem('EVIDENCE_UNREADABLE', relative(this.baseDir, path), `${what}: blob sha256:${hex} ${why}`);
      return undefined;
    }
    const evidence = this.keep(path, read, kind);
    if (evidence.sha256 !== hex) {
      this.problem(
        'EVIDENCE_MALFORMED',
        evidence.source,
        `${what}: the blob's content does not match its digest sha256:${hex} (its SHA-256 is ${evidence.sha256}): altered or corrupted`,
      );
    }
    return evidence;
  }

  /** Names of the blobs that look like digests, sorted, for the referrer scan. */
  async blobNames(): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, 'blobs', 'sha256'))).filter((n) => /^[0-9a-f]{64}$/.test(n)).sort();
    } catch {
      return [];
    }
  }

  /** A small blob parsed as JSON without keeping it (most blobs scanned are not referrers). */
  async peek(hex: string): Promise<Record<string, unknown> | undefined> {
    try {
      if ((await stat(this.blobPath(hex))).size > MAX_SCANNED_BLOB) return undefined;
    } catch {
      return undefined;
    }
    const bytes = await this.read(hex);
    if (!Buffer.isBuffer(bytes) || bytes[0] !== 0x7b) return undefined;
    try {
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      return isRecord(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  json(evidence: Evidence, what: string): Record<string, unknown> | undefined {
    try {
      const value: unknown = JSON.parse(evidence.bytes.toString('utf8'));
      if (isRecord(value)) return value;
      this.problem('EVIDENCE_MALFORMED', evidence.source, `${what} is not a JSON object`);
    } catch (thrown) {
      this.problem('EVIDENCE_MALFORMED', evidence.source, `${what} is not JSON (${describeThrown(thrown)})`);
    }
    return undefined;
  }

  private blobPath(hex: string): string {
    return join(this.dir, 'blobs', 'sha256', hex);
  }

  private async read(hex: string): Promise<Buffer | { code: string; message: string }> {
    let read = this.cache.get(hex);
    if (read === undefined) {
      read = await readContainedFile(this.baseDir, this.blobPath(hex)).catch((thrown: unknown) => ({
        code: errnoCode(thrown),
        message: describeThrown(thrown),
      }));
      this.cache.set(hex, read);
    }
    return read;
  }

  private keep(path: string, bytes: Buffer, kind: EvidenceKind): Evidence {
    const source = relative(this.baseDir, path);
    const existing = this.kept.get(source);
    if (existing) return existing;
    const evidence: Evidence = { sha256: createHash('sha256').update(bytes).digest('hex'), kind, source, bytes, subject: this.subject };
    this.kept.set(source, evidence);
    return evidence;
  }
}

/** The errno code of a failed read (`ENOENT`, …), or '' when the thrown value carries none. */
function errnoCode(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}
