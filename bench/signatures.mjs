// Benchmark (not a test): verifies N key-based cosign signatures through
// auditpack's sigstore-js path and prints verifications per second beside raw
// node:crypto verify in the same run. Goal: at least half of raw.
// Usage: npm run build && node bench/signatures.mjs [N]
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { verifyInput } from '../dist/verify/sigstore.js';

const N = Number(process.argv[2] ?? 10_000);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = publicKey.export({ type: 'spki', format: 'der' });
const trust = {
  keys: [
    {
      id: 'bench',
      source: 'bench.pub',
      bytes: Buffer.alloc(0),
      sha256: '',
      key: publicKey,
      fingerprint: createHash('sha256').update(spki).digest('hex'),
      algorithm: 'ECDSA P-256',
    },
  ],
};

const lines = Array.from({ length: N }, (_, i) => {
  const digest = createHash('sha256').update(String(i)).digest('hex');
  const payload = Buffer.from(
    `{"critical":{"identity":{"docker-reference":"registry.bench/app"},"image":{"docker-manifest-digest":"sha256:${digest}"},"type":"cosign container image signature"},"optional":null}`,
  );
  return {
    Base64Signature: sign('sha256', payload, privateKey).toString('base64'),
    Payload: payload.toString('base64'),
    Cert: null,
    Chain: null,
    Bundle: null,
    RFC3161Timestamp: null,
  };
});

function time(label, fn) {
  fn(lines.slice(0, 200)); // warm up
  const start = performance.now();
  const ok = fn(lines);
  const seconds = (performance.now() - start) / 1000;
  if (ok !== N) throw new Error(`${label}: only ${ok} of ${N} verified`);
  const rate = N / seconds;
  console.log(`${label.padEnd(34)} ${rate.toFixed(0).padStart(8)} verifications/s  (${N} in ${seconds.toFixed(2)} s)`);
  return rate;
}

const raw = time(
  'raw crypto.verify',
  (batch) => batch.filter((l) => verify('sha256', Buffer.from(l.Payload, 'base64'), publicKey, Buffer.from(l.Base64Signature, 'base64'))).length,
);
// Key-only lines without log entry: accepted only with trust.requireTransparencyLog false.
const KEY_ONLY = { requireSignedTime: false };
const ours = time(
  'auditpack (sigstore-js, v0.1 bundle)',
  (batch) => batch.filter((line) => verifyInput({ kind: 'legacy-signature', line }, trust, KEY_ONLY).ok).length,
);
console.log(`auditpack / raw = ${(ours / raw).toFixed(2)} (goal ≥ 0.50)`);
