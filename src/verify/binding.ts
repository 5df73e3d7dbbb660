import { COSIGN_SIGN_PREDICATE, SIMPLE_SIGNING_TYPE, describeSubjects, type InTotoStatement, type Parsed } from './payloads.js';
import type { SignedContent } from './units.js';

/**
 * Whether signed content is about one image digest. A signature or
 * attestation counts for an image only when it verifies *and* binds that
 * image's digest; these functions answer the second half, from the exact
 * signed bytes.
 *
 * An in-toto statement binds the image when the digest is among its
 * subjects. Other subjects do not fail the binding (one attestation may
 * cover an index and its platform manifests, or several images built
 * together), but every subject is listed so the report says what else the
 * same evidence vouches for.
 */
export type Binding = { binds: true; details: Record<string, string>; otherSubjects: string[] } | { binds: false; reason: string; names: string[] };

export function signatureBinding(content: SignedContent, digest: string): Binding {
  switch (content.format) {
    case 'simple-signing': {
      if (!content.claim.ok) return notBound(content.claim.reason);
      const claim = content.claim.value;
      if (claim.type !== SIMPLE_SIGNING_TYPE) return notBound(`its payload type is '${claim.type}', not '${SIMPLE_SIGNING_TYPE}'`);
      if (claim.digest !== digest) return notBound(`its payload names ${claim.digest || 'no digest'}`, claim.digest === '' ? [] : [claim.digest]);
      return {
        binds: true,
        details: { 'signed digest': claim.digest, 'docker-reference': claim.dockerReference, 'signed content': 'simple-signing payload' },
        otherSubjects: [],
      };
    }
    case 'in-toto': {
      if (!content.statement.ok) return notBound(content.statement.reason);
      if (content.statement.value.predicateType !== COSIGN_SIGN_PREDICATE) return notBound(`its predicate type is '${content.statement.value.predicateType}'`);
      return statementBinding(content.statement, digest, 'signed digest');
    }
    case 'unknown':
      return notBound(content.reason);
  }
}

export function attestationBinding(statement: Parsed<InTotoStatement>, digest: string): Binding {
  return statementBinding(statement, digest, 'attested digest');
}

function statementBinding(parsed: Parsed<InTotoStatement>, digest: string, label: string): Binding {
  if (!parsed.ok) return notBound(parsed.reason);
  const st = parsed.value;
  const subjects = describeSubjects(st.subjects);
  if (!st.subjectDigests.includes(digest)) {
    return notBound(`its in-toto subject${st.subjects.length === 1 ? ' is' : 's are'} ${subjects}`, st.subjectDigests);
  }
  const otherSubjects = st.subjectDigests.filter((d) => d !== digest);
  return {
    binds: true,
    details: { [label]: digest, 'statement subjects': subjects, 'predicate type': st.predicateType, statement: st.type },
    otherSubjects,
  };
}

/** "(the statement also names 1 other subject: sha256:…)", or nothing. */
export function otherSubjectsNote(binding: Binding): string {
  if (!binding.binds || binding.otherSubjects.length === 0) return '';
  const n = binding.otherSubjects.length;
  return ` (the statement also names ${n} other subject${n === 1 ? '' : 's'}: ${binding.otherSubjects.join(', ')})`;
}

function notBound(reason: string, names: string[] = []): Binding {
  return { binds: false, reason, names };
}
