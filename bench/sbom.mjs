// SBOM validation and scoring throughput, beside plain JSON.parse in the same
// run. Not a test: `npm run build && node bench/sbom.mjs`. Goal: validate +
// score at no less than a third of JSON.parse's MB/s.
//
// Inputs: the real juice-shop SBOM from ../shared (1,101 components, skipped
// with a note when shared/ is absent) and a generated 20,000-component one.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validation } from '@cyclonedx/cyclonedx-library';
import { scoreSbom } from '../dist/sbom/score.js';
import { validateCycloneDx } from '../dist/sbom/validate.js';

const JUICE_SHOP = fileURLToPath(new URL('../../shared/testdata/external/cyclonedx/cyclonedx-node-npm/juice-shop-flat-bom.1.6.json', import.meta.url));
const RUNS = 15;

/** A realistic component: SHA-512, licence, purl, two external references, a property, a description. */
function generatedSbom(count) {
  const components = Array.from({ length: count }, (_, i) => ({
    type: 'library',
    'bom-ref': `pkg:npm/lib-${i}@1.${i % 97}.${i % 13}`,
    name: `lib-${i}`,
    version: `1.${i % 97}.${i % 13}`,
    description: 'A library that does something useful, generated for the benchmark',
    purl: `pkg:npm/lib-${i}@1.${i % 97}.${i % 13}`,
    hashes: [{ alg: 'SHA-512', content: (i.toString(16).padStart(8, '0') + 'ab'.repeat(60)).slice(0, 128) }],
    licenses: [{ license: { id: i % 10 === 0 ? 'Apache-2.0' : 'MIT' } }],
    externalReferences: [
      { type: 'vcs', url: `https://git.example/lib-${i}` },
      { type: 'website', url: `https://lib-${i}.example` },
    ],
    properties: [{ name: 'cdx:npm:package:path', value: `node_modules/lib-${i}` }],
  }));
  const refs = components.map((c) => c['bom-ref']);
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: { timestamp: '2026-01-01T00:00:00Z', component: { type: 'application', name: 'app', 'bom-ref': 'app' } },
    components,
    dependencies: [{ ref: 'app', dependsOn: refs }, ...refs.map((ref, i) => ({ ref, dependsOn: i + 1 < refs.length && i % 3 === 0 ? [refs[i + 1]] : [] }))],
  });
}

/** Median milliseconds of `runs` calls, after one warm-up call. */
async function median(fn, runs = RUNS) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const mbps = (bytes, ms) => bytes / 2 ** 20 / (ms / 1000);
const fmt = (n, width = 8) => n.toFixed(1).padStart(width);

async function bench(label, text, { library = false } = {}) {
  const bytes = Buffer.byteLength(text);
  const doc = JSON.parse(text);
  const parse = await median(() => JSON.parse(text));
  const validate = await median(async () => {
    const result = await validateCycloneDx(doc);
    if (result.status !== 'valid') throw new Error(`${label} is not valid: ${JSON.stringify(result).slice(0, 300)}`);
  });
  const score = await median(() => scoreSbom(doc));
  const both = validate + score;
  const ratio = parse / both;
  console.log(
    `${label.padEnd(28)} ${fmt(bytes / 2 ** 20, 6)} MiB | JSON.parse ${fmt(mbps(bytes, parse))} MB/s | validate ${fmt(mbps(bytes, validate))} MB/s (${fmt(validate, 6)} ms) | score ${fmt(mbps(bytes, score))} MB/s (${fmt(score, 6)} ms) | validate+score ${fmt(mbps(bytes, both))} MB/s = ${ratio.toFixed(2)} × JSON.parse ${ratio >= 1 / 3 ? '(goal ≥ 0.33 met)' : '(goal ≥ 0.33 MISSED)'}`,
  );
  console.log(`${''.padEnd(28)} parse + validate + score end to end: ${fmt(mbps(bytes, parse + both))} MB/s`);
  if (library) {
    const validator = new Validation.JsonStrictValidator(doc.specVersion);
    const lib = await median(() => validator.validate(text), 3);
    console.log(`${''.padEnd(28)} for comparison, the library's JsonStrictValidator (first error only, quadratic uniqueItems): ${fmt(lib, 6)} ms`);
  }
}

const loadStart = performance.now();
await validateCycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
console.log(
  `auditpack SBOM benchmark, Node ${process.version}, median of ${RUNS} runs; first validation, loading the 1.6 validator built ahead (dist/sbom/validators/): ${(performance.now() - loadStart).toFixed(0)} ms`,
);
if (existsSync(JUICE_SHOP)) await bench('juice-shop (1,101 comps)', readFileSync(JUICE_SHOP, 'utf8'), { library: true });
else console.log(`juice-shop SBOM not found at ${JUICE_SHOP}: skipped (it lives in ../shared)`);
await bench('generated (20,000 comps)', generatedSbom(20_000));
