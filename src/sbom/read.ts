import { open } from 'node:fs/promises';
import type { ExtractedItem, SbomReader } from './extract.js';

/**
 * The largest SBOM file auditpack reads: 256 MiB. Parsed and validated, a
 * JSON SBOM takes several times its size in memory (measured with
 * `auditpack sbom validate`: a 91 MiB CycloneDX file peaks at 0.7 GB RSS, the
 * same SBOM in a 121 MiB DSSE envelope at 1.1 GB), so at this limit a default
 * Node heap (about 4 GiB) still has room. Larger files are refused, before
 * reading, with a result that says so.
 */
export const MAX_SBOM_FILE_BYTES = 256 * 2 ** 20;

export interface SbomFile {
  file: string;
  /** SHA-256 of the bytes, when they were read. */
  sha256?: string;
  size?: number;
  items: ExtractedItem[];
}

/** Reads one file (size checked first) and extracts its SBOMs through the run's memoising reader. */
export async function readSbomFile(file: string, reader: SbomReader, maxBytes = MAX_SBOM_FILE_BYTES): Promise<SbomFile> {
  const unreadable = (reason: string): SbomFile => ({ file, items: [{ kind: 'unreadable', location: '', code: 'EVIDENCE_MALFORMED', reason }] });
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (thrown) {
    return unreadable(`cannot open: ${messageOf(thrown)}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return unreadable('not a regular file');
    if (stat.size > maxBytes)
      return { ...unreadable(`the file is ${megabytes(stat.size)}, over the ${megabytes(maxBytes)} limit for an SBOM; not read`), size: stat.size };
    const bytes = await handle.readFile();
    // The file may have grown since stat.
    if (bytes.length > maxBytes) return { ...unreadable(`the file is over the ${megabytes(maxBytes)} limit for an SBOM`), size: bytes.length };
    const { sha256, items } = reader.read(bytes);
    return { file, sha256, size: bytes.length, items };
  } catch (thrown) {
    return unreadable(`cannot read: ${messageOf(thrown)}`);
  } finally {
    await handle.close();
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Node's fs messages already start with their code (`ENOENT: no such file…`). */
function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
