import type { ImageConfig } from '../config/schema.js';
import type { ErrorCode } from '../errors.js';

/** The three lists of a pod spec a container can come from. */
export type ContainerKind = 'container' | 'init' | 'ephemeral';

/** One container of one pod, as a population export lists it. */
export interface ContainerPlace {
  namespace: string;
  pod: string;
  container: string;
  kind: ContainerKind;
  /** The image as the pod asks for it (a tag or a digest): shown, never a source of the digest. */
  image: string;
  /** The export it was read from (relative to the configuration's folder) and its SHA-256. */
  source: string;
  evidence: string;
}

/** A container whose digest the export gives: from its status's imageID. */
export interface RunningContainer extends ContainerPlace {
  digest: string;
  repository: string;
}

/** A container whose digest is unknown (pending, not pulled, a local image id): reported, never dropped. */
export interface UnresolvedContainer extends ContainerPlace {
  reason: string;
}

/** One population export, and how far it was read. */
export interface PopulationSource {
  kind: 'kubernetes';
  source: string;
  /** Absent when the file could not be read at all. */
  sha256?: string;
  pods: number;
  containers: number;
  /** Why the export was not read whole (unreadable, malformed, over a limit); absent when it was. */
  failure?: { code: ErrorCode; reason: string };
}

/** One digest found running, with every container that runs it. */
export interface RunningImage {
  digest: string;
  repositories: string[];
  /** The images as the pods name them, sorted. */
  images: string[];
  containers: RunningContainer[];
  /** The report subject: the configured image with this digest, or a name made for an image the configuration does not name. */
  subject: string;
  /** Whether an image of the configuration has this digest. */
  configured: boolean;
  /** Images of the configuration with the same repository and another digest. */
  sameRepository: { name: string; digest: string }[];
}

/** What runs, as read from the configured population sources and matched with the configuration's images. */
export interface Population {
  sources: PopulationSource[];
  /** Sorted by subject. */
  images: RunningImage[];
  unresolved: UnresolvedContainer[];
  /** Running images the configuration does not name, as subjects of the report (no evidence is collected for them). */
  uncovered: ImageConfig[];
  /** Every source was read whole: only then does "not found running" mean it does not run. */
  complete: boolean;
}
