/**
 * `kubectl get pods -A -o json` exports for tests, shaped as kubectl prints
 * them: a `List` of pods, each with its spec's containers and the statuses
 * the kubelet reports (imageID as containerd writes it, unless given).
 */

export interface PodSpec {
  namespace?: string;
  name: string;
  phase?: string;
  containers: ContainerSpec[];
  init?: ContainerSpec[];
  ephemeral?: ContainerSpec[];
}

export interface ContainerSpec {
  name: string;
  image: string;
  /** The status's imageID; null: no status at all (pending); undefined: `<repository>@<digest>` from `digest`. */
  imageID?: string | null;
  digest?: string;
}

export function pod(spec: PodSpec): Record<string, unknown> {
  const statuses = (list: ContainerSpec[]) =>
    list
      .filter((c) => c.imageID !== null)
      .map((c) => ({ name: c.name, image: c.image, imageID: c.imageID ?? `${untagged(c.image)}@${c.digest ?? ''}`, ready: true }));
  const specs = (list: ContainerSpec[]) => list.map((c) => ({ name: c.name, image: c.image, imagePullPolicy: 'IfNotPresent' }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: spec.name, namespace: spec.namespace ?? 'default', uid: `uid-${spec.name}` },
    spec: {
      containers: specs(spec.containers),
      ...(spec.init ? { initContainers: specs(spec.init) } : {}),
      ...(spec.ephemeral ? { ephemeralContainers: specs(spec.ephemeral) } : {}),
    },
    status: {
      phase: spec.phase ?? 'Running',
      containerStatuses: statuses(spec.containers),
      ...(spec.init ? { initContainerStatuses: statuses(spec.init) } : {}),
      ...(spec.ephemeral ? { ephemeralContainerStatuses: statuses(spec.ephemeral) } : {}),
    },
  };
}

export function podList(pods: Record<string, unknown>[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: pods }, null, 2)}\n`;
}

/** `reg:5000/repo:tag` → `reg:5000/repo`: what containerd writes before the digest. */
function untagged(image: string): string {
  const name = image.split('@')[0] ?? image;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
