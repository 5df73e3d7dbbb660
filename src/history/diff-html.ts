/**
 * The changes between two reports as HTML: a `<section>` fragment (for the
 * report's "changes since the previous period" section) and a whole,
 * self-contained page for `auditpack diff --format html`. Every value goes
 * through handlebars' escaping; the markup is in the two templates below.
 */
import Handlebars from 'handlebars';
import { coverageWords, statusLabel } from '../report/vocabulary.js';
import type { ControlChange, FindingChange, ReportDiff, WaiverBrief } from './diff-model.js';

type Kind = 'added' | 'removed' | 'changed' | 'worse' | 'fixed';
interface Row {
  kind: Kind;
  cells: string[];
}
interface Group {
  id: string;
  title: string;
  headers: string[];
  rows: Row[];
  none: string;
}

const FRAGMENT = Handlebars.compile(
  `<section class="changes" id="changes">
<h2>{{title}}</h2>
<p class="changes-sides">{{old}}<br>{{new}}</p>
<p class="changes-result changes-{{resultKind}}">{{result}}</p>
{{#each groups}}<h3 id="changes-{{id}}">{{title}} ({{rows.length}})</h3>
{{#if rows.length}}<table class="changes-table"><thead><tr><th scope="col">change</th>{{#each headers}}<th scope="col">{{this}}</th>{{/each}}</tr></thead>
<tbody>
{{#each rows}}<tr class="changes-{{kind}}"><td>{{kind}}</td>{{#each cells}}<td>{{this}}</td>{{/each}}</tr>
{{/each}}</tbody></table>
{{else}}<p>{{none}}</p>
{{/if}}{{/each}}</section>
`,
  { strict: true },
);

const PAGE = Handlebars.compile(
  `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; color: #1b1f24; max-width: 78rem; margin: 0 auto; padding: 1rem 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.25rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.changes-worse td:first-child, .changes-result.changes-worse { color: #b42318; font-weight: 600; }
.changes-fixed td:first-child, .changes-added td:first-child { color: #1a7f37; }
</style>
</head>
<body>
{{{fragment}}}</body>
</html>
`,
  { strict: true },
);

/** The `<section>` that lists every change. Same diff, same bytes. */
export function diffHtmlFragment(d: ReportDiff, title = 'Changes since the previous period'): string {
  return FRAGMENT({
    title,
    old: `Previous: ${d.old.organisation}, ${d.old.period}, generated ${d.old.generatedAt}, verdict ${d.old.verdict}, ${d.old.verified} of ${d.old.images} images verified.`,
    new: `This report: ${d.new.organisation}, ${d.new.period}, generated ${d.new.generatedAt}, verdict ${d.new.verdict}, ${d.new.verified} of ${d.new.images} images verified.`,
    resultKind: d.regression ? 'worse' : 'changed',
    result: d.regression ? 'Something got worse (rows marked "worse").' : d.changed ? 'Changes, none of them for the worse.' : 'No change.',
    groups: groups(d),
  });
}

/** A whole HTML page for `auditpack diff --format html`: no scripts, no external resources. */
export function diffHtmlPage(d: ReportDiff): string {
  const title = `auditpack diff: ${d.new.organisation}, ${d.old.period} to ${d.new.period}`;
  return PAGE({ title, fragment: diffHtmlFragment(d, title) });
}

function groups(d: ReportDiff): Group[] {
  const i = d.images;
  const group = (id: string, title: string, headers: string[], rows: Row[], none = 'None.'): Group => ({ id, title, headers, rows, none });
  return [
    group(
      'images',
      'Images',
      ['image', 'before', 'now'],
      [
        ...i.added.map((x): Row => ({ kind: 'added', cells: [x.id, '', `${x.ref}@${x.digest} (${x.status})`] })),
        ...i.removed.map((x): Row => ({ kind: 'removed', cells: [x.id, `${x.ref}@${x.digest} (${x.status})`, ''] })),
        ...i.changed.map((x): Row => ({ kind: 'changed', cells: [x.id, `${x.old.ref}@${x.old.digest}`, `${x.new.ref}@${x.new.digest}`] })),
        ...i.status.map((x): Row => ({ kind: x.worse ? 'worse' : 'changed', cells: [x.id, x.old, x.new] })),
      ],
    ),
    group(
      'new-failures',
      'New failures',
      FINDING_HEADERS,
      d.findings.newFailures.map((f) => findingRow('worse', f)),
    ),
    group(
      'fixed',
      'Fixed',
      FINDING_HEADERS,
      d.findings.fixed.map((f) => findingRow('fixed', f)),
    ),
    group(
      'other-findings',
      'Other finding changes',
      FINDING_HEADERS,
      d.findings.otherChanges.map((f) => findingRow('changed', f)),
    ),
    group('controls', 'Controls', ['control', 'citation', 'before', 'now'], d.controls.map(controlRow)),
    group(
      'components',
      'Components and licences',
      ['image', 'package or licence', 'before', 'now'],
      componentRows(d),
      d.components === undefined ? 'Not compared: a bundle has no inventory.csv.' : 'None.',
    ),
    group(
      'waivers',
      'Waivers',
      ['waiver', 'before', 'now'],
      [
        ...d.waivers.added.map((w): Row => ({ kind: 'added', cells: [w.id, '', waiverText(w)] })),
        ...d.waivers.removed.map((w): Row => ({ kind: 'removed', cells: [w.id, waiverText(w), ''] })),
        ...d.waivers.expired.map((w): Row => ({ kind: 'worse', cells: [w.id, 'in force or not yet started', `expired ${w.expires}`] })),
        ...d.waivers.changed.map((w): Row => ({ kind: 'changed', cells: [w.id, waiverText(w.old), waiverText(w.new)] })),
      ],
    ),
    group(
      'catalogs',
      'Framework catalogs',
      ['catalog', 'before', 'now'],
      [
        ...d.catalogs.added.map((c): Row => ({ kind: 'added', cells: [c.id, '', c.version] })),
        ...d.catalogs.removed.map((c): Row => ({ kind: 'removed', cells: [c.id, c.version, ''] })),
        ...d.catalogs.changed.map((c): Row => ({ kind: 'changed', cells: [c.id, c.oldVersion, c.newVersion] })),
      ],
    ),
  ];
}

const FINDING_HEADERS = ['image', 'check', 'before', 'now', 'message'];

function findingRow(kind: Kind, f: FindingChange): Row {
  return { kind, cells: [f.subject, f.checkId, f.old ?? 'absent', f.new ?? 'absent', `${f.message}${f.code ? ` [${f.code}]` : ''}`] };
}

function controlRow(c: ControlChange): Row {
  const state = (s: ControlChange['old']) => (s ? `${statusLabel(s.status)} (${coverageWords(s)})` : 'absent');
  return {
    kind: c.worse ? 'worse' : c.old && !c.new ? 'removed' : !c.old ? 'added' : 'changed',
    cells: [`${c.framework}/${c.control}`, c.citation, state(c.old), state(c.new)],
  };
}

function componentRows(d: ReportDiff): Row[] {
  return (d.components ?? []).flatMap((c) => [
    ...(c.sbom
      ? [
          {
            kind: 'changed' as const,
            cells: [c.subject, 'SBOM grade and components', `${c.sbom.old.grade}, ${c.sbom.old.components}`, `${c.sbom.new.grade}, ${c.sbom.new.components}`],
          },
        ]
      : []),
    ...c.added.map((p): Row => ({ kind: 'added', cells: [c.subject, p.package, '', p.versions.join(', ')] })),
    ...c.removed.map((p): Row => ({ kind: 'removed', cells: [c.subject, p.package, p.versions.join(', '), ''] })),
    ...c.versions.map((p): Row => ({ kind: 'changed', cells: [c.subject, p.package, p.old.join(', '), p.new.join(', ')] })),
    ...c.licencesAdded.map((l): Row => ({ kind: 'added', cells: [c.subject, `licence ${l}`, '', 'named'] })),
    ...c.licencesRemoved.map((l): Row => ({ kind: 'removed', cells: [c.subject, `licence ${l}`, 'named', ''] })),
  ]);
}

function waiverText(w: WaiverBrief): string {
  const scope = Object.entries(w.scope)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${scope}; ${w.start} to ${w.expires}; ${w.inForce ? 'in force' : w.expired ? 'expired' : 'not in force'}, covers ${w.covers}`;
}
