import { join } from 'node:path';
import { stringify } from 'yaml';
import { RemoteError, displayUrl, problemFrom, sortedProblems, type CollectProblem } from '../remote/errors.js';
import { RECORD_FILE, prepareCollectionDir, recordHeader, replaceFolder, writeFileAtomic } from '../remote/files.js';
import { HttpClient, type HttpSettings } from '../remote/http.js';
import { mapLimited } from '../remote/limiter.js';
import { isRecord } from '../../util/wire.js';
import { RegistrySession } from './auth.js';
import { RegistryClient, type RegistryLimits } from './client.js';
import type { Credentials } from './credentials.js';
import { collectImage } from './image.js';
import { writeImageLayout } from './layout-writer.js';
import { LISTING_FILE, buildListing, referenceHost, resolvedTag, type ListedTag } from './listing.js';
import { imageRecord, type ImageRecord } from './record.js';
import { imageNames, selectRepositories } from './repositories.js';

export const IMAGES_SNIPPET = 'images.yaml';
export const EVIDENCE_FOLDER = 'evidence';

export interface RegistryCollectOptions {
  registry: URL;
  /** Repository names or patterns (`akko/*`). */
  repositories: string[];
  tag: string;
  outDir: string;
  credentials: Credentials;
  http: HttpSettings;
  limits: RegistryLimits;
  /** When the collection ran (ISO 8601), recorded as is. */
  collectedAt: string;
  progress: (message: string) => void;
  /** Called with each problem as it happens, so a long run shows it at once. */
  problem: (problem: CollectProblem) => void;
}

export interface RegistryCollection {
  outDir: string;
  images: ImageRecord[];
  problems: CollectProblem[];
  /** The credentials were missing or refused: the run stopped early (what was collected is kept). */
  stopped: boolean;
}

/**
 * `auditpack collect registry`: resolves each repository's tag to a digest,
 * collects the image and its signatures, attestations and referrers, and
 * writes one OCI image layout per image under `evidence/<name>/` (the form
 * the offline report reads), `images.yaml` with the resolved digests,
 * `collection.json` recording what was and was not collected, and
 * `registry-listing.json`, what the registry published (a population source).
 */
export async function collectRegistry(options: RegistryCollectOptions): Promise<RegistryCollection> {
  const previous = await prepareCollectionDir(options.outDir, 'registry');
  const client = new RegistryClient(new RegistrySession(new HttpClient(options.http), options.registry, options.credentials), options.limits);
  const problems: CollectProblem[] = [];
  const note = (p: CollectProblem) => {
    problems.push(p);
    options.problem(p);
  };
  let stopped = false;
  const records: ImageRecord[] = [];
  /** What each repository's tag resolved to, for the listing: every repository selected gets an entry, resolved or not. */
  const listed = new Map<string, ListedTag[]>();
  const listingProblems: CollectProblem[] = [];
  try {
    options.progress(`collect registry: listing repositories on ${options.registry.host}`);
    const selection = await selectRepositories(client, options.repositories);
    selection.problems.forEach(note);
    listingProblems.push(...selection.problems);
    const names = imageNames(selection.repositories.map((r) => r.name));
    let done = 0;
    await mapLimited(selection.repositories, options.http.concurrency, async ({ name: repository, named }) => {
      if (stopped) {
        listed.set(repository, [
          { tag: options.tag, problem: { code: 'COLLECT_AUTH_FAILED', reason: 'not collected: the run stopped when the credentials were refused' } },
        ]);
        return;
      }
      const name = names.get(repository) ?? repository;
      const say = (step: string) => options.progress(`collect registry ${done + 1}/${selection.repositories.length}: ${repository}: ${step}`);
      try {
        const image = await collectImage(client, repository, options.tag, say);
        listed.set(repository, [resolvedTag(image)]);
        await replaceFolder(join(options.outDir, EVIDENCE_FOLDER, name), (dir) => writeImageLayout(dir, image).then(() => undefined));
        image.problems.forEach(note);
        records.push(imageRecord(name, image, options));
      } catch (thrown) {
        if (thrown instanceof RemoteError && thrown.fatal) stopped = true;
        const notFound = thrown instanceof RemoteError && thrown.code === 'COLLECT_NOT_FOUND';
        if (!listed.has(repository)) {
          const { code, reason } = problemFrom(thrown, `${repository}:${options.tag}`);
          listed.set(repository, [notFound ? { tag: options.tag, absent: true } : { tag: options.tag, problem: { code, reason } }]);
        }
        const missingTag = notFound && !named;
        if (missingTag) records.push({ name, repository, status: 'skipped', reason: `no tag ${options.tag}` });
        else note(problemFrom(thrown, `${repository}:${options.tag}`));
      } finally {
        done += 1;
      }
    });
  } catch (thrown) {
    if (!(thrown instanceof RemoteError)) throw thrown;
    stopped ||= thrown.fatal;
    const problem = problemFrom(thrown, displayUrl(options.registry));
    note(problem);
    listingProblems.push(problem);
  }
  const images = withEarlier(records, previous, problems);
  await writeRecords(options, images, problems);
  const listing = buildListing({
    registry: displayUrl(options.registry),
    host: referenceHost(options.registry),
    collectedAt: options.collectedAt,
    request: { repositories: options.repositories, tags: [options.tag] },
    tags: listed,
    problems: sortedProblems(listingProblems),
  });
  await writeFileAtomic(join(options.outDir, LISTING_FILE), `${JSON.stringify(listing, null, 2)}\n`);
  return { outDir: options.outDir, images, problems, stopped };
}

/** Images this run could not collect keep their earlier folder, marked as such: nothing collected before is lost. */
function withEarlier(records: ImageRecord[], previous: Record<string, unknown> | undefined, problems: CollectProblem[]): ImageRecord[] {
  const now = new Set(records.filter((r) => r.status !== 'skipped').map((r) => r.name));
  const earlier = isRecord(previous) && Array.isArray(previous.images) ? previous.images.filter(isRecord) : [];
  const kept = earlier
    .filter((r) => typeof r.name === 'string' && !now.has(r.name) && r.status !== 'skipped')
    .map((r) => ({
      ...(r as unknown as ImageRecord),
      status: 'kept-from-earlier-collection' as const,
      problems: problems.filter((p) => p.where.startsWith(`${String(r.repository)}:`)),
    }));
  return [...records, ...kept].sort((a, b) => a.name.localeCompare(b.name));
}

async function writeRecords(options: RegistryCollectOptions, images: ImageRecord[], problems: CollectProblem[]): Promise<void> {
  const record = {
    ...recordHeader('registry', options.collectedAt),
    registry: displayUrl(options.registry),
    request: { repositories: options.repositories, tag: options.tag },
    credentials: options.credentials.toJSON(),
    images,
    problems: sortedProblems(problems),
  };
  await writeFileAtomic(join(options.outDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const listed = images.flatMap((i) => (i.status === 'skipped' || i.digest === undefined ? [] : [{ name: i.name, ref: i.ref, digest: i.digest }]));
  const header = [
    `# Images collected by auditpack collect registry from ${displayUrl(options.registry)} (tag ${options.tag}) at ${options.collectedAt}.`,
    '# Merge into auditpack.yaml. The evidence path is relative to this folder: adjust it to where',
    '# auditpack.yaml sits. Images marked in collection.json as kept-from-earlier-collection were not',
    '# collected again this time; their digest is the earlier one. registry-listing.json lists what the',
    '# tag resolved to in every repository: name it in population.registry to make that the population.',
  ];
  await writeFileAtomic(
    join(options.outDir, IMAGES_SNIPPET),
    `${header.join('\n')}\n${stringify({ images: listed, evidence: { images: `${EVIDENCE_FOLDER}/{image}` } })}`,
  );
}
