/**
 * The text of each pipeline step's log, line by line, as the Woodpecker agent
 * records it: commands are traced with "+ ", and each line carries the whole
 * seconds elapsed since the step started.
 */
import { BASE_IMAGE, imageRef, imageRepo, PROJECT, REGISTRY, TAG } from './estate.ts';
import { verifyHeader } from './cosign.ts';
import type { ImageManifest } from './manifest.ts';
import { prng } from './prng.ts';
import { isoSeconds } from './timeline.ts';

export interface LogLine {
  time: number;
  text: string;
}

/** Weighted lines: a line's weight is its share of the step's time, spent before the line appears. */
export type Weighted = [number, string];

const COSIGN_PUB = 'helm/akko/charts/akko-cockpit/files/cosign.pub';
const CLONE_DIR = '/woodpecker/src/git.akko-ai.com/akko/akko';

/** Spreads weighted lines over a step of `duration` seconds. */
export function timed(lines: Weighted[], duration: number): LogLine[] {
  const total = lines.reduce((sum, [w]) => sum + w, 0) || 1;
  let elapsed = 0;
  return lines.map(([weight, text]) => {
    elapsed += weight;
    return { time: Math.min(Math.floor((elapsed / total) * duration), Math.max(duration - 1, 0)), text };
  });
}

/** Replaces "{ts}" in a line by the wall-clock time it was written (tools like trivy print it). */
export function stamped(lines: LogLine[], stepStart: number): LogLine[] {
  return lines.map((l) => ({ time: l.time, text: l.text.replace('{ts}', isoSeconds(stepStart + l.time)) }));
}

export function cloneLog(commit: string): Weighted[] {
  return [
    [0, '+ git init --object-format sha1 -b main'],
    [1, `Initialized empty Git repository in ${CLONE_DIR}/.git/`],
    [0, `+ git config --global --replace-all safe.directory ${CLONE_DIR}`],
    [0, '+ git remote add origin https://git.akko-ai.com/akko/akko.git'],
    [0, `+ git fetch --no-tags --depth=1 --filter=tree:0 origin +${commit}:`],
    [4, 'From https://git.akko-ai.com/akko/akko'],
    [0, ` * branch            ${commit} -> FETCH_HEAD`],
    [1, `+ git reset --hard -q ${commit}`],
    [2, '+ git submodule update --init --recursive --depth=1 --recommend-shallow'],
  ];
}

/** The hard gate: `cosign verify` of the base image, stderr header then stdout. */
export function verifyBaseLog(verifyJsonLine: string): Weighted[] {
  const [first = '', ...rest] = verifyHeader(BASE_IMAGE);
  return [
    [0, `+ cosign verify --key ${COSIGN_PUB} ${BASE_IMAGE}`],
    [8, first],
    ...rest.map((line): Weighted => [0, line]),
    [0, ''],
    [0, verifyJsonLine],
  ];
}

/** `docker build` then `docker push`; RUN durations add up to most of the step. */
export function buildPushLog(name: string, manifest: ImageManifest, duration: number, tag: string = TAG): Weighted[] {
  const r = prng(`build-log:${name}`);
  const ref = imageRef(name, tag);
  const own = manifest.layers.slice(2);
  const shares = own.map((l) => 1 + l.size / 10_000_000);
  const buildTime = duration * 0.82;
  const secs = shares.map((w) => Math.max(0.1, (w / shares.reduce((a, b) => a + b, 0)) * buildTime));
  const lines: Weighted[] = [
    [0, `+ docker build --pull --build-arg BASE_IMAGE=${BASE_IMAGE} -t ${ref} -f images/${name}/Dockerfile .`],
    [0.5, '#0 building with "default" instance using docker driver'],
    [0, ''],
    [0, '#1 [internal] load build definition from Dockerfile'],
    [0, `#1 transferring dockerfile: ${(r.int(6, 30) / 10).toFixed(1)}kB done`],
    [0, '#1 DONE 0.0s'],
    [0, ''],
    [0, `#2 [internal] load metadata for ${BASE_IMAGE}`],
    [0.7, `#2 DONE 0.7s`],
  ];
  own.forEach((_, i) => {
    const n = i + 3;
    const step = i === 0 ? `COPY images/${name}/ /tmp/build/` : `RUN /tmp/build/step-${i + 1}.sh`;
    const t = secs[i] ?? 1;
    lines.push([0, ''], [0, `#${n} [${i + 2}/${own.length + 1}] ${step}`], [t, `#${n} DONE ${t.toFixed(1)}s`]);
  });
  const n = own.length + 3;
  const exportSecs = duration * 0.05;
  lines.push(
    [0, ''],
    [0, `#${n} exporting to image`],
    [exportSecs, `#${n} exporting layers ${exportSecs.toFixed(1)}s done`],
    [0.3, `#${n} writing image ${manifest.config.digest} done`],
    [0, `#${n} naming to ${ref} done`],
    [0, `#${n} DONE ${(exportSecs + 0.3).toFixed(1)}s`],
    [0, `+ docker push ${ref}`],
    [1, `The push refers to repository [${imageRepo(name)}]`],
  );
  const newestFirst = [...manifest.layers].reverse();
  for (const layer of newestFirst) lines.push([0, `${layer.digest.slice(7, 19)}: Preparing`]);
  for (const layer of newestFirst) {
    const id = layer.digest.slice(7, 19);
    const fromBase = manifest.layers.indexOf(layer) < 2;
    lines.push(fromBase ? [0.2, `${id}: Mounted from ${PROJECT}/base`] : [layer.size / 25_000_000, `${id}: Pushed`]);
  }
  lines.push(
    [1, `${tag}: digest: ${manifest.digest} size: ${manifest.bytes.length}`],
    [0, `+ ./ci/record-digest.sh ${ref}`],
    [0.5, `Pushed ${imageRepo(name)}@${manifest.digest}`],
  );
  return lines;
}

/** A short trivy summary; "{ts}" becomes the wall-clock time (see `stamped`). */
export function trivyLog(name: string, debCount: number, langFiles: { kind: string; label: string }[], tag: string = TAG): Weighted[] {
  const r = prng(`trivy:${name}`);
  const ref = imageRef(name, tag);
  const highOs = r.int(0, 4);
  const lines: Weighted[] = [
    [0, `+ trivy image --exit-code 0 --severity HIGH,CRITICAL --no-progress --scanners vuln ${ref}`],
    [1, '{ts}\tINFO\t[vulndb] Need to update DB'],
    [0, '{ts}\tINFO\t[vulndb] Downloading vulnerability DB...'],
    [0, `{ts}\tINFO\t[vulndb] Downloading artifact...\trepo="${REGISTRY}/mirror/aquasec/trivy-db:2"`],
    [9, '{ts}\tINFO\t[vulndb] Artifact successfully downloaded\trepo="' + REGISTRY + '/mirror/aquasec/trivy-db:2"'],
    [0, '{ts}\tINFO\t[vuln] Vulnerability scanning is enabled'],
    [12, '{ts}\tINFO\tDetected OS\tfamily="debian" version="12.10"'],
    [0, `{ts}\tINFO\t[debian] Detecting vulnerabilities...\tos_version="12" pkg_num=${debCount}`],
    [1, `{ts}\tINFO\tNumber of language-specific files\tnum=${langFiles.length}`],
    ...langFiles.map((f): Weighted => [1, `{ts}\tINFO\t[${f.kind}] Detecting vulnerabilities...`]),
    [1, ''],
    [0, `${ref} (debian 12.10)`],
    [0, '='.repeat(ref.length + 15)],
    [0, `Total: ${highOs} (HIGH: ${highOs}, CRITICAL: 0)`],
  ];
  for (const f of langFiles) {
    const high = r.int(0, 3);
    lines.push([0, ''], [0, `${f.label} (${f.kind})`], [0, '='.repeat(f.label.length + f.kind.length + 3)], [0, `Total: ${high} (HIGH: ${high}, CRITICAL: 0)`]);
  }
  return lines;
}

const cosignFlags = '--yes --key env://COSIGN_PRIVATE_KEY';

function digestLookup(name: string, digest: string, tag: string = TAG): Weighted[] {
  return [
    [0, `+ crane digest ${imageRef(name, tag)}`],
    [1, digest],
  ];
}

/** `cosign sign`; for the notebook-full fault, the registry refuses the .sig manifest and the script warns and exits 0. */
export function signLog(name: string, digest: string, logIndex: number, failed: boolean, tag: string = TAG): Weighted[] {
  const target = `${imageRepo(name)}@${digest}`;
  const lines: Weighted[] = [
    [0, `+ ./ci/sign-image.sh ${name}`],
    ...digestLookup(name, digest, tag),
    [0, `+ cosign sign ${cosignFlags} ${target}`],
    [2, `tlog entry created with index: ${logIndex}`],
    [0, `Pushing signature to: ${imageRepo(name)}`],
  ];
  // The push of the .sig manifest takes the rest of the step.
  if (!failed) return [...lines.slice(0, -1), [4, `Pushing signature to: ${imageRepo(name)}`]];
  const sigTag = `${digest.replace(':', '-')}.sig`;
  const error = `signing [${target}]: PUT https://${REGISTRY}/v2/${PROJECT}/${name}/manifests/${sigTag}: unexpected status code 503 Service Unavailable`;
  const warn = `WARN: cosign sign failed for ${target}; continuing (best-effort, see ADR-032)`;
  return [...lines, [4, `Error: ${error}`], [0, `error during command execution: ${error}`], [0, `+ echo '${warn}'`], [0, warn], [0, '+ exit 0']];
}

export function attestLog(name: string, digest: string, componentCount: number, logIndex: number, tag: string = TAG): Weighted[] {
  const target = `${imageRepo(name)}@${digest}`;
  const sbom = `sbom-${name}.cdx.json`;
  return [
    [0, `+ ./ci/attest-sbom.sh ${name}`],
    ...digestLookup(name, digest, tag),
    [0, `+ syft scan --quiet --output cyclonedx-json@1.5=${sbom} registry:${target}`],
    [14, `+ jq '.components | length' ${sbom}`],
    [0, String(componentCount)],
    [0, `+ cosign attest ${cosignFlags} --type cyclonedx --predicate ${sbom} ${target}`],
    [1, `Using payload from: ${sbom}`],
    [2, `tlog entry created with index: ${logIndex}`],
    [0, `+ tar -rf akko-sboms-${tag}.tar ${sbom}`],
  ];
}

/**
 * Fault 2: a cache check decides the SBOM is unchanged and, instead of
 * attesting the new build, copies last build's `.att` image (its envelope and
 * its March Rekor entry) onto the new digest's attestation tag.
 */
export function staleAttestLog(name: string, digest: string, previousDigest: string, previousSbomTime: number): Weighted[] {
  const sbom = `sbom-${name}.cdx.json`;
  const tag = (d: string) => `${imageRepo(name)}:${d.replace(':', '-')}.att`;
  return [
    [0, `+ ./ci/attest-sbom.sh ${name}`],
    ...digestLookup(name, digest),
    [0, `+ ./ci/sbom-cache.sh ${name}`],
    [2, `sbom-cache: cached ${sbom} from ${isoSeconds(previousSbomTime)} matches go.sum`],
    [0, 'SBOM unchanged since previous build; skipping attestation'],
    [0, `+ crane copy ${tag(previousDigest)} ${tag(digest)}`],
    [2, `+ tar -rf akko-sboms-${TAG}.tar ${sbom}`],
  ];
}
