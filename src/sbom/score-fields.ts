import * as has from './score-predicates.js';
import { text } from './walk.js';

/** What a field predicate may look at besides the component: the dependency graph, indexed once. */
export interface ScoreContext {
  /** bom-refs that have their own `dependencies[]` entry (their direct dependencies are enumerated, maybe as none). */
  withDependencyEntry: Set<string>;
  /** bom-refs that appear anywhere in the dependency graph. */
  inGraph: Set<string>;
}

export type Framework = 'ntia' | 'cisa' | 'bsi';

export interface FieldDefinition {
  id: string;
  framework: Framework;
  label: string;
  /** The text the field comes from: document, section and field name, so a gap can be traced. */
  requirement: string;
  /** Document fields are 0 or 100 %; component fields are the share of components that have them. */
  document?: (bom: Record<string, unknown>) => boolean;
  component?: (component: Record<string, unknown>, context: ScoreContext) => boolean;
}

/**
 * The texts the score follows. BSI TR-03183-2 v2.1.0 (20 August 2025,
 * https://www.bsi.bund.de/SharedDocs/Downloads/EN/BSI/Publications/TechGuidelines/TR03183/BSI-TR-03183-2.pdf)
 * and the CISA "2025 Minimum Elements for a Software Bill of Materials" (a
 * draft for comment of 22 August 2025,
 * https://www.cisa.gov/resources-tools/resources/2025-minimum-elements-software-bill-materials-sbom)
 * are the current ones and make the grade; the NTIA minimum elements (July
 * 2021), which CISA's draft updates, are kept for reference. Neither current
 * text was read in the original here: the BSI field list comes from the
 * sbomqs compliance reference (interlynk-io/sbomqs,
 * docs/reference/compliance-standards.md) and sbomify's BSI page, the CISA
 * one from CISA's announcement as reported by scworld.com and others.
 */

const NTIA = 'NTIA minimum elements (2021), data field';
const CISA = 'CISA 2025 minimum elements (draft), data field';
const BSI = 'BSI TR-03183-2 v2.1.0';
const deployable = (c: Record<string, unknown>) => has.hashAlgorithms(c).includes('SHA-512');

/** Every field scored, with the requirement it belongs to, mapped to CycloneDX JSON. */
export const FIELDS: readonly FieldDefinition[] = [
  {
    id: 'ntia.supplier',
    framework: 'ntia',
    label: 'supplier (supplier, manufacturer or publisher)',
    requirement: `${NTIA} "Supplier Name"`,
    component: (c) => has.hasParty(c.supplier) || has.hasParty(c.manufacturer) || text(c.publisher) !== undefined,
  },
  { id: 'ntia.name', framework: 'ntia', label: 'component name', requirement: `${NTIA} "Component Name"`, component: (c) => text(c.name) !== undefined },
  {
    id: 'ntia.version',
    framework: 'ntia',
    label: 'component version',
    requirement: `${NTIA} "Version of the Component"`,
    component: (c) => text(c.version) !== undefined,
  },
  {
    id: 'ntia.identifier',
    framework: 'ntia',
    label: 'unique identifier (purl, CPE, SWID, OmniBOR or SWHID)',
    requirement: `${NTIA} "Other Unique Identifiers"`,
    component: has.hasUniqueIdentifier,
  },
  {
    id: 'ntia.dependencies',
    framework: 'ntia',
    label: 'dependency relationship (in the dependency graph)',
    requirement: `${NTIA} "Dependency Relationship"`,
    component: (c, x) => x.inGraph.has(has.refOf(c)),
  },
  {
    id: 'ntia.author',
    framework: 'ntia',
    label: 'SBOM author (metadata authors, manufacturer or supplier)',
    requirement: `${NTIA} "Author of SBOM Data"`,
    document: (b) => has.sbomAuthors(b).some(has.hasParty),
  },
  { id: 'ntia.timestamp', framework: 'ntia', label: 'SBOM timestamp', requirement: `${NTIA} "Timestamp"`, document: has.hasTimestamp },

  {
    id: 'cisa.author',
    framework: 'cisa',
    label: 'SBOM author (metadata authors, manufacturer or supplier; a tool does not count)',
    requirement: `${CISA} "SBOM Author"`,
    document: (b) => has.sbomAuthors(b).some(has.hasParty),
  },
  {
    id: 'cisa.producer',
    framework: 'cisa',
    label: 'software producer (supplier, manufacturer or publisher)',
    requirement: `${CISA} "Software Producer"`,
    component: (c) => has.hasParty(c.supplier) || has.hasParty(c.manufacturer) || text(c.publisher) !== undefined,
  },
  { id: 'cisa.name', framework: 'cisa', label: 'component name', requirement: `${CISA} "Component Name"`, component: (c) => text(c.name) !== undefined },
  {
    id: 'cisa.version',
    framework: 'cisa',
    label: 'component version',
    requirement: `${CISA} "Component Version"`,
    component: (c) => text(c.version) !== undefined,
  },
  {
    id: 'cisa.identifier',
    framework: 'cisa',
    label: 'software identifier (purl, CPE, SWID, OmniBOR or SWHID; at least one)',
    requirement: `${CISA} "Software Identifiers"`,
    component: has.hasUniqueIdentifier,
  },
  {
    id: 'cisa.hash',
    framework: 'cisa',
    label: 'component hash with its algorithm (component or distribution reference)',
    requirement: `${CISA} "Component Hash"`,
    component: (c) => has.hashAlgorithms(c).length > 0,
  },
  {
    id: 'cisa.licence',
    framework: 'cisa',
    label: 'licence (SPDX id, expression or named licence)',
    requirement: `${CISA} "License"`,
    component: has.hasAnyLicence,
  },
  {
    id: 'cisa.dependencies',
    framework: 'cisa',
    label: 'dependency relationship (in the dependency graph)',
    requirement: `${CISA} "Dependency Relationship"`,
    component: (c, x) => x.inGraph.has(has.refOf(c)),
  },
  {
    id: 'cisa.tool',
    framework: 'cisa',
    label: 'name of the tool that made the SBOM (metadata.tools)',
    requirement: `${CISA} "Tool Name"`,
    document: has.hasToolName,
  },
  { id: 'cisa.timestamp', framework: 'cisa', label: 'SBOM timestamp', requirement: `${CISA} "Timestamp"`, document: has.hasTimestamp },
  {
    id: 'cisa.context',
    framework: 'cisa',
    label: 'generation context (metadata.lifecycles phase, CycloneDX 1.5+)',
    requirement: `${CISA} "Generation Context"`,
    document: has.hasLifecycle,
  },

  {
    id: 'bsi.format',
    framework: 'bsi',
    label: 'format CycloneDX 1.6 or later (SPDX 3.0.1 or later, which auditpack does not score)',
    requirement: `${BSI} §4 SBOM formats`,
    document: (b) => has.specVersionAtLeast(b, '1.6'),
  },
  {
    id: 'bsi.creator',
    framework: 'bsi',
    label: 'SBOM creator with email or URL',
    requirement: `${BSI} §5.2.1 "Creator of the SBOM" (required)`,
    document: (b) => has.sbomAuthors(b).some(has.hasContact),
  },
  { id: 'bsi.timestamp', framework: 'bsi', label: 'SBOM timestamp', requirement: `${BSI} §5.2.1 "Timestamp" (required)`, document: has.hasTimestamp },
  {
    id: 'bsi.sbomUri',
    framework: 'bsi',
    label: 'SBOM-URI (serialNumber urn:uuid, with version a BOM-Link)',
    requirement: `${BSI} §5.2.1 "SBOM-URI" (required)`,
    document: has.hasSerialNumber,
  },
  {
    id: 'bsi.componentCreator',
    framework: 'bsi',
    label: 'component creator with email or URL',
    requirement: `${BSI} §5.2.2 "Component creator" (required)`,
    component: (c) => [c.supplier, c.manufacturer, ...(Array.isArray(c.authors) ? (c.authors as unknown[]) : [])].some(has.hasContact),
  },
  {
    id: 'bsi.name',
    framework: 'bsi',
    label: 'component name',
    requirement: `${BSI} §5.2.2 "Component name" (required)`,
    component: (c) => text(c.name) !== undefined,
  },
  {
    id: 'bsi.version',
    framework: 'bsi',
    label: 'component version',
    requirement: `${BSI} §5.2.2 "Component version" (required)`,
    component: (c) => text(c.version) !== undefined,
  },
  {
    id: 'bsi.filename',
    framework: 'bsi',
    label: 'filename (property bsi:component:filename)',
    requirement: `${BSI} §5.2.2 "Filename" (required)`,
    component: (c) => has.propertyValue(c, 'bsi:component:filename') !== undefined,
  },
  {
    id: 'bsi.dependencies',
    framework: 'bsi',
    label: 'dependencies enumerated (own dependencies[] entry)',
    requirement: `${BSI} §5.2.2 "Dependencies" (required)`,
    component: (c, x) => x.withDependencyEntry.has(has.refOf(c)),
  },
  {
    id: 'bsi.distributionLicence',
    framework: 'bsi',
    label: 'distribution licence: SPDX id or expression acknowledged "concluded" (CycloneDX 1.6)',
    requirement: `${BSI} §5.2.2 "Distribution licences" (required)`,
    component: (c) => has.hasAcknowledgedSpdxLicence(c, 'concluded'),
  },
  {
    id: 'bsi.originalLicence',
    framework: 'bsi',
    label: 'original licence: SPDX id or expression acknowledged "declared" (CycloneDX 1.6)',
    requirement: `${BSI} §5.2.2 "Original licences" (required)`,
    component: (c) => has.hasAcknowledgedSpdxLicence(c, 'declared'),
  },
  {
    id: 'bsi.hash',
    framework: 'bsi',
    label: 'SHA-512 of the deployable component (component or distribution reference)',
    requirement: `${BSI} §5.2.2 "Hash value of the deployable component" (required)`,
    component: deployable,
  },
  {
    id: 'bsi.executable',
    framework: 'bsi',
    label: 'executable property (property bsi:component:executable)',
    requirement: `${BSI} §5.2.2 "Executable property" (required)`,
    component: (c) => has.propertyValue(c, 'bsi:component:executable') !== undefined,
  },
  {
    id: 'bsi.archive',
    framework: 'bsi',
    label: 'archive property (property bsi:component:archive)',
    requirement: `${BSI} §5.2.2 "Archive property" (required)`,
    component: (c) => has.propertyValue(c, 'bsi:component:archive') !== undefined,
  },
  {
    id: 'bsi.structured',
    framework: 'bsi',
    label: 'structured property (property bsi:component:structured)',
    requirement: `${BSI} §5.2.2 "Structured property" (required)`,
    component: (c) => has.propertyValue(c, 'bsi:component:structured') !== undefined,
  },
  {
    id: 'bsi.sourceUri',
    framework: 'bsi',
    label: 'source code URI (external reference source-distribution or vcs)',
    requirement: `${BSI} §5.2.2 "Source code URI" (required)`,
    component: (c) => has.externalReferences(c, ['source-distribution', 'vcs']).length > 0,
  },
  {
    id: 'bsi.deployableUri',
    framework: 'bsi',
    label: 'URI of the deployable form (external reference distribution)',
    requirement: `${BSI} §5.2.2 "URI of the deployable form of the component" (required)`,
    component: (c) => has.externalReferences(c, ['distribution', 'distribution-intake']).length > 0,
  },
  {
    id: 'bsi.identifiers',
    framework: 'bsi',
    label: 'other unique identifiers (purl, CPE or SWID)',
    requirement: `${BSI} §5.2.2 "Other unique identifiers" (required)`,
    component: has.hasUniqueIdentifier,
  },
];
