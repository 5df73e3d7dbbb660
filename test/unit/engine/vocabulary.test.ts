import { describe, expect, it } from 'vitest';
import { badge, controlStatus } from '../../../src/render/content/words.js';
import { richHtml } from '../../../src/render/html/helpers.js';
import { createI18n } from '../../../src/report/i18n.js';
import { CONTROL_STATUSES } from '../../../src/report/model.js';
import {
  CONTROL_STATUS_LABEL,
  CONTROL_STATUS_MEANING,
  NOT_IN_REPORT_LABEL,
  coverageWords,
  fullWhenWords,
  strengthWords,
} from '../../../src/report/vocabulary.js';
import SCHEMA from '../../../src/report/report.schema.json' with { type: 'json' };

/** The one wording of control statuses: every output reads it from src/report/vocabulary.ts. */
describe('control-status vocabulary', () => {
  it('covers every status of the report schema, in one order, each with a label and a meaning', () => {
    const schemaStatuses = (SCHEMA as { properties: { summary: { properties: { controls: { required: string[] } } } } }).properties.summary.properties.controls
      .required;
    expect([...CONTROL_STATUSES].sort()).toEqual([...schemaStatuses].sort());
    for (const status of CONTROL_STATUSES) {
      expect(CONTROL_STATUS_LABEL[status].length, status).toBeGreaterThan(0);
      expect(CONTROL_STATUS_MEANING[status].length, status).toBeGreaterThan(0);
    }
  });

  it('never words a supporting-only pass as support', () => {
    expect(CONTROL_STATUS_LABEL['relevant-not-sufficient']).toBe('Evidence relevant but not sufficient');
    expect(CONTROL_STATUS_LABEL['relevant-not-sufficient']).not.toMatch(/supported/i);
  });

  it('gives the report document (PDF and HTML alike) the same words as the engine and the CLI', () => {
    const en = createI18n('en');
    for (const status of CONTROL_STATUSES) {
      expect(controlStatus(en, status).text, status).toBe(CONTROL_STATUS_LABEL[status]);
      expect(String(richHtml([badge(controlStatus(en, status))], new Set())), status).toContain(`>${CONTROL_STATUS_LABEL[status]}<`);
    }
    expect(controlStatus(en, 'not-in-report').text).toBe(NOT_IN_REPORT_LABEL);
  });

  it('words coverage and strength apart', () => {
    expect(coverageWords({ passed: 15, total: 16 })).toBe('15 of 16 images');
    expect(coverageWords({ passed: 1, total: 1 })).toBe('1 of 1 image');
    expect(strengthWords('partial')).toBe('strongest mapping partial');
    expect(strengthWords(null)).toBe('no automated mapping (manual evidence only)');
    expect(fullWhenWords({ condition: 'bespoke-software', met: false })).toBe(
      'full only when the images are bespoke and custom software: not stated in the entity profile, so the cautious strength applies',
    );
  });
});
