/**
 * When things happened, in Unix seconds (UTC). One release pipeline per image
 * on 14–15 April 2026, about two hours apart, each running 06-trivy then
 * 10-image-sign. Durations are drawn from a seeded generator.
 */
import { prng } from './prng.ts';
import type { ImageSpec } from './estate.ts';

export interface Span {
  start: number;
  end: number;
}

export interface Timeline {
  commitTime: number;
  created: number;
  trivy: { workflow: Span; clone: Span; verifyBase: Span; buildPush: Span; trivy: Span };
  signing: { workflow: Span; clone: Span; sign: Span; attest: Span };
  /** Rekor integratedTime of the image signature (a few seconds into the sign step). */
  signIntegrated: number;
  /** syft's metadata.timestamp: when the SBOM was made, during the attest step. */
  sbomTime: number;
  attestIntegrated: number;
}

export const utc = (iso: string): number => Date.parse(iso) / 1000;
export const isoSeconds = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** The base image was built and signed before the release train. */
export const BASE_SIGNED = utc('2026-04-02T09:12:41Z');
/** mcp-openmetadata's previous build, whose attestation was re-used in April (fault 2). */
export const PREVIOUS_OPENMETADATA_BUILD = utc('2026-03-18T09:41:06Z');
export const PREVIOUS_OPENMETADATA_SBOM = utc('2026-03-18T09:44:27Z');
export const PREVIOUS_OPENMETADATA_ATTESTED = utc('2026-03-18T09:44:31Z');

/** The April 2026 release train's first pipeline. */
export const FIRST_PIPELINE = utc('2026-04-14T07:30:00Z');
const SPACING = 2 * 3600 + 17 * 60;

export function timelineFor(spec: ImageSpec, index: number, componentCount: number, firstPipeline: number = FIRST_PIPELINE): Timeline {
  const r = prng(`timeline:${spec.name}`);
  const span = (after: number, gapMin: number, gapMax: number, minDur: number, maxDur: number): Span => {
    const start = after + r.int(gapMin, gapMax);
    return { start, end: start + r.int(minDur, maxDur) };
  };
  const created = firstPipeline + index * SPACING + r.int(0, 240);
  const commitTime = created - r.int(20, 600);
  // Bigger images take longer to build and to scan.
  const weight = Math.min(componentCount / 3000, 1);
  const clone = span(created, 2, 6, 3, 11);
  const verifyBase = span(clone.end, 1, 2, 3, 6);
  const buildPush = span(verifyBase.end, 1, 2, 150 + Math.round(weight * 1100), 260 + Math.round(weight * 1300));
  const trivy = span(buildPush.end, 1, 2, 30 + Math.round(weight * 60), 70 + Math.round(weight * 90));
  const trivyWorkflow = { start: clone.start - 1, end: trivy.end + 1 };
  const sClone = span(trivyWorkflow.end, 3, 9, 3, 9);
  const sign = span(sClone.end, 1, 2, 6, 14);
  const attest = span(sign.end, 1, 2, 25 + Math.round(weight * 80), 45 + Math.round(weight * 120));
  const sbomTime = attest.start + Math.round((attest.end - attest.start) * 0.7);
  return {
    commitTime,
    created,
    trivy: { workflow: trivyWorkflow, clone, verifyBase, buildPush, trivy },
    signing: { workflow: { start: sClone.start - 1, end: attest.end + 1 }, clone: sClone, sign, attest },
    signIntegrated: sign.start + r.int(3, 5),
    sbomTime,
    attestIntegrated: Math.min(sbomTime + r.int(3, 6), attest.end - 1),
  };
}
