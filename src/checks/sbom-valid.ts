import { validateCycloneDx } from '../sbom/validate.js';
import { defineCheck } from './types.js';
import { noBoundSbom } from './missing.js';

export const sbomValid = defineCheck({
  id: 'sbom.valid',
  title: 'Attested SBOM is valid CycloneDX',
  description:
    'The SBOM inside a verified attestation bound to the digest in scope is CycloneDX, validates against the JSON schema of its own spec version (as bundled with @cyclonedx/cyclonedx-library), and its bom-refs, dependency refs, purls and SPDX licence expressions are sound.',
  async run({ analysis }) {
    const sbom = analysis.attestedSbom();
    if (!sbom) {
      return analysis.attestations().length === 0 && analysis.unreadableFiles().length > 0
        ? {
            status: 'error',
            code: 'EVIDENCE_MALFORMED',
            message: `no readable SBOM attestation; ${analysis
              .unreadableFiles()
              .map((p) => `${p.file}: ${p.reason}`)
              .join('; ')}`,
          }
        : noBoundSbom(analysis);
    }
    const result = await validateCycloneDx(sbom.document);
    switch (result.status) {
      case 'valid':
        return {
          status: 'pass',
          message: `CycloneDX ${result.specVersion} SBOM is schema-valid (${result.components} top-level components)`,
          details: { 'spec version': result.specVersion, components: String(result.components) },
          evidence: [sbom.evidence],
        };
      case 'invalid':
        return {
          status: 'fail',
          code: 'SBOM_INVALID',
          message: `SBOM is not valid CycloneDX ${result.specVersion}: ${result.errors.join('; ')}`,
          evidence: [sbom.evidence],
        };
      case 'could-not-validate':
        return { status: 'error', code: 'SBOM_INVALID', message: `SBOM could not be validated: ${result.reason}`, evidence: [sbom.evidence] };
    }
  },
});
