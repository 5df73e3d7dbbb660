import type { PipelineStep } from '../collect/evidence.js';

/**
 * Reading CI step logs for what they prove. A log is unsigned text anyone
 * with the export can edit, so these rules are about honesty, not security:
 * a digest counts as pushed only on the line a push tool prints for it, never
 * in a command echoed or a message printed by hand.
 */

const DIGEST = 'sha256:[0-9a-f]{64}';
/** ANSI colour codes in CI output (built from a string: a control character in a regex literal reads badly). */
const ANSI = new RegExp('\u001b\\[[0-9;]*[A-Za-z]', 'g');

/** Lines push tools print for the manifest they pushed, with its digest. */
const PUSH_LINES: RegExp[] = [
  // docker push, and go-containerregistry's remote.Write (crane push/copy, ko): "<ref>: digest: sha256:… size: N"
  new RegExp(`^\\S+: digest: (${DIGEST}) size: \\d+$`),
  // docker buildx / BuildKit with --push: "#14 pushing manifest for <ref>@sha256:… 0.4s done"
  new RegExp(`^(?:#\\d+ )?pushing manifest for \\S+@(${DIGEST})(?:\\s|$)`),
  // kaniko (logrus text format): "INFO[0042] Pushed <ref>@sha256:…"
  new RegExp(`^INFO\\[\\d+\\] Pushed \\S+@(${DIGEST})$`),
];
/** `crane push` prints the pushed reference, `ref@sha256:…`, on stdout. */
const CRANE_PUSH_COMMAND = /^\+ crane (?:push|copy|cp|append|mutate|flatten|rebase)\b/;
const BARE_REFERENCE = new RegExp(`^\\S+@(${DIGEST})$`);
/** A shell command whose output is whatever it was told to print. */
const PRINTING_COMMAND = /^\+ (?:echo|printf|cat|tee)\b/;
const SIGNING_COMMAND = new RegExp(`\\bcosign (?:sign|attest)\\b.*@(${DIGEST})`);

/** Words that make a line about signing; and words that make it a failure. */
const ABOUT_SIGNING = /\b(?:cosign|sign|signs|signed|signing|signature|signatures|attest|attests|attested|attesting|attestation|attestations)\b/i;
const FAILURE = /\b(?:error|errors|fatal|fail|fails|failed|failure|warn|warning|panic)\b|\blevel=(?:error|warn|warning|fatal|panic)\b/i;
const NOT_SIGNED =
  /\b(?:not|never|un)[ -]?(?:signed|attested)\b|\bskipp(?:ing|ed) (?:the )?(?:signing|signature|attestation)\b|\b(?:could not|cannot|can't|unable to) (?:sign|attest)\b/i;
const SIGNING_STEP = /sign|attest|cosign/i;

/** Woodpecker traces each command of a step as "+ <command>". */
function isTrace(line: string): boolean {
  return line.startsWith('+ ');
}

function clean(line: string): string {
  return line.replace(ANSI, '').replace(/\r$/, '').trim();
}

/** Digests the step's own push tool reported pushing (not those in a printed or echoed line). */
export function pushedDigests(step: PipelineStep): Set<string> {
  const pushed = new Set<string>();
  let command = '';
  for (const raw of step.log ?? []) {
    const line = clean(raw);
    if (isTrace(line)) {
      command = line;
      continue;
    }
    if (PRINTING_COMMAND.test(command)) continue;
    for (const pattern of PUSH_LINES) {
      const found = pattern.exec(line)?.[1];
      if (found) pushed.add(found);
    }
    if (CRANE_PUSH_COMMAND.test(command)) {
      const found = BARE_REFERENCE.exec(line)?.[1];
      if (found) pushed.add(found);
    }
  }
  return pushed;
}

/** Digests a `cosign sign` or `cosign attest` of the step names. */
export function signedDigests(step: PipelineStep): Set<string> {
  const signed = new Set<string>();
  for (const raw of step.log ?? []) {
    const found = SIGNING_COMMAND.exec(clean(raw))?.[1];
    if (found) signed.add(found);
  }
  return signed;
}

/** A step whose state and exit code say it succeeded (an exit code the export omits is not held against it). */
export function stepSucceeded(step: PipelineStep): boolean {
  return step.state === 'success' && (step.exitCode === undefined || step.exitCode === 0);
}

/** A step that signs or attests, by its name or by the cosign command it ran. */
export function isSigningStep(step: PipelineStep): boolean {
  return SIGNING_STEP.test(step.name) || (step.log ?? []).some((l) => isTrace(clean(l)) && /\bcosign (?:sign|attest)\b/.test(l));
}

/**
 * Log lines that report a signing or attestation failure, verbatim: a line
 * about signing with an error, warning or failure word in any case (cosign's
 * "Error: signing …", logrus' `level=error msg="signing failed"`, "[WARN]
 * cosign sign failed", "error during command execution: signing …"), or one
 * saying the image was not signed or the attestation skipped. Command traces
 * are not quoted: their output is.
 */
export function troubleLines(step: PipelineStep): string[] {
  return (step.log ?? []).filter((raw) => {
    const line = clean(raw);
    if (line === '' || isTrace(line)) return false;
    return NOT_SIGNED.test(line) || (ABOUT_SIGNING.test(line) && FAILURE.test(line));
  });
}

/** Every `sha256:` followed by 64 hex digits the log's lines contain as text, ANSI codes and all: the digests `mentions` finds. */
export function mentionedDigests(step: PipelineStep): Set<string> {
  const found = new Set<string>();
  for (const line of step.log ?? []) {
    for (let at = line.indexOf('sha256:'); at >= 0; at = line.indexOf('sha256:', at + 1)) {
      const candidate = line.slice(at, at + 71);
      if (MENTIONED.test(candidate)) found.add(candidate);
    }
  }
  return found;
}

const MENTIONED = /^sha256:[0-9a-f]{64}$/;

/** Whether a line of the log names `digest` at all (for explaining why a run did not count). */
export function mentions(step: PipelineStep, digest: string): boolean {
  return (step.log ?? []).some((l) => l.includes(digest));
}
