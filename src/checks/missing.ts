import type { SubjectAnalysis } from './analysis.js';
import type { CheckOutcome } from './types.js';

/**
 * The outcome when a check finds no evidence of the kind it needs. If some of
 * the subject's files could not be read, the check cannot decide (`error`);
 * otherwise the evidence is missing (`fail`). Neither is ever a pass.
 */
export function noEvidence(analysis: SubjectAnalysis, what: string): CheckOutcome {
  const unreadable = analysis.unreadableFiles();
  if (unreadable.length > 0) {
    return {
      status: 'error',
      code: 'EVIDENCE_MALFORMED',
      message: `no readable ${what}; ${unreadable.map((p) => `${p.file}: ${p.reason}`).join('; ')}`,
    };
  }
  return { status: 'fail', code: 'EVIDENCE_MISSING', message: `no ${what} found` };
}

export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
}
