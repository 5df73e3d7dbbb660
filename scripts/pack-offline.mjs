// npm run pack:offline [-- --out DIR]
//
// The offline package for air-gapped sites: auditpack as `npm pack` makes it,
// with every production dependency bundled inside (bundleDependencies), so
// that `npm install --global --offline auditpack-offline-<version>.tgz`
// installs it with no registry at all. The dependencies are installed from
// package-lock.json (`npm ci --omit=dev`: the exact versions the tests ran
// with) into a staging folder; the pinned `node` devDependency is not part of
// it, so the target needs its own Node.js >= 22.22 (and the npm that comes
// with it). Run it on a connected machine after `npm run build` (the npm
// script does both); it writes the tarball and its SHA-256 into DIR
// (default out/offline) and prints both.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(ROOT, 'out/offline'));

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
if (!existsSync(join(ROOT, 'dist/cli.js'))) {
  console.error('pack:offline: dist/ is missing: run `npm run build` first (npm run pack:offline does)');
  process.exit(1);
}

const staging = mkdtempSync(join(tmpdir(), 'auditpack-offline-'));
try {
  // What `npm pack` would ship (package.json "files"), plus the lockfile to install from.
  for (const entry of [...manifest.files, 'README.md', 'LICENSE', 'package.json', 'package-lock.json']) {
    cpSync(join(ROOT, entry), join(staging, entry), { recursive: true });
  }
  npm(['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], staging);

  // The package as installed on the target: its dependencies bundled, no scripts to run, nothing for development.
  const shipped = { ...manifest };
  for (const key of ['devDependencies', 'scripts', 'allowScripts']) delete shipped[key];
  shipped.bundleDependencies = Object.keys(manifest.dependencies).sort();
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(shipped, null, 2)}\n`);
  rmSync(join(staging, 'package-lock.json'));

  mkdirSync(outDir, { recursive: true });
  const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], staging));
  const tarball = join(outDir, `auditpack-offline-${manifest.version}.tgz`);
  renameSync(join(outDir, packed.filename), tarball);
  const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  writeFileSync(`${tarball}.sha256`, `${sha256}  auditpack-offline-${manifest.version}.tgz\n`);
  console.log(`${tarball}`);
  console.log(
    `  ${packed.entryCount} files, ${(readFileSync(tarball).length / 2 ** 20).toFixed(1)} MiB, ${shipped.bundleDependencies.length} dependencies bundled`,
  );
  console.log(`  SHA-256 ${sha256} (also in ${tarball}.sha256)`);
  console.log(`  install, with no registry: npm install --global --offline ${tarball}   (needs Node.js >= 22.22)`);
} catch (error) {
  console.error(`pack:offline: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(staging, { recursive: true, force: true });
}

function npm(npmArgs, cwd) {
  try {
    return execFileSync('npm', npmArgs, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
  } catch (error) {
    throw new Error(`npm ${npmArgs.join(' ')} failed:\n${error.stderr ?? error.message}`, { cause: error });
  }
}
