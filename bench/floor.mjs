// The single-pass floor of an estate (benchmark, not a test): the least work
// any tool must do to verify it. Read and SHA-256 every input byte once,
// JSON.parse every JSON input once (JSON files, JSON lines, and the in-toto
// statement inside each DSSE payload, which carries the SBOM), base64-decode
// payloads and CI log lines, and one crypto.verify per signature (image
// signature, its Rekor signed entry timestamp, the DSSE attestation, and the
// signatures and entry timestamps in the layers of cosign's `.sig`/`.att`
// manifests, a `.sig` layer against its payload blob in the same folder).
// `auditpack report` does all of this and more; bench/estate.mjs compares the two.
//
// Usage: node bench/floor.mjs ESTATE_DIR   → prints one JSON line of counts.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const IN_TOTO = 'application/vnd.in-toto+json';

/** Canonical JSON (sorted keys, no spaces): the bytes a Rekor SET signs. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const pae = (type, payload) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);

async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A Rekor bundle's signed entry timestamp, checked against the log's key. */
function verifySet(bundle, keys, counts) {
  const p = bundle.Payload;
  const set = Buffer.from(canonical({ body: p.body, integratedTime: p.integratedTime, logID: p.logID, logIndex: p.logIndex }));
  if (!verify('sha256', set, keys.rekor, Buffer.from(bundle.SignedEntryTimestamp, 'base64'))) counts.invalid++;
  counts.verifies++;
}

/** A `.sig`/`.att` manifest's layers: each entry timestamp now, each signature once its blob is read (`pending`). */
function visitLayers(layers, keys, counts, pending) {
  for (const layer of layers) {
    const a = layer?.annotations ?? {};
    if (typeof a['dev.sigstore.cosign/bundle'] === 'string') {
      verifySet(JSON.parse(a['dev.sigstore.cosign/bundle']), keys, counts);
      counts.jsonParses++;
    }
    if (a['dev.cosignproject.cosign/signature']) pending.push({ digest: layer.digest, signature: a['dev.cosignproject.cosign/signature'] });
  }
}

/** One parsed JSON value: verify what is signed, decode what is encoded. */
function visit(value, keys, counts, pending) {
  if (Array.isArray(value)) {
    // Woodpecker log lines: base64 of the line's text.
    for (const item of value)
      if (item && typeof item.data === 'string') {
        Buffer.from(item.data, 'base64');
        counts.logLines++;
      }
    return;
  }
  if (!value || typeof value !== 'object') return;
  if (typeof value.Base64Signature === 'string') {
    const payload = Buffer.from(value.Payload, 'base64');
    if (!verify('sha256', payload, keys.cosign, Buffer.from(value.Base64Signature, 'base64'))) counts.invalid++;
    counts.verifies++;
    if (value.Bundle?.Payload) verifySet(value.Bundle, keys, counts);
  } else if (Array.isArray(value.layers)) {
    visitLayers(value.layers, keys, counts, pending);
  } else if (typeof value.payloadType === 'string' && typeof value.payload === 'string') {
    const payload = Buffer.from(value.payload, 'base64');
    JSON.parse(payload.toString('utf8'));
    counts.jsonParses++;
    for (const s of value.signatures ?? []) {
      if (!verify('sha256', pae(IN_TOTO, payload), keys.cosign, Buffer.from(s.sig, 'base64'))) counts.invalid++;
      counts.verifies++;
    }
  }
}

async function trustKeys(dir) {
  const cosign = createPublicKey(await readFile(join(dir, 'keys/cosign.pub')));
  const root = JSON.parse(await readFile(join(dir, 'keys/DEMO-ONLY-trusted_root.json'), 'utf8'));
  const rekor = createPublicKey({ key: Buffer.from(root.tlogs[0].publicKey.rawBytes, 'base64'), format: 'der', type: 'spki' });
  return { cosign, rekor };
}

export async function floor(dir) {
  const start = performance.now();
  const keys = await trustKeys(dir);
  const counts = { files: 0, bytes: 0, jsonParses: 0, verifies: 0, invalid: 0, logLines: 0 };
  // `.sig` layer signatures wait for their payload blob, found by digest among the folder's files (only the
  // paths are kept, so a folder of thousands of pipelines costs little; the few blobs needed are read again).
  let folder;
  let blobs = new Map();
  let pending = [];
  const settle = async () => {
    for (const { digest, signature } of pending) {
      const blob = blobs.has(digest) ? await readFile(blobs.get(digest)) : undefined;
      if (!blob || !verify('sha256', blob, keys.cosign, Buffer.from(signature, 'base64'))) counts.invalid++;
      counts.verifies++;
    }
    blobs = new Map();
    pending = [];
  };
  for (const file of await listFiles(dir)) {
    if (dirname(file) !== folder) {
      await settle();
      folder = dirname(file);
    }
    const bytes = await readFile(file);
    blobs.set(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, file);
    counts.files++;
    counts.bytes += bytes.length;
    const lines = file.endsWith('.jsonl')
      ? bytes
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
      : file.endsWith('.json')
        ? [bytes.toString('utf8')]
        : [];
    for (const line of lines) {
      const value = JSON.parse(line);
      counts.jsonParses++;
      visit(value, keys, counts, pending);
    }
  }
  await settle();
  return { ...counts, seconds: (performance.now() - start) / 1000 };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/floor.mjs ESTATE_DIR');
    process.exit(2);
  }
  const result = await floor(dir);
  console.log(JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS }));
}
