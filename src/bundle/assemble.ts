import { basename } from 'node:path';
import { trustPath } from '../report/bundle-paths.js';
import type { TrustSet } from '../trust/load.js';
import { trustedRootFiles } from '../trust/root-files.js';
import type { StagedFile } from '../render/outputs.js';
import type { BundleStaging } from './staging.js';

/** Where the bundle keeps the configuration the run used, so `verify --deep` can run it again. */
export function configPath(configFile: string): string {
  return `config/${basename(configFile)}`;
}

/** The trust material the verification used, verbatim, under `trust/`: the keys, then every trusted root file (the general root's and the GitHub instance's). */
export async function stageTrust(staging: BundleStaging, trust: TrustSet): Promise<void> {
  for (const k of trust.keys) await staging.add(trustPath(k.source), k.bytes, k.source);
  for (const f of trustedRootFiles(trust)) await staging.add(trustPath(f.source), f.bytes, f.source);
}

/** Every file staged so far, for the PDF to attach: read from the staging folder only to be embedded. */
export function stagedFiles(staging: BundleStaging): Map<string, StagedFile> {
  return new Map(staging.list().map((e) => [e.path, { sha256: e.sha256, length: e.size, file: staging.pathOf(e.path) }]));
}
