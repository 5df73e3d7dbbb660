import { describe, expect, it } from 'vitest';
import { diffHtmlFragment, diffHtmlPage } from '../../../src/history/diff-html.js';
import { diffText } from '../../../src/history/diff-text.js';
import { diffReports } from '../../../src/history/diff.js';
import { packageKey, parseCsv, parseInventoryCsv } from '../../../src/history/inventory.js';
import { csvRows } from '../../../src/sbom/inventory.js';
import { finding, goldenReport, inventory, nextQuarter, subject } from './fixtures.js';

function changedDiff() {
  const after = nextQuarter();
  finding(after, 'signature.verified:cockpit').status = 'fail';
  finding(after, 'signature.verified:cockpit').message = 'signature <script>alert(1)</script> & co';
  finding(after, 'signature.verified:notebook-full').status = 'pass';
  subject(after, 'cockpit').status = 'failed';
  subject(after, 'dbt').digest = `sha256:${'e'.repeat(64)}`;
  const expiring = after.waivers.find((w) => w.id === 'WVR-2026-007');
  if (expiring) Object.assign(expiring, { inForce: false, expired: true, covers: [] });
  return diffReports({
    old: goldenReport(),
    new: after,
    oldInventory: inventory([{ image: 'dbt', name: 'dbt-core', version: '1.8.0', purl: 'pkg:pypi/dbt-core@1.8.0', licences: ['Apache-2.0'] }]),
    newInventory: inventory([{ image: 'dbt', name: 'dbt-core', version: '1.9.1', purl: 'pkg:pypi/dbt-core@1.9.1', licences: ['Apache-2.0'] }]),
  });
}

describe('diff as text', () => {
  it('marks what got worse with !, and says so at the end', () => {
    const text = diffText(changedDiff()).join('\n');
    expect(text).toContain('auditpack diff: AKKO (sample estate), 2026-Q2 → 2026-Q3');
    expect(text).toMatch(/new failures: 1\n {2}! cockpit {2}signature\.verified {2}pass → fail/);
    expect(text).toMatch(/fixed: 1\n {2}\+ notebook-full {2}signature\.verified {2}fail → pass/);
    expect(text).toContain('! cockpit  verified → failed');
    expect(text).toMatch(/~ dbt {2}sha256:[0-9a-f]{12} → sha256:eeeeeeeeeeee/);
    expect(text).toContain('~ pkg:pypi/dbt-core 1.8.0 → 1.9.1');
    expect(text).toContain('! WVR-2026-007 expired 2026-09-30: it no longer covers image docs, check sbom.quality');
    expect(text.split('\n').at(-1)).toBe('result: REGRESSION: something got worse (marked !)');
  });

  it('says when nothing changed, and when components could not be compared', () => {
    const lines = diffText(diffReports({ old: goldenReport(), new: nextQuarter() }));
    expect(lines).toContain('components: not compared (a bundle has no inventory.csv)');
    expect(lines.at(-1)).toBe('result: no change');
  });
});

describe('diff as HTML', () => {
  it('escapes every value from the reports and marks rows by kind in words', () => {
    const html = diffHtmlFragment(changedDiff());
    expect(html).not.toContain('<script>');
    expect(html).toContain('signature &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).toMatch(/<tr class="changes-worse"><td>worse<\/td><td>cockpit<\/td><td>signature\.verified<\/td>/);
    expect(html).toMatch(/<h3 id="changes-new-failures">New failures \(1\)<\/h3>/);
    expect(html).toContain('<td>pkg:pypi/dbt-core</td><td>1.8.0</td><td>1.9.1</td>');
  });

  it('is a whole self-contained page without scripts or external resources, same bytes each time', () => {
    const page = diffHtmlPage(changedDiff());
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|src=|url\(|@import/i);
    expect(diffHtmlPage(changedDiff())).toBe(page);
  });
});

describe('inventory.csv read back', () => {
  it('parses RFC 4180: quoted commas, doubled quotes, line breaks in fields, CRLF', () => {
    const csv = csvRows([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', ''],
    ]);
    expect(parseCsv(csv)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', ''],
    ]);
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keys packages without version or qualifiers, keeping scoped names whole', () => {
    expect(packageKey('pkg:npm/%40angular/core@17.3.1?package-id=2', '', 'core')).toBe('pkg:npm/%40angular/core');
    expect(packageKey('pkg:maven/org.apache/commons@1.1.0', '', '')).toBe('pkg:maven/org.apache/commons');
    expect(packageKey('pkg:generic/thing', '', '')).toBe('pkg:generic/thing');
    expect(packageKey('', 'acme', 'vendored')).toBe('acme/vendored');
    expect(packageKey('', '', 'bare')).toBe('bare');
  });

  it('groups versions and licences per image', () => {
    const inv = inventory([
      { image: 'a', name: 'x', version: '2', purl: 'pkg:npm/x@2', licences: ['MIT OR Apache-2.0'] },
      { image: 'a', name: 'x', version: '1', purl: 'pkg:npm/x@1', licences: ['MIT'] },
    ]);
    expect(inv.get('a')?.packages.get('pkg:npm/x')).toEqual(['1', '2']);
    expect([...(inv.get('a')?.licences ?? [])].sort()).toEqual(['MIT', 'MIT OR Apache-2.0']);
  });

  it('refuses a file that is not an auditpack inventory, naming it', () => {
    expect(() => parseInventoryCsv('name,version\r\nx,1\r\n', 'old/inventory.csv')).toThrow(
      expect.objectContaining({ code: 'REPORT_UNREADABLE', file: 'old/inventory.csv' }),
    );
  });
});
