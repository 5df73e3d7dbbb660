/**
 * Appendix: how an auditor checks, independently of whoever handed over the
 * bundle, that this report and its evidence are the sealed ones; and what
 * produced the report (generator, libraries, report format, configuration).
 */
import type { Block, Section } from './blocks.js';
import type { Context } from './context.js';
import { compareText } from './anchors.js';
import { entityType } from './words.js';

const PREDICATE = 'https://auditpack.dev/attestation/bundle-seal/v1';

export function verifySection(ctx: Context): Section {
  const { i18n, report } = ctx;
  const seal = report.seal;
  const blocks: Block[] = [
    { type: 'paragraph', content: i18n.t('verify.bundle') },
    { type: 'heading', level: 3, text: i18n.t('verify.sealKey') },
    seal === undefined
      ? { type: 'paragraph', style: 'bad', content: i18n.t('verify.notSealed') }
      : { type: 'paragraph', content: [i18n.t('verify.sealed', { algorithm: seal.algorithm }), ' ', { text: seal.keyFingerprint, mono: true }] },
    ...(seal === undefined
      ? []
      : [
          {
            type: 'paragraph' as const,
            style: 'small' as const,
            content:
              seal.timestampAuthority === undefined
                ? i18n.t('verify.timeClaimed', { at: i18n.instant(report.run.generatedAt) })
                : i18n.t('verify.timeStamped', { tsa: seal.timestampAuthority }),
          },
        ]),
    { type: 'heading', level: 3, text: i18n.t('verify.withAuditpack') },
    { type: 'command', text: `auditpack verify <bundle> --key-fingerprint ${seal?.keyFingerprint ?? '<sha256>'}` },
    { type: 'command', text: 'auditpack verify <bundle> --key <signer-public-key.pem> --deep' },
    { type: 'paragraph', style: 'small', content: i18n.t('verify.withAuditpackText') },
    { type: 'heading', level: 3, text: i18n.t('verify.withSigstore') },
    {
      type: 'command',
      text: `cosign verify-blob-attestation --bundle manifest.sigstore.json --key signer.pub --insecure-ignore-tlog --type ${PREDICATE} manifest.json`,
    },
    { type: 'paragraph', style: 'small', content: i18n.t('verify.withSigstoreText') },
    { type: 'heading', level: 3, text: i18n.t('verify.pdf') },
    { type: 'paragraph', style: 'small', content: i18n.t('verify.pdfText') },
    { type: 'heading', level: 3, text: i18n.t('verify.generator') },
    {
      type: 'facts',
      small: true,
      rows: [
        [i18n.t('verify.generatedBy'), `${report.generator.name} ${report.generator.version}`],
        [
          i18n.t('verify.libraries'),
          Object.entries(report.generator.libraries)
            .sort(([a], [b]) => compareText(a, b))
            .map(([lib, v]) => `${lib} ${v}`)
            .join(', ') || '—',
        ],
        [i18n.t('verify.format'), `${report.reportFormat} ${report.schemaVersion}`],
        [i18n.t('verify.generatedAt'), report.run.generatedAt],
        [
          i18n.t('verify.periodInstants'),
          i18n.t('verify.periodValue', { start: report.run.period.start, end: report.run.period.end, zone: report.run.period.zone }),
        ],
        [i18n.t('verify.configuration'), [{ text: report.run.configSha256, mono: true }]],
        [i18n.t('verify.profile'), report.run.profile.length > 0 ? i18n.list(report.run.profile.map((t) => entityType(i18n, t))) : i18n.t('verify.noProfile')],
      ],
    },
  ];
  return { id: 'appendix-verify', title: i18n.t('section.verify'), newPage: false, inContents: true, appendix: true, blocks };
}
