import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stageReports } from '../../../src/bundle/stage-reports.js';
import { BundleStaging } from '../../../src/bundle/staging.js';
import { makeReport } from '../../fixtures/report.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-stage-reports-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the reports staged into the bundle', () => {
  it('starts syncing each report to disk once it is written, in the order written, so the commit waits only for what came last', async () => {
    const staging = await BundleStaging.open(join(work, 'bundle'));
    const syncAhead = staging.syncAhead.bind(staging);
    // Each path asked to be synced, and whether its file was whole on disk at that moment.
    const asked: { path: string; written: boolean }[] = [];
    vi.spyOn(staging, 'syncAhead').mockImplementation((paths) => {
      const list = [...(paths ?? [])];
      for (const path of list) asked.push({ path, written: existsSync(staging.pathOf(path)) && staging.has(path) });
      syncAhead(list);
    });
    await stageReports(staging, makeReport(), { formats: ['json', 'html'], locale: 'en', pdfAttachments: 'auto', progress: () => {} });
    expect(asked).toEqual([
      { path: 'report.json', written: true },
      { path: 'report.html', written: true },
    ]);
    await staging.commit();
    expect(existsSync(join(work, 'bundle', 'report.html'))).toBe(true);
  });
});
