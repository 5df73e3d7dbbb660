/**
 * The report as one document in the reader's language, in the order an
 * auditor reads: page 1 (verdict, images, scope), the table of contents, the
 * faults, what changed since the previous period, the organisation's own
 * citations, waivers, what runs (with a population export), the evidence
 * behind every image and its chain of custody, SBOMs, the frameworks matrix
 * and crosswalk, manual statements, trust material and limits, the
 * appendices (clause texts, evidence inventory, how to verify and what
 * produced the report), then the sign-off page.
 */
import { createI18n, type Locale } from '../../report/i18n.js';
import type { Report } from '../../report/model.js';
import type { ReportDocument, Section } from './blocks.js';
import { changesSection } from './changes.js';
import { claimsSection } from './claims.js';
import { buildContext } from './context.js';
import { controlTextsSection } from './control-texts.js';
import { coverSection } from './cover.js';
import { crosswalkSection } from './crosswalk.js';
import { custodySection } from './custody.js';
import { findingsSection } from './findings.js';
import { frameworksSection } from './frameworks.js';
import { imagesSection } from './images.js';
import { inventorySection } from './inventory.js';
import { manualSection } from './manual.js';
import { populationSection } from './population.js';
import type { DocumentOptions } from './scale.js';
import { sbomsSection } from './sboms.js';
import { signoffSection } from './signoff.js';
import { trustSection } from './trust.js';
import { verifySection } from './verify.js';
import { waiversSection } from './waivers.js';

/** `options`: the PDF's (compact for a large estate, and what it attaches); the HTML takes the defaults. */
export function buildDocument(report: Report, locale: Locale, options: DocumentOptions = {}): ReportDocument {
  const i18n = createI18n(locale);
  const ctx = buildContext(report, i18n, options);
  const sections: Section[] = [
    findingsSection(ctx),
    ...(report.changes === undefined ? [] : [changesSection(ctx, report.changes)]),
    claimsSection(ctx),
    waiversSection(ctx),
    ...(report.population === undefined ? [] : [populationSection(ctx, report.population)]),
    imagesSection(ctx),
    ...optional(custodySection(ctx)),
    sbomsSection(ctx),
    frameworksSection(ctx),
    crosswalkSection(ctx),
    manualSection(ctx),
    trustSection(ctx),
    controlTextsSection(ctx),
    inventorySection(ctx),
    verifySection(ctx),
    // Last, on a page of its own: what the reviewers sign covers everything before it.
    signoffSection(ctx),
  ];
  const { organisation, period } = report.run;
  return {
    lang: locale,
    title: i18n.t('doc.fullTitle', { organisation, period: period.label }),
    runningHeader: i18n.t('doc.runningHeader', { organisation, period: period.label }),
    pageLabel: (page, pages) => i18n.t('doc.page', { page, pages }),
    contentsTitle: i18n.t('section.contents'),
    cutNote: i18n.t('doc.cut'),
    subject: i18n.t('doc.subject', { period: period.label, start: period.start, end: period.end, zone: period.zone }),
    cover: coverSection(ctx),
    sections,
  };
}

function optional(section: Section | undefined): Section[] {
  return section === undefined ? [] : [section];
}
