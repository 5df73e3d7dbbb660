/**
 * The estate's governance files: the waivers an approver granted and a
 * manual-evidence document (a change-management policy), so the sample report
 * shows waived failures, an expired waiver and manual evidence beside the
 * verified evidence. Fixed text: deterministic.
 */

export const WAIVERS_YAML = `# Waivers for the AKKO sample estate (demo). A waiver keeps a failure visible as
# "waived" until it expires; it never turns a failure into a pass.
waivers:
  - id: WVR-2026-007
    scope: { image: docs, check: sbom.quality }
    justification: >-
      The docs image is a static site; its SBOM generator does not resolve
      licences of vendored JavaScript. A fix to the syft configuration is planned.
    approver: Claire Martin (CISO, demo)
    ticket: SEC-1184
    start: "2026-04-15"
    expires: "2026-09-30"
  - id: WVR-2026-002
    scope: { image: notebook-full, check: signature.verified }
    justification: Re-signing after the registry outage of April was promised before the end of May.
    approver: Claire Martin (CISO, demo)
    ticket: SEC-1102
    start: "2026-04-20"
    expires: "2026-05-31"
`;

export const CHANGE_POLICY_MD = `# AKKO change-management policy (DEMO document)

Version 3.1, approved by the management board on 2026-05-12.

1. Every change to a production image goes through a merge request reviewed by
   a second engineer and built by the Woodpecker pipeline on the main branch.
2. Images are signed with the platform's cosign key before release; an image
   without a valid signature must not be deployed.
3. Emergency changes are reviewed after the fact within five working days.

This file is demo data for the auditpack sample estate.
`;

export const CLAIMS_AND_MANUAL_YAML = `
# Citations the platform's own documentation makes (its operator page says the
# signature + SBOM + pipeline log "satisfies" these). The report checks each
# against what the clause really is.
claims:
  - citation: DORA Article 6
    meaning: ICT supply-chain integrity
    madeIn: AKKO operator documentation, "Image signing and SBOMs"
  - citation: NIS2 Annex II
    meaning: SBOM for essential entities
    madeIn: AKKO operator documentation, "Image signing and SBOMs"
  - citation: HDS Section 6.7
    meaning: provenance verification
    madeIn: AKKO operator documentation, "Image signing and SBOMs"

# Exceptions approved by a person, each with an expiry.
waivers: waivers.yaml

# Statements a person gives for what automation cannot show; recorded with who
# and when, shown apart from verified evidence, never verified by auditpack.
manualEvidence:
  - id: change-policy-v3.1
    controls: [dora/dora-art-9-4-e]
    statement: The change-management policy v3.1 requires review and a pipeline build for every production change.
    givenBy: Claire Martin (CISO, demo)
    givenAt: "2026-05-12"
    document: manual/DEMO-change-management-policy.md
    reference: Board minutes 2026-05-12, item 4
`;
