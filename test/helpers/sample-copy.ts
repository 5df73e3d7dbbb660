import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT } from '../e2e/cli.js';

/**
 * A copy of the sample estate in `dir`, its configuration cut to the first
 * image and JSON output (quick to run), then changed by `change`. Returns
 * the configuration's path.
 */
export async function sampleCopy(dir: string, change: (config: Record<string, any>) => void = () => {}): Promise<string> {
  await cp(`${ROOT}samples/akko`, dir, { recursive: true });
  const config = parse(await readFile(join(dir, 'auditpack.yaml'), 'utf8'));
  config.images = config.images.slice(0, 1);
  config.outputs = ['json'];
  change(config);
  await writeFile(join(dir, 'auditpack.yaml'), stringify(config));
  return join(dir, 'auditpack.yaml');
}
