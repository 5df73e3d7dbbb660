import { describeThrown } from '../errors.js';
import { isRecord } from '../util/wire.js';
import type { ContainerKind, ContainerPlace, RunningContainer, UnresolvedContainer } from './population-model.js';
import { readImageId, shown } from './population-image-ref.js';

/** The most containers read from one export; the rest are reported as not read (a cluster of 10 000 pods has far fewer). */
export const MAX_EXPORT_CONTAINERS = 100_000;

/** Where each kind of container is in a pod's spec and status. */
const LISTS: { kind: ContainerKind; spec: string; status: string }[] = [
  { kind: 'init', spec: 'initContainers', status: 'initContainerStatuses' },
  { kind: 'container', spec: 'containers', status: 'containerStatuses' },
  { kind: 'ephemeral', spec: 'ephemeralContainers', status: 'ephemeralContainerStatuses' },
];

export interface KubernetesReading {
  pods: number;
  running: RunningContainer[];
  unresolved: UnresolvedContainer[];
  /** Items that were not read, each with why (not a pod, no name): the population is then incomplete. */
  skipped: string[];
  /** More containers than the limit: the rest were not read. */
  truncated: boolean;
}

export type KubernetesParse = { ok: true; reading: KubernetesReading } | { ok: false; reason: string };

/**
 * Reads `kubectl get pods -A -o json` (a `List` or `PodList` of pods, or one
 * pod): every container, init and ephemeral container of every pod, its
 * image as the spec names it, and its digest from the status's imageID. A
 * container with no status or no registry digest is kept as unresolved with
 * the reason; an item that is not a pod is named, never silently passed over.
 */
export function readKubernetesPods(bytes: Buffer, origin: { source: string; evidence: string }, limit = MAX_EXPORT_CONTAINERS): KubernetesParse {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (thrown) {
    return { ok: false, reason: `not JSON (kubectl get pods -A -o json): ${describeThrown(thrown)}` };
  }
  const items = isRecord(json) && json.kind === 'Pod' ? [json] : isRecord(json) && Array.isArray(json.items) ? (json.items as unknown[]) : undefined;
  if (items === undefined) return { ok: false, reason: 'not a list of pods: no items array (export it with kubectl get pods -A -o json)' };
  const reading: KubernetesReading = { pods: 0, running: [], unresolved: [], skipped: [], truncated: false };
  for (const [index, item] of items.entries()) {
    const pod = podOf(item, index);
    if (typeof pod === 'string') {
      reading.skipped.push(pod);
      continue;
    }
    reading.pods += 1;
    reading.skipped.push(...malformedEntries(pod));
    for (const container of containersOf(pod, origin)) {
      if (reading.running.length + reading.unresolved.length >= limit) {
        reading.truncated = true;
        return { ok: true, reading };
      }
      if ('digest' in container) reading.running.push(container);
      else reading.unresolved.push(container);
    }
  }
  return { ok: true, reading };
}

interface Pod {
  namespace: string;
  name: string;
  phase: string | undefined;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

function podOf(item: unknown, index: number): Pod | string {
  if (!isRecord(item)) return `item ${index} is not an object`;
  if (item.kind !== undefined && item.kind !== 'Pod')
    return `item ${index} is a ${typeof item.kind === 'string' ? shown(item.kind) : typeof item.kind}, not a Pod`;
  const metadata = isRecord(item.metadata) ? item.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return `item ${index} has no metadata.name`;
  if (!isRecord(item.spec)) return `pod ${shown(metadata.name)} (item ${index}) has no spec`;
  const status = isRecord(item.status) ? item.status : {};
  return {
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
    name: metadata.name,
    phase: typeof status.phase === 'string' ? status.phase : undefined,
    spec: item.spec,
    status,
  };
}

/** Every container the spec lists, then any the status lists that the spec does not, each with its digest or why it has none. */
function containersOf(pod: Pod, origin: { source: string; evidence: string }): (RunningContainer | UnresolvedContainer)[] {
  const out: (RunningContainer | UnresolvedContainer)[] = [];
  for (const { kind, spec, status } of LISTS) {
    const specs = records(pod.spec[spec]);
    const statuses = records(pod.status[status]);
    const byName = new Map(statuses.filter((s) => typeof s.name === 'string').map((s) => [s.name as string, s]));
    const named = new Set<string>();
    for (const entry of [...specs, ...statuses]) {
      const name = typeof entry.name === 'string' ? entry.name : '(unnamed)';
      if (named.has(name)) continue;
      named.add(name);
      const state = byName.get(name);
      const image = typeof entry.image === 'string' ? entry.image : typeof state?.image === 'string' ? state.image : '(no image)';
      const place: ContainerPlace = { namespace: pod.namespace, pod: pod.name, container: name, kind, image, ...origin };
      if (state === undefined) {
        out.push({ ...place, reason: `no container status (pod phase ${pod.phase ?? 'unknown'}): the image has not been pulled` });
        continue;
      }
      const id = readImageId(state.imageID);
      out.push(id.ok ? { ...place, digest: id.digest, repository: id.repository } : { ...place, reason: id.reason });
    }
  }
  return out;
}

/** Entries of a container list that are not objects cannot be read: each list with some is named. */
function malformedEntries(pod: Pod): string[] {
  const lists = LISTS.flatMap(({ spec, status }): [string, string, unknown][] => [
    ['spec', spec, pod.spec[spec]],
    ['status', status, pod.status[status]],
  ]);
  return lists.flatMap(([part, key, value]) => {
    if (value === undefined || value === null) return [];
    const bad = Array.isArray(value) ? value.filter((v) => !isRecord(v)).length : 1;
    return bad === 0
      ? []
      : [`pod ${shown(pod.namespace)}/${shown(pod.name)}: ${part}.${key} has ${Array.isArray(value) ? `${bad} entries that are not objects` : 'no list'}`];
  });
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
