/** Frameworks and their controls, with everything an auditor needs beside each status. */
import type { ControlResult, FrameworkResult, Report } from '../../report/model.js';
import { fullWhenWords, strengthWords } from '../../report/vocabulary.js';
import { anchor } from './anchors.js';
import { entityWords } from './entities.js';
import { checkLink, findingLink, statementLink, subjectLink, type Lookups } from './lookups.js';

export function viewFrameworks(report: Report, lookups: Lookups) {
  return report.frameworks.map((framework) => viewFramework(framework, lookups));
}

function viewFramework(framework: FrameworkResult, lookups: Lookups) {
  return {
    ...framework,
    anchor: anchor('framework', framework.id),
    appliesTo: entityWords(framework.appliesTo),
    celex: framework.celex ?? null,
    controls: framework.controls.map((control) => viewControl(framework.id, control, lookups)),
  };
}

function viewControl(frameworkId: string, control: ControlResult, lookups: Lookups) {
  return {
    ...control,
    anchor: anchor('control', frameworkId, control.id),
    titleFr: control.titleFr ?? null,
    // Strength is shown apart from the coverage column, in the shared vocabulary's words.
    strengthText: strengthWords(control.strength),
    appliesFrom: control.appliesFrom ?? null,
    support: control.support.map((s) => {
      // A check with no findings in this report has no section to link to.
      const check = checkLink(s.checkId, lookups);
      return { ...s, checkTitle: check.title, checkAnchor: check.anchor, conditionText: s.fullWhen ? fullWhenWords(s.fullWhen) : null };
    }),
    waivedSubjects: control.waivedSubjects.map((id) => subjectLink(id, lookups)),
    manualEvidence: control.manualEvidence.map((id) => statementLink(id, lookups)),
    findings: control.findings.map((id) => {
      const finding = findingLink(id, lookups);
      return { ...finding, found: finding.anchor !== null };
    }),
  };
}
