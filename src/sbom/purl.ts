import { PackageURL } from 'packageurl-js';
import { describeThrown } from '../errors.js';

export type PurlReading = { ok: true; type: string } | { ok: false; problem: string };

/**
 * A package URL read once per distinct string: the images of an estate share
 * most of their packages (base images, common libraries), and the SBOM checks
 * and the inventory each read every purl. What is kept is small (its type or
 * its problem); the memo is emptied when it reaches MEMO_LIMIT strings, so it
 * stays bounded whatever the estate.
 */
export function readPurl(purl: string): PurlReading {
  const known = memo.get(purl);
  if (known !== undefined) return known;
  let reading: PurlReading;
  try {
    reading = { ok: true, type: PackageURL.fromString(purl).type };
  } catch (thrown) {
    reading = { ok: false, problem: describeThrown(thrown) };
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(purl, reading);
  return reading;
}

const MEMO_LIMIT = 50_000;
const memo = new Map<string, PurlReading>();
