import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stagePdf, stageReports } from '../../../src/bundle/stage-reports.js';
import { BundleStaging } from '../../../src/bundle/staging.js';
import { renderHtml } from '../../../src/render/html.js';
import { writePreparedPdf } from '../../../src/render/pdf.js';
import type { Report } from '../../../src/report/model.js';
import { makeReport } from '../../fixtures/report.js';
import { collectGarbage } from '../../helpers/gc.js';

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
    const report = makeReport();
    await stageReports(staging, report, { formats: ['json', 'html'], locale: 'en', pdfAttachments: 'auto', progress: () => {} });
    expect(asked).toEqual([
      { path: 'report.json', written: true },
      { path: 'report.html', written: true },
    ]);
    await staging.commit();
    // Streamed piece by piece, the same bytes as the document rendered whole.
    expect(readFileSync(join(work, 'bundle', 'report.html'), 'utf8')).toBe(renderHtml(report));
  });

  it('prepares the PDF holding nothing of the report model but its run and generator, so that the model is let go before the layout', async () => {
    const staging = await BundleStaging.open(join(work, 'bundle'));
    const progress: string[] = [];
    // The model made and handed over in a scope of its own: after it, only what stageReports kept can hold it.
    const { model, pdf } = await (async () => {
      const report = makeReport();
      const options = {
        formats: ['pdf', 'json'] as const,
        locale: 'en' as const,
        pdfAttachments: 'report' as const,
        progress: (m: string) => progress.push(m),
      };
      return { model: weakRefsOf(report), pdf: await stageReports(staging, report, options) };
    })();
    // A WeakRef's target lives at least to the end of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(model.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    // The PDF comes last whatever the formats' order, and is only prepared: staged by stagePdf.
    expect(progress).toEqual(['render json', 'render pdf']);
    expect(staging.has('report.pdf')).toBe(false);
    if (pdf === undefined) throw new Error('a PDF was asked for');
    await stagePdf(staging, pdf);
    // Its sections left it as they were laid out: it is not laid out again.
    await expect(writePreparedPdf(pdf, join(work, 'again.pdf'))).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(existsSync(join(work, 'again.pdf'))).toBe(false);
    await staging.commit();
    // It carries report.json, staged before it was prepared, and the list of what it attaches.
    const file = join(work, 'bundle', 'report.pdf');
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const listed = execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' });
    expect(
      listed
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => line.replace(/^\d+: /, '')),
    ).toEqual(['attachments-manifest.json', 'report.json']);
  });

  it('prepares no PDF when none is asked for', async () => {
    const staging = await BundleStaging.open(join(work, 'bundle'));
    expect(await stageReports(staging, makeReport(), { formats: ['json'], locale: 'en', pdfAttachments: 'auto', progress: () => {} })).toBeUndefined();
    await staging.discard();
  });
});

/** The model and every object of it that grows with the estate. */
function weakRefsOf(report: Report): WeakRef<object>[] {
  const grows: object[][] = [report.subjects, report.findings, report.evidence, report.frameworks, report.sboms.entries];
  return [report, report.sboms, ...grows, ...grows.flat()].map((o) => new WeakRef(o));
}
