import { isRecord } from '../util/wire.js';
import type { Parsed } from './payloads.js';

/** SLSA provenance predicate types (slsa.dev/provenance/v0.2, slsa.dev/spec/v1.0/provenance). */
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

export function isProvenancePredicate(predicateType: string): boolean {
  return predicateType === SLSA_PROVENANCE_V02 || predicateType === SLSA_PROVENANCE_V1;
}

/**
 * What a provenance attestation says about how its subjects were built, read
 * from the exact signed statement (trusted only once it verifies and binds
 * the digest). The two SLSA versions name the same facts differently:
 *
 * | fact | v0.2 | v1 |
 * |---|---|---|
 * | builder | `builder.id` | `runDetails.builder.id` |
 * | build type | `buildType` | `buildDefinition.buildType` |
 * | source and commit | `invocation.configSource` (`uri`, `digest.sha1`), else `materials[]` | `buildDefinition.resolvedDependencies[]` (`uri`, `digest.gitCommit`) |
 * | run | `metadata.buildInvocationId`, `buildStartedOn`, `buildFinishedOn` | `runDetails.metadata.invocationId`, `startedOn`, `finishedOn` |
 *
 * Each version is read from its own fields only: a v1 predicate type over
 * v0.2 fields (or the reverse) is malformed, never guessed at.
 */
export interface ProvenanceClaim {
  predicateType: string;
  slsaVersion: 'v0.2' | 'v1';
  builderId: string;
  buildType: string;
  /** The source repository, as `<scheme>://host/path` (`git+` and any `@ref` removed). */
  sourceRepository: string;
  /** The source as the provenance names it, e.g. `git+https://github.com/org/repo@refs/heads/main`. */
  sourceUri: string;
  /** The ref after `@` in the source URI, when there is one. */
  sourceRef?: string;
  /** The source commit (hex), from `gitCommit` or `sha1`. */
  commit: string;
  invocationId?: string;
  startedOn?: string;
  finishedOn?: string;
}

interface SourceDescriptor {
  uri: string;
  commit: string;
}

/** Reads a SLSA v0.2 or v1 predicate; a missing or mistyped required field is PAYLOAD_INVALID with the field named. */
export function readProvenance(predicateType: string, predicate: unknown): Parsed<ProvenanceClaim> {
  if (!isRecord(predicate)) return invalid(`the ${predicateType} predicate is not a JSON object`);
  return predicateType === SLSA_PROVENANCE_V1 ? readV1(predicate) : readV02(predicate);
}

function readV02(p: Record<string, unknown>): Parsed<ProvenanceClaim> {
  const builderId = text(p.builder, 'id');
  if (builderId === undefined)
    return invalid(
      `SLSA v0.2 provenance has no builder.id${'runDetails' in p ? ' (it has the v1 field runDetails: the predicate type and the fields disagree)' : ''}`,
    );
  const buildType = text(p, 'buildType');
  if (buildType === undefined) return invalid('SLSA v0.2 provenance has no buildType');
  const invocation = isRecord(p.invocation) ? p.invocation : {};
  const source = sourceFrom(invocation.configSource) ?? (Array.isArray(p.materials) ? p.materials.map(sourceFrom).find((s) => s !== undefined) : undefined);
  if (source === undefined)
    return invalid('SLSA v0.2 provenance names no git source with a commit (invocation.configSource or materials[] with digest sha1/gitCommit)');
  const metadata = isRecord(p.metadata) ? p.metadata : {};
  return claim(SLSA_PROVENANCE_V02, 'v0.2', builderId, buildType, source, {
    invocationId: text(metadata, 'buildInvocationId'),
    startedOn: text(metadata, 'buildStartedOn'),
    finishedOn: text(metadata, 'buildFinishedOn'),
  });
}

function readV1(p: Record<string, unknown>): Parsed<ProvenanceClaim> {
  const definition = isRecord(p.buildDefinition) ? p.buildDefinition : undefined;
  const run = isRecord(p.runDetails) ? p.runDetails : undefined;
  if (definition === undefined || run === undefined) {
    const v02 = 'builder' in p || 'invocation' in p ? ' (it has v0.2 fields: the predicate type and the fields disagree)' : '';
    return invalid(`SLSA v1 provenance needs buildDefinition and runDetails${v02}`);
  }
  const builderId = text(run.builder, 'id');
  if (builderId === undefined) return invalid('SLSA v1 provenance has no runDetails.builder.id');
  const buildType = text(definition, 'buildType');
  if (buildType === undefined) return invalid('SLSA v1 provenance has no buildDefinition.buildType');
  const dependencies = (Array.isArray(definition.resolvedDependencies) ? definition.resolvedDependencies : []).map(sourceFrom);
  const sources = dependencies.filter((s): s is SourceDescriptor => s !== undefined);
  // GitHub's build types name the workflow's repository; prefer the dependency that is that repository.
  const workflow = isRecord(definition.externalParameters) ? definition.externalParameters.workflow : undefined;
  const named = text(workflow, 'repository');
  const source = sources.find((s) => named !== undefined && sameRepository(splitSource(s.uri).repository, named)) ?? sources[0];
  if (source === undefined)
    return invalid('SLSA v1 provenance names no git source with a commit (buildDefinition.resolvedDependencies[] with digest gitCommit/sha1)');
  const metadata = isRecord(run.metadata) ? run.metadata : {};
  return claim(SLSA_PROVENANCE_V1, 'v1', builderId, buildType, source, {
    invocationId: text(metadata, 'invocationId'),
    startedOn: text(metadata, 'startedOn'),
    finishedOn: text(metadata, 'finishedOn'),
  });
}

function claim(
  predicateType: string,
  slsaVersion: ProvenanceClaim['slsaVersion'],
  builderId: string,
  buildType: string,
  source: SourceDescriptor,
  run: Record<'invocationId' | 'startedOn' | 'finishedOn', string | undefined>,
): Parsed<ProvenanceClaim> {
  const { repository, ref } = splitSource(source.uri);
  const optional = Object.fromEntries(Object.entries(run).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    ok: true,
    value: {
      predicateType,
      slsaVersion,
      builderId,
      buildType,
      sourceRepository: repository,
      sourceUri: source.uri,
      ...(ref === undefined ? {} : { sourceRef: ref }),
      commit: source.commit,
      ...optional,
    },
  };
}

/** A git source: a `git+` URI (SPDX download location) with a commit digest of 40 or 64 hex digits. */
function sourceFrom(value: unknown): SourceDescriptor | undefined {
  if (!isRecord(value) || typeof value.uri !== 'string' || !value.uri.startsWith('git+') || !isRecord(value.digest)) return undefined;
  const commit = value.digest.gitCommit ?? value.digest.sha1;
  if (typeof commit !== 'string' || !/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(commit)) return undefined;
  return { uri: value.uri, commit: commit.toLowerCase() };
}

/** `git+https://host/org/repo@refs/heads/main` → repository `https://host/org/repo`, ref `refs/heads/main`. */
export function splitSource(uri: string): { repository: string; ref?: string } {
  const bare = uri.replace(/^git\+/, '');
  const hostStart = bare.indexOf('://') + 3;
  const pathStart = bare.indexOf('/', hostStart);
  const at = pathStart < 0 ? -1 : bare.indexOf('@', pathStart);
  return at < 0 ? { repository: bare } : { repository: bare.slice(0, at), ref: bare.slice(at + 1) };
}

/** Repository URLs compared as forges treat them: case, a trailing slash and `.git` do not matter. */
export function sameRepository(a: string, b: string): boolean {
  return normaliseRepository(a) === normaliseRepository(b);
}

function normaliseRepository(url: string): string {
  return url
    .trim()
    .replace(/^git\+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
}

function text(record: unknown, key: string): string | undefined {
  const value = isRecord(record) ? record[key] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function invalid(reason: string): Parsed<ProvenanceClaim> {
  return { ok: false, code: 'PAYLOAD_INVALID', reason };
}
