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

/** One tag of one repository, as a registry listing records it: published, which says nothing of what runs. */
export interface TagPlace {
  /** `harbor.example/akko/cockpit:2026.04`: the reference that was resolved. */
  reference: string;
  /** The repository, normalised as for containers (`harbor.example/akko/cockpit`). */
  repository: string;
  tag: string;
  /** The listing it was read from (relative to the configuration's folder) and its SHA-256. */
  source: string;
  evidence: string;
}

/** A tag the listing resolved to a digest (for an index, with its platform manifests). */
export interface PublishedTag extends TagPlace {
  digest: string;
  platforms: { platform: string; digest: string }[];
}

/** A tag the collection could not resolve: what it publishes is unknown. */
export interface UnresolvedTag extends TagPlace {
  code: ErrorCode;
  reason: string;
}

/** A container or tag the population's filters leave out: counted and listed, never dropped. */
export interface ExcludedMember {
  /** The rule that left it out, e.g. `population.excludeNamespaces: kube-system`. */
  rule: string;
  image: string;
  source: string;
  digest?: string;
  container?: ContainerPlace;
  tag?: TagPlace;
}

/** One population source (a kubectl export, a registry listing), and how far it was read. */
export interface PopulationSource {
  kind: 'kubernetes' | 'registry';
  source: string;
  /** Absent when the file could not be read at all. */
  sha256?: string;
  pods: number;
  containers: number;
  /** Registry listings: repositories and tags read, and when the listing was collected. */
  repositories?: number;
  tags?: number;
  collectedAt?: string;
  /** Why the source was not read whole (unreadable, malformed, over a limit, incomplete); absent when it was. */
  failure?: { code: ErrorCode; reason: string };
}

/** One digest of the population, with every container that runs it and every tag that publishes it. */
export interface RunningImage {
  digest: string;
  repositories: string[];
  /** The images as the pods name them and the references of the tags, sorted. */
  images: string[];
  containers: RunningContainer[];
  /** Registry tags that resolve to it (none without a registry listing). */
  tags: PublishedTag[];
  /** The report subject: the configured image with this digest, or a name made for an image the configuration does not name. */
  subject: string;
  /** Whether an image of the configuration has this digest. */
  configured: boolean;
  /** Images of the configuration with the same repository and another digest. */
  sameRepository: { name: string; digest: string }[];
}

/** The population's filters as configured (globs): which namespaces and repositories are in scope. */
export interface PopulationFilters {
  namespaces?: string[];
  excludeNamespaces?: string[];
  repositories?: string[];
  excludeRepositories?: string[];
}

/** What runs and what is published, as read from the configured population sources and matched with the configuration's images. */
export interface Population {
  sources: PopulationSource[];
  /** Sorted by subject. */
  images: RunningImage[];
  unresolved: UnresolvedContainer[];
  /** Registry tags not resolved when the listing was collected. */
  unresolvedTags: UnresolvedTag[];
  /** The filters, when any is configured, and what they left out (sorted by rule, then place). */
  filters?: PopulationFilters;
  excluded: ExcludedMember[];
  /** Running images the configuration does not name, as subjects of the report (no evidence is collected for them). */
  uncovered: ImageConfig[];
  /** Every source was read whole: only then does "not found running" mean it does not run. */
  complete: boolean;
}
