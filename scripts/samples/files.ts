/**
 * The estate's text files: auditpack.yaml, the Sigstore trusted root for the
 * demo Rekor, and the README that explains the estate and its faults.
 */
import { createHash } from 'node:crypto';
import { BUILDER_ID, imageRef } from './estate.ts';
import { CLAIMS_AND_MANUAL_YAML } from './governance.ts';

export const TRUST_VALID_FROM = '2026-01-01T00:00:00Z';
export const REKOR_URL = 'https://rekor.demo.akko-ai.invalid';
/** The forge repository the estate is built from (Woodpecker repo.json forge_url) and Woodpecker's id for it. */
export const FORGE_REPOSITORY = 'https://git.akko-ai.com/akko/akko';

/** A trusted_root.json whose only transparency log is the demo Rekor (pretty-printed like Sigstore's). */
export function trustedRootJson(rekorSpkiDer: Buffer): string {
  const root = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: REKOR_URL,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: rekorSpkiDer.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: TRUST_VALID_FROM } },
        logId: { keyId: createHash('sha256').update(rekorSpkiDer).digest('base64') },
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  return `${JSON.stringify(root, null, 2)}\n`;
}

export function configYaml(images: { name: string; digest: string }[], release: { tag?: string; period?: string } = {}): string {
  const imageLines = images.flatMap(({ name, digest }) => [`  - name: ${name}`, `    ref: ${imageRef(name, release.tag)}`, `    digest: ${digest}`]);
  return `# auditpack configuration for the AKKO sample estate (demo data, demo-only keys)
# Regenerate with \`npm run samples\`. All paths are relative to this file.

# Who the report is for; printed on the cover and in every output.
organisation: AKKO (sample estate)
# The reporting period: a calendar quarter. Evidence dated after it is flagged.
period: ${release.period ?? '2026-Q2'}
# Time zone in which the quarter's start and end are measured.
zone: UTC

# The population in scope: every image running in production, by the exact
# digest that runs (the tag alone proves nothing; it can move).
images:
${imageLines.join('\n')}

trust:
  # Public keys whose signatures count, each valid from a date.
  keys:
    - id: akko-cosign-2026
      path: keys/cosign.pub
      validFrom: "${TRUST_VALID_FROM}"
  # Sigstore trusted root naming the transparency log (Rekor) whose signed
  # entry timestamps are accepted. Here: the demo log only. Every signature
  # and attestation needs a verified signing time from it (the default,
  # requireTransparencyLog: true), which is also what the key's validFrom is
  # checked against.
  trustedRoot: keys/DEMO-ONLY-trusted_root.json

evidence:
  # One folder per image; {image} is replaced by the image name.
  images: evidence/{image}
  # Woodpecker CI API exports: repo.json, pipelines/<number>.json, logs/<number>/<step_id>.json.
  # They are unsigned: a run counts as a build only if it belongs to this
  # repository, is a push or tag run on a release branch, and a successful
  # step of it pushed the digest.
  woodpecker: woodpecker
  repository:
    url: ${FORGE_REPOSITORY}
    id: 7
  events: [push, tag]
  branches: [main]
  # Evidence made before the period counts for an image that runs unchanged,
  # up to this age at the period's end (ISO 8601 duration; older is flagged).
  maxAge: P1Y

# Signed SLSA build provenance: what it must name to count as an image's
# custody record. Four images attest it (cosign attest --type slsaprovenance1);
# required: false, so the others are judged on the unsigned CI exports instead.
provenance:
  builders: [${BUILDER_ID}]
  sourceRepositories: [${FORGE_REPOSITORY}]
  required: false

# Control frameworks the findings are mapped to.
frameworks: [dora, nis2, hds]
${CLAIMS_AND_MANUAL_YAML}
sbom:
  # Share of SBOM components that must name a licence for the SBOM to pass.
  minLicenceCoverage: 0.8
  # Share of SBOM components that must carry a package URL (purl).
  minPurlCoverage: 0.8

# Report formats to write.
outputs: [json, html, pdf]

seal:
  # Private key that signs the report bundle (DEMO ONLY: never use it for real reports).
  key: keys/DEMO-ONLY-report-signing.key
  # Self-signed certificate and RSA key that sign report.pdf (DEMO ONLY). Readers
  # show the signature as valid and its signer as not trusted.
  pdfCertificate: keys/DEMO-ONLY-pdf-signing.crt
  pdfKey: keys/DEMO-ONLY-pdf-signing.key
`;
}

export function readme(facts: { imageCount: number; pipelines: string; largest: string }): string {
  return `# AKKO sample estate (demo data)

A complete, self-consistent set of supply-chain evidence for
**${facts.imageCount} container images** of a fictitious data platform, AKKO, modelled on
a real operator page. Every image \`harbor.akko-ai.com/akko/<name>:2026.04\` is signed
with cosign (ECDSA P-256 key pair), carries a CycloneDX 1.5 SBOM made by syft as an
in-toto attestation, and is built by Woodpecker CI. Reporting period: **2026-Q2 (UTC)**.

Run auditpack on it with \`auditpack.yaml\` in this folder.

## What is here

| path | what it is |
|---|---|
| \`auditpack.yaml\` | the configuration: the 16 images and the digests running in production, trust, evidence folders |
| \`keys/cosign.pub\` | the trusted cosign public key |
| \`keys/DEMO-ONLY-*\` | demo private keys and the demo Sigstore trusted root (see below) |
| \`keys/report-signing.pub\` | public half of the report-sealing key |
| \`evidence/<image>/manifest.json\` | the image's OCI manifest; the image digest is the sha256 of this file's bytes |
| \`evidence/<image>/cosign-verify.json\` | stdout of \`cosign verify --key cosign.pub <ref>\` |
| \`evidence/<image>/signature.jsonl\` | stdout of \`cosign download signature <ref>\` (with its Rekor bundle) |
| \`evidence/trino/signature-manifest.json\`, \`signature-payload.json\` | for trino instead: \`crane manifest <repo>:sha256-<hex>.sig\` and \`crane blob\` of its layer (the signed payload) |
| \`evidence/<image>/attestation.jsonl\` | stdout of \`cosign download attestation <ref>\` (DSSE envelope, SBOM inside; for cockpit, ai-service, airflow and trino a second envelope: SLSA v1 build provenance) |
| \`evidence/<image>/attestation-manifest.json\` | \`crane manifest <repo>:sha256-<hex>.att\`: one layer per envelope, each with the Rekor entry of its attestation |
| \`woodpecker/repo.json\` | \`GET /api/repos/lookup/akko/akko\` |
| \`woodpecker/pipelines/<n>.json\` | \`GET /api/repos/7/pipelines/<n>\`, pipelines ${facts.pipelines}, one per image |
| \`woodpecker/logs/<n>/<step_id>.json\` | \`GET /api/repos/7/logs/<n>/<step_id>\` for every step |

Each pipeline runs \`06-trivy\` (clone, a \`cosign verify\` hard gate on the base image
\`harbor.akko-ai.com/akko/base:2026.04\`, build and push, trivy scan) and then
\`10-image-sign\` (clone, \`cosign sign\`, \`syft\` + \`cosign attest --type cyclonedx\`).
The signing workflow is best-effort: on failure it prints a \`WARN:\` line and exits 0.

Four images (cockpit, ai-service, airflow, trino) also attest **SLSA v1 build
provenance** (\`cosign attest --type slsaprovenance1\`, same key, same log): the
builder \`${BUILDER_ID}\`, the repository and commit the pipeline cloned, the run.
For them the signed provenance is the custody record; the other twelve rest on the
unsigned Woodpecker exports (\`provenance.required: false\` in the configuration).

## The three faults

Thirteen images are in order. Three are not, as things go wrong in real estates:

1. **notebook-full: no signature, green pipeline.** The \`sign\` step of \`10-image-sign\`
   shows success (exit code 0), but its log shows that the registry refused the signature
   (\`PUT …/manifests/sha256-….sig: unexpected status code 503 Service Unavailable\`)
   followed by \`WARN: cosign sign failed …; continuing (best-effort, see ADR-032)\`.
   The transparency-log entry was created, the signature was never stored: there is no
   \`signature.jsonl\` and no \`cosign-verify.json\` for this image. Its attestation is valid.
2. **mcp-openmetadata: attestation for the wrong build.** The attestation is validly
   signed with the trusted key and logged (in March 2026), but its in-toto subject is the
   digest of the **previous** build, and the SBOM inside is dated March 2026, outside the
   period. The \`attest\` step log shows why: a cache decided the SBOM was unchanged,
   skipped the attestation and copied last build's \`.att\` image onto the new digest.
   The image signature itself is fine.
3. **docs: SBOM too thin to use.** The SBOM is valid CycloneDX 1.5, but about 80 % of
   its components have neither a licence nor a package URL (purl).

The largest SBOM is ${facts.largest}.

## DEMO-ONLY keys

Every private key in \`keys/\` is **published demo material derived from fixed seeds**.
Anyone can sign anything with them. Never trust them, never use them for anything real,
never copy them into a real deployment:

- \`keys/DEMO-ONLY-cosign.key\`: the cosign signing key (PKCS#8, unencrypted), whose public
  half is \`keys/cosign.pub\`;
- \`keys/DEMO-ONLY-rekor.key\`: the key of a fictitious transparency log
  (\`${REKOR_URL}\`) that "logged" the signatures; it signs their signed entry timestamps;
- \`keys/DEMO-ONLY-trusted_root.json\`: a Sigstore trusted root whose only log is that demo
  log (no Fulcio, no CT log, no timestamp authority);
- \`keys/DEMO-ONLY-report-signing.key\`: the Ed25519 key auditpack seals the demo report with.

## Regenerate

\`\`\`sh
npm run samples
\`\`\`

\`scripts/generate-samples.ts\` rebuilds this folder from scratch. It uses no clock and no
randomness: keys come from fixed seeds, ECDSA signatures are deterministic (RFC 6979) and
every other choice comes from a seeded generator, so two runs write byte-identical files.
It validates every SBOM against the CycloneDX 1.5 schema and verifies every signature
before it finishes.

Package names and versions in the SBOMs are real (Debian 12, PyPI, npm, Maven, Go
modules). Licences are real for well-known packages and plausible, not researched, for
the long tail; versions reflect the public registries when the catalog was taken, not
April 2026 exactly. Digests, sizes, dates and log contents are invented.
`;
}
