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
