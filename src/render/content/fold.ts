/**
 * Long per-image groups fold away in the HTML: a report of a thousand images
 * opens at once, each long table a click away (a link into it opens it). The
 * PDF prints every group in full (a fold without its summary), and so does
 * the HTML's print stylesheet.
 */
import type { Block } from './blocks.js';
import type { Context } from './context.js';

/** Rows (or list items) a table or list shows unfolded; the sample estate's 16 images stay unfolded. */
export const FOLD_ROWS = 50;

/** `block` as it is, or folded (closed) behind a summary that says how many rows it holds. */
export function foldable(ctx: Context, block: Block, rows: number): Block {
  if (rows <= FOLD_ROWS) return block;
  return { type: 'details', open: false, fold: true, summary: ctx.i18n.t('fold.rows', { count: rows }), blocks: [block] };
}
