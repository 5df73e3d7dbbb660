/**
 * report.oscal.json: the report as a NIST OSCAL 1.0.6 assessment-results
 * document, for GRC tools. Reads only the `Report`; same report, same bytes
 * (every UUID is derived from content, never random).
 *
 * The mapping: images are components; each check result, manual statement,
 * input problem and digest found running (with a population export) is an
 * observation pointing at its evidence files (listed with their SHA-256 in
 * the back-matter); each control of each framework is a finding whose target
 * is auditpack's objective for that control (see oscal/findings.ts for why it
 * is not the clause itself). auditpack writes no
 * OSCAL assessment plan: `import-ap` points at a back-matter resource that
 * names the configuration file (its SHA-256), which plays that role.
 */
import type { Report } from '../report/model.js';
import { controlFindings, controlSelections, localObjectives } from './oscal/findings.js';
import { evidenceResources, imageComponents, observations } from './oscal/observations.js';
import { populationObservations } from './oscal/population.js';
import { OSCAL_VERSION, oneLine, prop, type AssessmentResults, type Origin, type Resource } from './oscal/types.js';
import { AUDITPACK_NAMESPACE, uuidV5 } from './oscal/uuid.js';

export function renderOscal(report: Report): Buffer {
  return Buffer.from(`${JSON.stringify({ 'assessment-results': assessmentResults(report) }, null, 2)}\n`, 'utf8');
}

export function assessmentResults(report: Report): AssessmentResults {
  const { run, generator } = report;
  const docUuid = uuidV5(
    `assessment-results/${run.organisation}/${run.period.label}/${run.period.zone}/${run.generatedAt}/${run.configSha256}`,
    AUDITPACK_NAMESPACE,
  );
  const toolUuid = uuidV5(`tool/${generator.name}/${generator.version}`, AUDITPACK_NAMESPACE);
  const platformUuid = uuidV5(`platform/${generator.name}/${generator.version}`, AUDITPACK_NAMESPACE);
  const planUuid = uuidV5(`${docUuid}/plan`, AUDITPACK_NAMESPACE);
  const origin: Origin = { actors: [{ type: 'assessment-platform', 'actor-uuid': platformUuid }] };
  const found = [...observations(report, docUuid, origin), ...populationObservations(report, docUuid, origin)];
  const findings = controlFindings(report, docUuid, origin);
  const objectives = localObjectives(report);
  const selections = controlSelections(report);
  const components = imageComponents(report);
  const resources = [planResource(report, planUuid), ...evidenceResources(report)];
  return {
    uuid: docUuid,
    metadata: {
      title: `Supply-chain evidence assessment results: ${run.organisation}, ${run.period.label}`,
      'last-modified': run.generatedAt,
      version: run.generatedAt,
      'oscal-version': OSCAL_VERSION,
      props: [
        prop('report-format', `${report.reportFormat} ${report.schemaVersion}`),
        prop('period', run.period.label),
        prop('period-start', run.period.start, 'included'),
        prop('period-end', run.period.end, 'excluded'),
        prop('period-zone', run.period.zone),
        prop('config-sha256', run.configSha256),
        prop('verdict', report.summary.verdict),
      ],
      parties: [
        { uuid: uuidV5(`party/${run.organisation}`, AUDITPACK_NAMESPACE), type: 'organization', name: oneLine(run.organisation, 'unnamed organisation') },
      ],
      remarks:
        'Evidence supports regulatory clauses; it never satisfies them on its own. A finding is "satisfied" only when auditpack\'s ' +
        'objective for the control (the automated evidence that supports it holds for every image in scope) is met.',
    },
    'import-ap': { href: `#${planUuid}`, remarks: 'auditpack writes no OSCAL assessment plan; its configuration file plays that role.' },
    ...(objectives.length > 0 ? { 'local-definitions': { 'objectives-and-methods': objectives } } : {}),
    results: [
      {
        uuid: uuidV5(`${docUuid}/result`, AUDITPACK_NAMESPACE),
        title: `Container-image supply-chain evidence, ${run.period.label}`,
        description:
          `Signatures, SBOM attestations, SBOMs and CI pipeline runs of ${report.subjects.length} container images, verified offline by ` +
          `${generator.name} ${generator.version} for ${run.period.label} (from ${run.period.start} included to ${run.period.end} excluded, ${run.period.zone}).`,
        start: run.period.start,
        end: run.period.end,
        props: [
          prop('verdict', report.summary.verdict),
          prop('images-verified', `${report.summary.subjects.verified} of ${report.summary.subjects.total}`),
          prop('input-problems', String(report.summary.problems)),
        ],
        'local-definitions': {
          ...(components.length > 0 ? { components } : {}),
          'assessment-assets': {
            components: [
              {
                uuid: toolUuid,
                type: 'software',
                title: `${generator.name} ${generator.version}`,
                description: 'Collects and verifies container-image supply-chain evidence offline and maps it to regulatory clauses.',
                status: { state: 'operational' },
              },
            ],
            'assessment-platforms': [
              { uuid: platformUuid, title: `${generator.name} ${generator.version}`, 'uses-components': [{ 'component-uuid': toolUuid }] },
            ],
          },
        },
        'reviewed-controls': {
          'control-selections': selections.length > 0 ? selections : [{ description: 'No framework was selected: no control was reviewed.' }],
        },
        ...(found.length > 0 ? { observations: found } : {}),
        ...(findings.length > 0 ? { findings } : {}),
      },
    ],
    'back-matter': { resources },
  };
}

function planResource(report: Report, uuid: string): Resource {
  return {
    uuid,
    title: 'auditpack configuration (the assessment plan)',
    description:
      'The configuration file names the population (every image by digest), the trust material, the period and the frameworks. ' +
      'It is identified by its SHA-256.',
    props: [prop('config-sha256', report.run.configSha256), prop('frameworks', report.run.frameworks.join(' '))],
  };
}
