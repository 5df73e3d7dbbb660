/**
 * The part of the NIST OSCAL 1.0.6 assessment-results model auditpack writes.
 * Field names are OSCAL's (kebab-case JSON). A contract test validates the
 * export against NIST's JSON Schema; these types only keep the builder honest.
 */

export const OSCAL_VERSION = '1.0.6';

/** Namespace of auditpack's own props, so they never clash with OSCAL's core names. */
export const AUDITPACK_NS = 'https://auditpack.dev/ns/oscal';

export interface Prop {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

export interface Hash {
  algorithm: 'SHA-256';
  value: string;
}

export interface Resource {
  uuid: string;
  title: string;
  description?: string;
  props?: Prop[];
  rlinks?: { href: string; 'media-type'?: string; hashes?: Hash[] }[];
}

export interface Component {
  uuid: string;
  type: string;
  title: string;
  description: string;
  props?: Prop[];
  status: { state: 'operational' | 'under-development' | 'disposition' | 'other' };
}

export interface SubjectReference {
  'subject-uuid': string;
  type: 'component' | 'inventory-item' | 'location' | 'party' | 'user' | 'resource';
  title?: string;
}

export interface Origin {
  actors: { type: 'tool' | 'assessment-platform' | 'party'; 'actor-uuid': string }[];
}

export interface Observation {
  uuid: string;
  title?: string;
  description: string;
  props?: Prop[];
  methods: ('EXAMINE' | 'INTERVIEW' | 'TEST' | 'UNKNOWN')[];
  types?: string[];
  origins?: Origin[];
  subjects?: SubjectReference[];
  'relevant-evidence'?: { href?: string; description: string; props?: Prop[] }[];
  collected: string;
  remarks?: string;
}

export interface Finding {
  uuid: string;
  title: string;
  description: string;
  props?: Prop[];
  origins?: Origin[];
  target: {
    type: 'objective-id' | 'statement-id';
    'target-id': string;
    title?: string;
    description?: string;
    status: { state: 'satisfied' | 'not-satisfied'; reason?: 'pass' | 'fail' | 'other' };
  };
  'related-observations'?: { 'observation-uuid': string }[];
  remarks?: string;
}

export interface LocalObjective {
  'control-id': string;
  description?: string;
  props?: Prop[];
  parts: { name: string; title?: string; prose?: string }[];
}

export interface AssessmentAssets {
  components?: Component[];
  'assessment-platforms': { uuid: string; title?: string; props?: Prop[]; 'uses-components'?: { 'component-uuid': string }[] }[];
}

export interface ControlSelection {
  description?: string;
  props?: Prop[];
  'include-controls'?: { 'control-id': string }[];
}

export interface Result {
  uuid: string;
  title: string;
  description: string;
  start: string;
  end?: string;
  props?: Prop[];
  'local-definitions'?: { components?: Component[]; 'assessment-assets'?: AssessmentAssets };
  'reviewed-controls': { description?: string; 'control-selections': ControlSelection[] };
  observations?: Observation[];
  findings?: Finding[];
  remarks?: string;
}

export interface AssessmentResults {
  uuid: string;
  metadata: {
    title: string;
    'last-modified': string;
    version: string;
    'oscal-version': typeof OSCAL_VERSION;
    props?: Prop[];
    parties?: { uuid: string; type: 'organization' | 'person'; name?: string }[];
    remarks?: string;
  };
  'import-ap': { href: string; remarks?: string };
  'local-definitions'?: {
    'objectives-and-methods'?: LocalObjective[];
    activities?: never[];
  };
  results: Result[];
  'back-matter'?: { resources: Resource[] };
}

/** OSCAL strings (props, hashes) must be one non-empty line without edge whitespace. */
export function oneLine(text: string, fallback = 'none'): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line === '' ? fallback : line;
}

/** One of auditpack's own props. */
export function prop(name: string, value: string, propClass?: string): Prop {
  return { name, ns: AUDITPACK_NS, value: oneLine(value), ...(propClass === undefined ? {} : { class: propClass }) };
}
