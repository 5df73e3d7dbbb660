/**
 * Appendix: every evidence file the report rests on, one line each: what it
 * is, where it was read from (its copy in the bundle and in this PDF's
 * attachments is under the same path, after `evidence/` or `trust/`), its size,
 * its SHA-256 over the raw bytes, and its date, flagged when it cannot date
 * the image in the period (see timing.ts).
 */
import type { EvidenceRef } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { Block, Rich, Row, Section } from './blocks.js';
import { unusualCopyPath, type Context } from './context.js';
import { foldable } from './fold.js';
import { timingCounts, timingSpans } from './timing.js';
import { faultAndEstateEvidence, fullDetailIn } from './scale.js';

/** Rows listed in the PDF and HTML; a larger estate's full list is in report.json and the attachments manifest. */
export const INVENTORY_LIMIT = 5_000;

export function inventorySection(ctx: Context): Section {
  const { report, i18n } = ctx;
  const evidence = report.evidence;
  const { flagged, before } = timingCounts(evidence);
  const undated = evidence.filter((e) => e.dated === undefined).length;
  const manual = evidence.filter((e) => e.kind === 'manual-document').length;
  const trust = evidence.filter((e) => e.kind === 'public-key' || e.kind === 'trusted-root').length;
  // A large estate's PDF lists the files the faults rest on and the estate's own files (scale.ts).
  const shown = ctx.compact ? faultAndEstateEvidence(report) : evidence;
  const listed = shown.slice(0, INVENTORY_LIMIT);
  const attached = ctx.attached === undefined ? listed.length : listed.filter((e) => ctx.attached?.has(e.path) === true).length;
  const blocks: Block[] = [
    { type: 'paragraph', content: i18n.t('inventory.counts', { count: evidence.length, trust, manual, before, flagged, undated }) },
    {
      type: 'paragraph',
      style: 'muted',
      content: attached === listed.length ? i18n.t('inventory.paths') : i18n.t('inventory.pathsPartly', { attached, listed: listed.length }),
    },
  ];
  if (ctx.compact && shown.length < evidence.length) {
    const rest = evidence.length - shown.length;
    blocks.push({ type: 'paragraph', content: [i18n.t('inventory.compact', { listed: shown.length, rest }), ' ', ...fullDetailIn(ctx), '.'] });
  }
  if (listed.length > 0) {
    blocks.push(
      foldable(
        ctx,
        {
          type: 'table',
          small: true,
          columns: [
            { header: i18n.t('column.file'), share: 158 },
            { header: i18n.t('column.kind'), share: 66 },
            { header: i18n.t('column.sha256'), share: 271, mono: true },
          ],
          rows: listed.map((e) => row(ctx, e)),
        },
        listed.length,
      ),
    );
  }
  if (shown.length > INVENTORY_LIMIT)
    blocks.push({ type: 'paragraph', style: 'strong', content: i18n.t('inventory.cut', { count: shown.length - INVENTORY_LIMIT }) });
  return { id: 'appendix-evidence', title: i18n.t('section.inventory'), newPage: false, inContents: true, appendix: true, blocks };
}

function row(ctx: Context, e: EvidenceRef): Row {
  const { i18n } = ctx;
  const copy = unusualCopyPath(e);
  const file: Rich = [
    e.source,
    { text: ` ${i18n.t('inventory.bytes', { count: e.size })}`, muted: true },
    ...(copy === undefined ? [] : [`\n${i18n.t('inventory.copy', { path: copy })}`]),
    ...(e.dated === undefined ? [] : ['\n', ...timingSpans(ctx, e.dated)]),
  ];
  return { anchor: anchor('evidence', e.sha256), cells: [file, e.kind, [{ text: e.sha256, mono: true }]] };
}
