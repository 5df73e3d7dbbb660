import type { Report, SbomEntry, SbomSection } from '../../report/model.js';
import { StreamingTable, keyValueTable, type Cell } from './table.js';
import { COLOUR, SIZE, type Label } from './style.js';
import { ensureSpace, formatCount, heading, paragraph, plural, startSection, statusLine, visible, type Doc } from './text.js';

export const SBOM_TITLE = 'SBOM quality and inventory';

/** Fields listed per SBOM as its weakest (lowest coverage first). */
const WEAKEST_FIELDS = 6;
/** Licences listed per SBOM (the report gives the most used first). */
const TOP_LICENCES = 10;
/** Shared packages listed for the estate (the report gives at most 25). */
const SHARED_LIMIT = 25;
/** Images named per shared package before summarising the rest. */
const IMAGES_PER_PACKAGE = 40;
/** Copyleft kinds in a fixed order, strongest obligation first; others follow, sorted. */
const COPYLEFT_ORDER = ['network', 'strong', 'weak'];

/**
 * The SBOM attested for each image: how complete it is (CISA 2025 minimum
 * elements, BSI TR-03183-2 v2.1.0; NTIA 2021 for reference), whether it meets the run's minimum grade and,
 * when it does not, which clauses it weakens; what it lists (ecosystems,
 * licences, copyleft); then the estate across all SBOMs and where the full
 * CSV inventory sits in the bundle. Placed after the findings and waivers
 * and before the frameworks, so that the clauses a poor SBOM weakens are
 * known when the controls are read.
 */
export function writeSboms(doc: Doc, report: Report): void {
  const section = startSection(doc, SBOM_TITLE, { newPage: true });
  const { sboms } = report;
  const minGrade = sboms.minGrade;
  paragraph(
    doc,
    'The SBOM from each image’s verified attestation, scored for how completely it describes its components against the ' +
      'current texts, the CISA 2025 minimum elements (a draft) and BSI TR-03183-2 v2.1.0 (each 0–100; NTIA 2021 for reference), ' +
      'with an overall score (the mean of the two current ones) and a grade from A (best) to F; each weak field names its requirement. ' +
      `The lowest acceptable grade for this run is ${minGrade}. The score measures field coverage; it does not show that ` +
      'the SBOM lists every component the image contains.',
  );
  doc.moveDown(0.3);
  if (sboms.entries.length === 0) {
    paragraph(doc, 'No SBOM was scored: no image in scope has an attested SBOM that auditpack could read.');
    return;
  }
  const below = sboms.entries.filter((e) => !e.meetsMinimum).length;
  paragraph(
    doc,
    `${plural(sboms.entries.length, 'SBOM')} scored: ${formatCount(sboms.entries.length - below)} meet the minimum grade ${minGrade}, ` +
      `${formatCount(below)} BELOW it.`,
  );
  doc.moveDown(0.3);
  writeOverview(doc, report);

  const evidence = new Map(report.evidence.map((e) => [e.sha256, e.source]));
  for (const entry of sboms.entries) {
    ensureSpace(doc, 170); // before the bookmark, which points at the current page
    section.addItem(visible(entry.subject));
    writeEntry(doc, entry, minGrade, evidence);
  }

  ensureSpace(doc, 150);
  section.addItem('Estate inventory');
  writeEstate(doc, sboms);
}

function writeOverview(doc: Doc, report: Report): void {
  const refs = new Map(report.subjects.map((s) => [s.id, s.ref]));
  // Points on A4: the numbers and "yes"/"NO" on one line; the image and its reference wrap.
  const table = new StreamingTable(doc, [
    { header: 'Image', share: 118 },
    { header: 'Spec version', share: 50 },
    { header: 'Components', share: 60 },
    { header: 'Grade', share: 36 },
    { header: 'Score', share: 38 },
    { header: 'CISA %', share: 38 },
    { header: 'BSI %', share: 38 },
    { header: 'NTIA %', share: 38 },
    { header: `Meets minimum (${report.sboms.minGrade})`, share: 79 },
  ]);
  for (const entry of report.sboms.entries) {
    const ref = refs.get(entry.subject);
    const verdict = minimumLabel(entry.meetsMinimum);
    table.row([
      ref === undefined ? entry.subject : `${entry.subject}\n${ref}`,
      entry.specVersion === '' ? 'unknown' : entry.specVersion,
      formatCount(entry.components),
      { text: entry.grade, bold: true, colour: verdict.colour },
      formatNumber(entry.score),
      formatNumber(entry.cisa),
      formatNumber(entry.bsi),
      formatNumber(entry.ntia),
      { text: verdict.text, bold: true, colour: verdict.colour },
    ]);
  }
  table.end();
}

function minimumLabel(meets: boolean): Label {
  return meets ? { text: 'yes', colour: COLOUR.good } : { text: 'NO', colour: COLOUR.bad };
}

function writeEntry(doc: Doc, entry: SbomEntry, minGrade: string, evidence: ReadonlyMap<string, string>): void {
  heading(doc, `${entry.subject} — SBOM`, SIZE.h3);
  const status: Label = entry.meetsMinimum
    ? { text: `MEETS MINIMUM GRADE ${minGrade}`, colour: COLOUR.good }
    : { text: `BELOW MINIMUM GRADE ${minGrade}`, colour: COLOUR.bad };
  statusLine(doc, status, `grade ${entry.grade}, score ${formatNumber(entry.score)} of 100`);
  doc.moveDown(0.2);
  const source = evidence.get(entry.evidence);
  const rows: [string, Cell][] = [
    ['Attestation', { text: source === undefined ? entry.evidence : `${source}\n${entry.evidence}`, mono: true }],
    [
      'Scores',
      `overall ${formatNumber(entry.score)}, grade ${entry.grade}\n` +
        `CISA 2025 minimum elements ${formatNumber(entry.cisa)}%\nBSI TR-03183-2 v2.1.0 ${formatNumber(entry.bsi)}%\nNTIA 2021 (reference) ${formatNumber(entry.ntia)}%`,
    ],
    ['Weakest fields', weakestFields(entry)],
    ['Components', `${formatCount(entry.components)} (spec version ${entry.specVersion === '' ? 'unknown' : entry.specVersion})`],
    ['By type', counts(entry.byType)],
    ['By ecosystem', counts(entry.byEcosystem)],
    ['Licences', licenceCounts(entry)],
    ['Top licences', topLicences(entry)],
    ['Copyleft', copyleftCounts(entry.copyleft)],
  ];
  keyValueTable(doc, rows, SIZE.small);
  if (!entry.meetsMinimum) {
    const citations = [...new Set(entry.weakens)];
    paragraph(
      doc,
      citations.length > 0
        ? `This SBOM weakens: ${citations.join('; ')}.`
        : 'This SBOM is below the minimum grade; no control of this report’s frameworks rests on the SBOM checks.',
      { bold: true, colour: COLOUR.bad },
    );
  }
  doc.moveDown(0.5);
}

/**
 * The fields with the lowest coverage, at most six. Fields that apply to
 * nothing in this SBOM (no percent) come last, shown as "n/a": they are not
 * weak, only listed when fewer applicable fields exist.
 */
function weakestFields(entry: SbomEntry): Cell {
  if (entry.fields.length === 0) return { text: 'no field was scored', colour: COLOUR.muted };
  const applies = (p: number | null): p is number => p !== null && Number.isFinite(p);
  // Array.prototype.sort is stable: equal coverage keeps the report's order.
  const weakest = [...entry.fields]
    .sort((a, b) => {
      if (applies(a.percent) && applies(b.percent)) return a.percent - b.percent;
      return Number(!applies(a.percent)) - Number(!applies(b.percent));
    })
    .slice(0, WEAKEST_FIELDS);
  return weakest
    .map(
      (f) =>
        `${f.label} (${frameworkName(f.framework)}): ${applies(f.percent) ? `${formatNumber(f.percent)}%` : 'n/a'}${f.requirement === '' ? '' : ` — ${f.requirement}`}`,
    )
    .join('\n');
}

function frameworkName(framework: string): string {
  switch (framework) {
    case 'ntia':
      return 'NTIA';
    case 'cisa':
      return 'CISA 2025';
    case 'bsi':
      return 'BSI TR-03183-2';
    default:
      return framework;
  }
}

/** "npm 300, deb 204": most first, then by name (code-unit order, not the locale's). */
function counts(map: Readonly<Record<string, number>>): Cell {
  const entries = Object.entries(map).sort(([a, x], [b, y]) => y - x || compareText(a, b));
  if (entries.length === 0) return { text: 'none', colour: COLOUR.muted };
  return entries.map(([key, n]) => `${key} ${formatCount(n)}`).join(', ');
}

function licenceCounts(entry: SbomEntry): string {
  const l = entry.licences;
  return [
    `${plural(l.distinctSpdxIds, 'distinct SPDX id')}`,
    `${plural(l.expressions, 'SPDX expression')}`,
    `${plural(l.named, 'named licence')} (not SPDX)`,
    `${plural(l.unknown, 'component')} with no known licence`,
  ].join('\n');
}

function topLicences(entry: SbomEntry): Cell {
  const top = entry.licences.top.slice(0, TOP_LICENCES);
  if (top.length === 0) return { text: 'none', colour: COLOUR.muted };
  return top.map((t) => `${t.licence}: ${plural(t.components, 'component')}`).join('\n');
}

/** Components per copyleft kind, in a fixed order. */
function copyleftCounts(copyleft: Readonly<Record<string, number>>): Cell {
  const known = COPYLEFT_ORDER.filter((k) => k in copyleft);
  const others = Object.keys(copyleft)
    .filter((k) => !COPYLEFT_ORDER.includes(k))
    .sort(compareText);
  const kinds = [...known, ...others];
  if (kinds.length === 0) return { text: 'none counted', colour: COLOUR.muted };
  return kinds.map((k) => `${k} copyleft: ${plural(copyleft[k] ?? 0, 'component')}`).join('\n');
}

function writeEstate(doc: Doc, sboms: SbomSection): void {
  const { estate } = sboms;
  heading(doc, 'Estate inventory', SIZE.h2);
  paragraph(
    doc,
    `${plural(estate.components, 'component row')} over ${plural(sboms.entries.length, 'SBOM')}; ` + `${plural(estate.distinct, 'distinct package')}.`,
  );
  paragraph(
    doc,
    estate.inventoryCsv === undefined
      ? 'No inventory CSV is in the bundle.'
      : `The full inventory, one row per component of each image, is in the bundle at ${estate.inventoryCsv}.`,
    { bold: true },
  );
  doc.moveDown(0.3);
  heading(doc, 'Most shared packages', SIZE.h3);
  if (estate.shared.length === 0) {
    paragraph(doc, 'No package is listed by more than one image.');
    return;
  }
  paragraph(doc, 'Packages listed by the most images: a flaw in one of them reaches every image named.', { size: SIZE.small, colour: COLOUR.muted });
  doc.moveDown(0.2);
  // Points on A4: a purl wraps in the monospaced column; the images beside it.
  const table = new StreamingTable(doc, [
    { header: 'Package', share: 280, mono: true },
    { header: 'Images', share: 215 },
  ]);
  for (const item of estate.shared.slice(0, SHARED_LIMIT)) {
    const shown = item.images.slice(0, IMAGES_PER_PACKAGE);
    const more = item.images.length - shown.length;
    const tail = more > 0 ? `, … and ${formatCount(more)} more (see the inventory CSV)` : '';
    table.row([item.component, `${plural(item.images.length, 'image')}: ${shown.join(', ')}${tail}`]);
  }
  table.end();
  if (estate.shared.length > SHARED_LIMIT) {
    paragraph(doc, `… and ${formatCount(estate.shared.length - SHARED_LIMIT)} more shared packages in the inventory CSV.`, {
      colour: COLOUR.muted,
    });
  }
}

/** One decimal, no locale: 57.66 → "57.7", 100 → "100". A value that is not a number reads "n/a". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return (Math.round(n * 10) / 10).toFixed(1).replace(/\.0$/, '');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
