/**
 * Writes the AKKO estate of the third quarter of 2026 (see q3.ts) into a
 * folder, by default out/samples/akko-2026-Q3 (not committed: it is
 * generated, deterministically, in about two seconds).
 *
 *   npm run samples:q3 [-- OUT]
 */
import { rmSync } from 'node:fs';
import { demoKeys, demoPdfCertificate } from './keys.ts';
import { JULY_2026, q3Images } from './q3.ts';
import { writeEstate } from './write-estate.ts';

const out = process.argv[2] ?? 'out/samples/akko-2026-Q3';
rmSync(out, { recursive: true, force: true });
const keys = demoKeys();
const estate = writeEstate({ out, keys, pdfCertificate: await demoPdfCertificate(keys), images: q3Images(), release: JULY_2026 });
console.log(`wrote ${out}: ${estate.images.length} images of the ${JULY_2026.tag} release train, period ${JULY_2026.period}`);
