/**
 * What counts as each SBOM field being present, in CycloneDX JSON terms.
 * Where a mapping is a judgement the field's label in score-fields.ts says
 * what counts. Tool entries in `metadata.tools` never count as an author or
 * creator: a tool is not an entity.
 */
import { isRecord } from '../util/wire.js';
import { componentLicences, spdxIdsOf } from './licences.js';
import { list, text } from './walk.js';

/** A component without a bom-ref cannot be in the dependency graph; '' is never a valid ref. */
export function refOf(c: Record<string, unknown>): string {
  return typeof c['bom-ref'] === 'string' ? c['bom-ref'] : '';
}

export function hasParty(entity: unknown): boolean {
  return isRecord(entity) && (text(entity.name) !== undefined || hasContact(entity));
}

/** An email or URL, as BSI TR-03183-2 asks of creators: `url`, `email`, or `contact[].email`. */
export function hasContact(entity: unknown): boolean {
  if (!isRecord(entity)) return false;
  if (text(entity.email) !== undefined || text(entity.url) !== undefined) return true;
  if (list(entity.url).some((u) => text(u) !== undefined)) return true;
  return list(entity.contact).some((c) => isRecord(c) && text(c.email) !== undefined);
}

/** Who made the SBOM: `metadata.authors`, `manufacturer` (1.6), `manufacture` (≤ 1.5), `supplier`. */
export function sbomAuthors(bom: Record<string, unknown>): unknown[] {
  const metadata = metadataOf(bom);
  return [...list(metadata.authors), metadata.manufacturer, metadata.manufacture, metadata.supplier];
}

export function hasTimestamp(bom: Record<string, unknown>): boolean {
  const stamp = text(metadataOf(bom).timestamp);
  return stamp !== undefined && !Number.isNaN(Date.parse(stamp));
}

/** A named tool in `metadata.tools`: the legacy array (≤ 1.4) or `{components, services}` (1.5+). */
export function hasToolName(bom: Record<string, unknown>): boolean {
  const tools = metadataOf(bom).tools;
  const entries = isRecord(tools) ? [...list(tools.components), ...list(tools.services)] : list(tools);
  return entries.some((t) => isRecord(t) && text(t.name) !== undefined);
}

/** The SBOM says at which lifecycle phase it was made (`metadata.lifecycles`, CycloneDX 1.5+). */
export function hasLifecycle(bom: Record<string, unknown>): boolean {
  return list(metadataOf(bom).lifecycles).some((l) => isRecord(l) && (text(l.phase) !== undefined || text(l.name) !== undefined));
}

/** CycloneDX `specVersion` at least `minimum` ("1.6"). */
export function specVersionAtLeast(bom: Record<string, unknown>, minimum: string): boolean {
  if (bom.bomFormat !== 'CycloneDX') return false;
  const have = /^(\d+)\.(\d+)$/.exec(text(bom.specVersion) ?? '');
  const want = /^(\d+)\.(\d+)$/.exec(minimum);
  if (!have || !want) return false;
  const [h1, h2, w1, w2] = [have[1], have[2], want[1], want[2]].map(Number) as [number, number, number, number];
  return h1 > w1 || (h1 === w1 && h2 >= w2);
}

/** A `urn:uuid:` serial number, which with `version` makes the BOM-Link URI of the SBOM. */
export function hasSerialNumber(bom: Record<string, unknown>): boolean {
  return /^urn:uuid:[0-9a-f-]{36}$/i.test(text(bom.serialNumber) ?? '');
}

export function hasUniqueIdentifier(c: Record<string, unknown>): boolean {
  if (text(c.purl) !== undefined || text(c.cpe) !== undefined) return true;
  if (isRecord(c.swid) && text(c.swid.tagId) !== undefined) return true;
  return list(c.omniborId).length > 0 || list(c.swhid).length > 0;
}

export function propertyValue(c: Record<string, unknown>, name: string): string | undefined {
  for (const p of list(c.properties)) if (isRecord(p) && p.name === name && text(p.value) !== undefined) return p.value as string;
  return undefined;
}

/** Any licence at all: an SPDX id, a named licence or an expression. */
export function hasAnyLicence(c: Record<string, unknown>): boolean {
  const l = componentLicences(c);
  return l.ids.length + l.expressions.length + l.named.length > 0;
}

/** An SPDX id or expression whose CycloneDX 1.6 `acknowledgement` is `concluded` or `declared`. */
export function hasAcknowledgedSpdxLicence(c: Record<string, unknown>, acknowledgement: 'concluded' | 'declared'): boolean {
  return list(c.licenses).some((l) => {
    if (!isRecord(l)) return false;
    const holder = isRecord(l.license) ? l.license : l;
    if (holder.acknowledgement !== acknowledgement && l.acknowledgement !== acknowledgement) return false;
    return spdxIdsOf(componentLicences({ licenses: [l] })).length > 0;
  });
}

/** Hash algorithms on the component and on its `distribution` references (cyclonedx-npm puts the tarball's SHA-512 there). */
export function hashAlgorithms(c: Record<string, unknown>): string[] {
  const distribution = externalReferences(c, ['distribution', 'distribution-intake']);
  return [c, ...distribution].flatMap((holder) =>
    list(holder.hashes).flatMap((h) => (isRecord(h) && typeof h.alg === 'string' && text(h.content) !== undefined ? [h.alg] : [])),
  );
}

/** External references of the given types that carry a URL. */
export function externalReferences(c: Record<string, unknown>, types: string[]): Record<string, unknown>[] {
  return list(c.externalReferences).filter(
    (r): r is Record<string, unknown> => isRecord(r) && typeof r.type === 'string' && types.includes(r.type) && text(r.url) !== undefined,
  );
}

function metadataOf(bom: Record<string, unknown>): Record<string, unknown> {
  return isRecord(bom.metadata) ? bom.metadata : {};
}
