/**
 * The report formats auditpack can write, and the bundle file each becomes.
 * The one list behind the config's `outputs` enum, the `--output` choices and
 * the render dispatch (src/render/outputs.ts).
 */
export const OUTPUT_FORMATS = ['json', 'html', 'pdf', 'oscal'] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What `outputs` defaults to: the three an auditor reads; OSCAL is asked for. */
export const DEFAULT_OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'html', 'pdf'];

const FILE_NAMES: Record<OutputFormat, string> = {
  json: 'report.json',
  html: 'report.html',
  pdf: 'report.pdf',
  oscal: 'report.oscal.json',
};

/** The bundle path of a format's report file. */
export function outputFileName(format: OutputFormat): string {
  return FILE_NAMES[format];
}

/**
 * What report.pdf carries as attachments: `all`, every file of the bundle
 * (the PDF alone is the audit pack); `report`, the report files, the
 * inventory, the configuration and trust material, the evidence staying in
 * the bundle, pinned by SHA-256 in the attached report.json; `auto`, all
 * while the files add up to at most `AUTO_ATTACHMENTS_LIMIT`, else report
 * and the evidence files the faults rest on, when those fit in the limit
 * (a 1,000-image estate made a 130 MB PDF). See src/render/pdf/attachments.ts.
 */
export const PDF_ATTACHMENTS = ['auto', 'all', 'report'] as const;
export type PdfAttachments = (typeof PDF_ATTACHMENTS)[number];
export const DEFAULT_PDF_ATTACHMENTS: PdfAttachments = 'auto';
export const AUTO_ATTACHMENTS_LIMIT = 64 * 1024 * 1024;
