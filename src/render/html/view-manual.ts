/**
 * Manual evidence: statements people gave, kept apart from the evidence
 * auditpack verified, with the documents they point to.
 */
import type { EvidenceRef, ManualEvidence, Report } from '../../report/model.js';
import { anchor } from './anchors.js';
import { controlLink, evidenceLink, subjectLink, type Lookups } from './lookups.js';

/** Evidence kinds that are given by people and listed with manual evidence, not in the verified inventory. */
const MANUAL_KINDS: ReadonlySet<EvidenceRef['kind']> = new Set(['manual-document']);

export function isManualDocument(ref: EvidenceRef): boolean {
  return MANUAL_KINDS.has(ref.kind);
}

export function viewManualEvidence(report: Report, lookups: Lookups) {
  return {
    statements: report.manualEvidence.map((statement) => viewStatement(statement, lookups)),
    // Every manual document the report keeps, so none disappears from the page
    // for not being in the verified inventory.
    documents: report.evidence.filter(isManualDocument).map((ref) => ({
      ...ref,
      anchor: anchor('evidence', ref.sha256),
      subject: subjectLink(ref.subject, lookups),
    })),
  };
}

function viewStatement(statement: ManualEvidence, lookups: Lookups) {
  return {
    ...statement,
    anchor: anchor('statement', statement.id),
    reference: statement.reference ?? null,
    document: statement.document ? { ...statement.document, link: evidenceLink(statement.document.sha256, lookups) } : null,
    controls: statement.controls.map((key) => controlLink(key, lookups)),
  };
}
