/**
 * Renders the requested report formats into bundle files. The PDF comes
 * last because it carries the others: every file of the bundle known at this
 * point (evidence, trust material, inventory, report.json, the other report
 * formats) is attached to it, so that the PDF alone is the audit pack.
 *
 * What the PDF cannot carry is the bundle's manifest.json: that manifest
 * lists report.pdf's own SHA-256, which changes with whatever the PDF embeds.
 * The PDF embeds `attachments-manifest.json` instead: the same format, over
 * exactly the attached files. The PDF's signature covers it and every
 * attachment; the bundle's seal covers the PDF.
 */
import { AuditpackError, describeThrown } from '../errors.js';
import type { Report } from '../report/model.js';
import { entryOf, manifestOf, serialiseManifest } from '../util/manifest.js';
import { outputFileName, type OutputFormat, type PdfAttachments } from './formats.js';
import { DEFAULT_LOCALE, type Locale } from '../report/i18n.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderOscal } from './oscal.js';
import { renderPdf, type RenderPdfOptions } from './pdf.js';
import { attachedFiles, type AfRelationship, type PdfAttachment } from './pdf/attachments.js';
import type { PdfSigningIdentity } from './pdf-signing/identity.js';

export const ATTACHMENTS_MANIFEST = 'attachments-manifest.json';

/**
 * A file already written to the bundle: its digest and size known, its bytes
 * read from `file` (its place on disk) only when the PDF embeds it. `length`
 * is its size in bytes, named as a Uint8Array's so that code adding up the
 * sizes of bundle files reads both.
 */
export interface StagedFile {
  sha256: string;
  length: number;
  file: string;
}

export interface RenderOutputsInput {
  report: Report;
  formats: readonly OutputFormat[];
  /**
   * The bundle's other files, by bundle path (evidence, trust material,
   * inventory): attached to the PDF. Bytes, or a file already written whose
   * bytes are read only when the PDF embeds it (a large estate's evidence is
   * never all in memory at once).
   */
  bundleFiles: ReadonlyMap<string, Uint8Array | StagedFile>;
  /** Signs report.pdf when given. */
  pdfSigning?: PdfSigningIdentity;
  /** The reader's language of the PDF and HTML (default English). */
  locale?: Locale;
  /** Which bundle files the PDF carries (default `auto`). */
  pdfAttachments?: PdfAttachments;
  progress?: (message: string) => void;
}

/** Bundle path → bytes, for each requested format. */
export async function renderOutputs(input: RenderOutputsInput): Promise<Map<string, Uint8Array>> {
  const { report, formats } = input;
  const progress = input.progress ?? (() => {});
  const out = new Map<string, Uint8Array>();
  const locale = input.locale ?? DEFAULT_LOCALE;
  for (const format of formats.filter((f) => f !== 'pdf')) {
    progress(`render ${format}`);
    out.set(outputFileName(format), await guarded(format, () => renderOther(format, report, locale)));
  }
  if (formats.includes('pdf')) {
    progress('render pdf');
    const options = pdfOptions({ ...input, bundleFiles: new Map([...input.bundleFiles, ...out]) });
    out.set(outputFileName('pdf'), await guarded('pdf', () => renderPdf(report, options)));
  }
  return out;
}

/** What the PDF is rendered with: the reader's language, the files it attaches (every given file, by `pdfAttachments`), the signing identity. */
export function pdfOptions(input: Omit<RenderOutputsInput, 'formats' | 'progress'>): RenderPdfOptions {
  const attachments = pdfAttachments(input.report, attachedFiles(input.report, input.bundleFiles, input.pdfAttachments ?? 'auto'));
  return { locale: input.locale ?? DEFAULT_LOCALE, attachments, ...(input.pdfSigning ? { signing: input.pdfSigning } : {}) };
}

function renderOther(format: Exclude<OutputFormat, 'pdf'>, report: Report, locale: Locale): Uint8Array {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'html':
      return Buffer.from(renderHtml(report, { locale }), 'utf8');
    case 'oscal':
      return renderOscal(report);
  }
}

/** Runs a renderer; what it throws that is not already an AuditpackError becomes RENDER_FAILED naming the format. */
export async function guarded<T>(format: OutputFormat, render: () => T | Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (thrown) {
    if (thrown instanceof AuditpackError) throw thrown;
    throw new AuditpackError('RENDER_FAILED', `the ${format} renderer failed: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

/** Every given file, report.json (even when not asked for as a bundle file), and the manifest of them all. */
export function pdfAttachments(report: Report, files: ReadonlyMap<string, Uint8Array | StagedFile>): PdfAttachment[] {
  const attached = new Map(files);
  if (!attached.has('report.json')) attached.set('report.json', renderJson(report));
  const entries = [...attached].map(([path, file]) => (file instanceof Uint8Array ? entryOf(path, file) : { path, sha256: file.sha256, size: file.length }));
  attached.set(ATTACHMENTS_MANIFEST, serialiseManifest(manifestOf(entries, report.run.generatedAt)));
  const evidence = new Map(report.evidence.map((e) => [e.path, e]));
  return [...attached].map(([name, file]) => {
    const e = evidence.get(name);
    const [relationship, description] = e ? (['Source', `${e.kind} evidence read from ${e.source}`] as const) : describe(name, report);
    // A staged file stays on disk until it is embedded: one file in memory at a time, or a bounded few read ahead.
    const content = file instanceof Uint8Array ? file : { file: file.file, size: file.length, sha256: file.sha256 };
    return { name, content, relationship, description };
  });
}

function describe(name: string, report: Report): readonly [AfRelationship, string] {
  if (name === 'report.json') return ['Data', `The report model (${report.reportFormat} ${report.schemaVersion}) this PDF presents`];
  if (name === ATTACHMENTS_MANIFEST) return ['Supplement', 'SHA-256 and size of every other attached file'];
  if (name === outputFileName('html')) return ['Alternative', 'The same report as HTML'];
  if (name === outputFileName('oscal')) return ['Alternative', 'The same report as OSCAL 1.0.6 assessment results'];
  if (name.startsWith('trust/')) return ['Source', 'Trust material the verification used'];
  if (name.startsWith('evidence/')) return ['Source', 'Evidence file'];
  return ['Data', 'Data the report was built from'];
}
