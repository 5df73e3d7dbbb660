import { isRecord } from '../util/wire.js';
import { componentLicences, spdxIdsOf } from './licences.js';
import { list, text } from './walk.js';

/** What a field predicate may look at besides the component: the dependency graph, indexed once. */
export interface ScoreContext {
  /** bom-refs that have their own `dependencies[]` entry (their direct dependencies are enumerated, maybe as none). */
  withDependencyEntry: Set<string>;
  /** bom-refs that appear anywhere in the dependency graph. */
  inGraph: Set<string>;
}

export type Framework = 'ntia' | 'bsi';

export interface FieldDefinition {
  id: string;
  framework: Framework;
  label: string;
  /** Document fields are 0 or 100 %; component fields are the share of components that have them. */
  document?: (bom: Record<string, unknown>) => boolean;
  /** Which components the field is required of (default: all). */
  appliesTo?: (component: Record<string, unknown>) => boolean;
  component?: (component: Record<string, unknown>, context: ScoreContext) => boolean;
}

/**
 * NTIA "The Minimum Elements For a Software Bill of Materials" (2021) and BSI
 * TR-03183-2 v2.0.0 §5.2 required fields, mapped to CycloneDX JSON. Where the
 * mapping is a judgement, the label says what counts. Tool entries in
 * `metadata.tools` never count as an author or creator: a tool is not an entity.
 */
export const FIELDS: readonly FieldDefinition[] = [
  { id: 'ntia.supplier', framework: 'ntia', label: 'supplier (supplier, manufacturer or publisher)', component: (c) => hasParty(c.supplier) || hasParty(c.manufacturer) || text(c.publisher) !== undefined },
  { id: 'ntia.name', framework: 'ntia', label: 'component name', component: (c) => text(c.name) !== undefined },
  { id: 'ntia.version', framework: 'ntia', label: 'component version', component: (c) => text(c.version) !== undefined },
  { id: 'ntia.identifier', framework: 'ntia', label: 'unique identifier (purl, CPE, SWID, OmniBOR or SWHID)', component: hasUniqueIdentifier },
  { id: 'ntia.dependencies', framework: 'ntia', label: 'dependency relationship (in the dependency graph)', component: (c, x) => x.inGraph.has(refOf(c)) },
  { id: 'ntia.author', framework: 'ntia', label: 'SBOM author (metadata authors, manufacturer or supplier)', document: (b) => sbomAuthors(b).some(hasParty) },
  { id: 'ntia.timestamp', framework: 'ntia', label: 'SBOM timestamp', document: hasTimestamp },
  { id: 'bsi.creator', framework: 'bsi', label: 'SBOM creator with email or URL', document: (b) => sbomAuthors(b).some(hasContact) },
  { id: 'bsi.timestamp', framework: 'bsi', label: 'SBOM timestamp', document: hasTimestamp },
  { id: 'bsi.componentCreator', framework: 'bsi', label: 'component creator with email or URL', component: (c) => [c.supplier, c.manufacturer, ...list(c.authors)].some(hasContact) },
  { id: 'bsi.name', framework: 'bsi', label: 'component name', component: (c) => text(c.name) !== undefined },
  { id: 'bsi.version', framework: 'bsi', label: 'component version', component: (c) => text(c.version) !== undefined },
  { id: 'bsi.filename', framework: 'bsi', label: 'filename (property bsi:component:filename)', component: (c) => propertyValue(c, 'bsi:component:filename') !== undefined },
  { id: 'bsi.executableHash', framework: 'bsi', label: 'hash of executables (flagged bsi:component:executable, or type application/firmware)', appliesTo: isExecutable, component: (c) => hashAlgorithms(c).length > 0 },
  { id: 'bsi.dependencies', framework: 'bsi', label: 'dependencies enumerated (own dependencies[] entry)', component: (c, x) => x.withDependencyEntry.has(refOf(c)) },
  { id: 'bsi.licence', framework: 'bsi', label: 'licence as SPDX id or expression', component: (c) => spdxIdsOf(componentLicences(c)).length > 0 },
  { id: 'bsi.sha512', framework: 'bsi', label: 'SHA-512 of the deliverable (component or its distribution reference)', component: (c) => hashAlgorithms(c).includes('SHA-512') },
];

/** A component without a bom-ref cannot be in the dependency graph; '' is never a valid ref. */
function refOf(c: Record<string, unknown>): string {
  return typeof c['bom-ref'] === 'string' ? c['bom-ref'] : '';
}

function hasParty(entity: unknown): boolean {
  return isRecord(entity) && (text(entity.name) !== undefined || hasContact(entity));
}

/** An email or URL, as BSI TR-03183-2 asks of creators: `url`, `email`, or `contact[].email`. */
function hasContact(entity: unknown): boolean {
  if (!isRecord(entity)) return false;
  if (text(entity.email) !== undefined || text(entity.url) !== undefined) return true;
  if (list(entity.url).some((u) => text(u) !== undefined)) return true;
  return list(entity.contact).some((c) => isRecord(c) && text(c.email) !== undefined);
}

/** Who made the SBOM: `metadata.authors`, `manufacturer` (1.6), `manufacture` (≤ 1.5), `supplier`. */
function sbomAuthors(bom: Record<string, unknown>): unknown[] {
  const metadata = isRecord(bom.metadata) ? bom.metadata : {};
  return [...list(metadata.authors), metadata.manufacturer, metadata.manufacture, metadata.supplier];
}

function hasTimestamp(bom: Record<string, unknown>): boolean {
  const stamp = isRecord(bom.metadata) ? text(bom.metadata.timestamp) : undefined;
  return stamp !== undefined && !Number.isNaN(Date.parse(stamp));
}

function hasUniqueIdentifier(c: Record<string, unknown>): boolean {
  if (text(c.purl) !== undefined || text(c.cpe) !== undefined) return true;
  if (isRecord(c.swid) && text(c.swid.tagId) !== undefined) return true;
  return list(c.omniborId).length > 0 || list(c.swhid).length > 0;
}

function propertyValue(c: Record<string, unknown>, name: string): string | undefined {
  for (const p of list(c.properties)) if (isRecord(p) && p.name === name && text(p.value) !== undefined) return p.value as string;
  return undefined;
}

function isExecutable(c: Record<string, unknown>): boolean {
  const flag = propertyValue(c, 'bsi:component:executable');
  if (flag !== undefined) return flag === 'executable';
  return c.type === 'application' || c.type === 'firmware';
}

/** Hash algorithms on the component and on its `distribution` references (cyclonedx-npm puts the tarball's SHA-512 there). */
function hashAlgorithms(c: Record<string, unknown>): string[] {
  const distribution = list(c.externalReferences).filter((r) => isRecord(r) && (r.type === 'distribution' || r.type === 'distribution-intake'));
  return [c, ...distribution].flatMap((holder) => list((holder as Record<string, unknown>).hashes).flatMap((h) => (isRecord(h) && typeof h.alg === 'string' && text(h.content) !== undefined ? [h.alg] : [])));
}
