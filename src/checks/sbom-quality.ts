import { measureCoverage, percent, ratio } from '../sbom/quality.js';
import { defineCheck } from './types.js';
import { noBoundSbom } from './missing.js';

export const sbomQuality = defineCheck({
  id: 'sbom.quality',
  title: 'SBOM components carry licences and package URLs',
  description:
    'In the SBOM of a verified attestation bound to the digest in scope, the share of components with a licence and with a package URL (purl) meets the thresholds in the configuration.',
  run({ analysis, sbomPolicy }) {
    const sbom = analysis.attestedSbom();
    if (!sbom) return noBoundSbom(analysis);
    const c = measureCoverage(sbom.document);
    const details = {
      components: String(c.components),
      'with licence': `${c.withLicence} (${percent(c.withLicence, c.components)})`,
      'with purl': `${c.withPurl} (${percent(c.withPurl, c.components)})`,
      thresholds: `licence ≥ ${sbomPolicy.minLicenceCoverage * 100} %, purl ≥ ${sbomPolicy.minPurlCoverage * 100} %`,
    };
    const gaps: string[] = [];
    const lacking: string[] = [];
    if (c.components === 0) gaps.push('the SBOM lists no components');
    if (ratio(c.withLicence, c.components) < sbomPolicy.minLicenceCoverage) {
      lacking.push('licences');
      gaps.push(`${c.components - c.withLicence} of ${c.components} components lack a licence`);
    }
    if (ratio(c.withPurl, c.components) < sbomPolicy.minPurlCoverage) {
      lacking.push('purls');
      gaps.push(`${c.components - c.withPurl} of ${c.components} components lack a purl`);
    }
    if (gaps.length === 0) {
      return {
        status: 'pass',
        message: `licences on ${percent(c.withLicence, c.components)} and purls on ${percent(c.withPurl, c.components)} of ${c.components} components`,
        details,
        evidence: [sbom.evidence],
      };
    }
    return {
      status: 'fail',
      code: 'SBOM_LOW_QUALITY',
      message: `SBOM lacks ${lacking.join(' and ') || 'components'}: ${gaps.join('; ')}`,
      details,
      evidence: [sbom.evidence],
    };
  },
});
