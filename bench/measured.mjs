// Runs the built auditpack CLI in this process and, at exit, writes the
// process's peak resident set size (process.resourceUsage().maxRSS, KiB) to
// the file named first, so bench/estate.mjs can report it without
// /usr/bin/time. Usage: node bench/measured.mjs RSS_FILE auditpack-args…
import { writeFileSync } from 'node:fs';

const [rssFile, ...args] = process.argv.slice(2);
if (!rssFile) {
  console.error('usage: node bench/measured.mjs RSS_FILE auditpack-args…');
  process.exit(2);
}
process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));
process.argv = [process.argv[0], 'auditpack', ...args];
await import('../bin/auditpack.js');
