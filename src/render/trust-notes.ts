import type { Report } from '../report/model.js';

/**
 * What the trust section says about signing times and CI exports, in the same
 * words in every format: whether signatures needed a verified time, and that
 * CI exports are unsigned operator evidence, bound as configured.
 */
export function trustNotes(report: Report): string[] {
  const { requireSignedTime, ci } = report.trust;
  const notes: string[] = [];
  if (requireSignedTime === true) {
    notes.push(
      'Every signature and attestation needed a verified signing time: a transparency-log entry with its signed entry timestamp, or an RFC 3161 timestamp, checked against the trusted root. Key validity windows were checked against that time.',
    );
  } else if (requireSignedTime === false) {
    notes.push(
      'Key-only signatures without a transparency-log entry or timestamp were accepted (trust.requireTransparencyLog: false): for them no independent signing time exists, and only the key vouches for them.',
    );
  }
  if (ci) {
    const repository = ci.repositoryId === undefined ? ci.repository : `${ci.repository} (Woodpecker repository ${ci.repositoryId})`;
    notes.push(
      `CI exports (${ci.system}) are unsigned operator evidence, weaker than a signed provenance attestation. A run counted as the build of an image only if it belongs to ${repository}, is a ${ci.events.join(' or ')} run on ${ci.branches.join(' or ')} (tags by their ref), succeeded, and a successful step of it pushed the image's digest.`,
    );
  }
  return notes;
}
