import { describe, expect, it } from 'vitest';
import { HELPERS } from '../../../src/render/html/helpers.js';
import { controlLabel, insteadLabel } from '../../../src/render/pdf/style.js';
import {
  CONTROL_STATUS_LABEL,
  CONTROL_STATUS_MEANING,
  CONTROL_STATUS_ORDER,
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
    expect([...CONTROL_STATUS_ORDER].sort()).toEqual([...schemaStatuses].sort());
    for (const status of CONTROL_STATUS_ORDER) {
      expect(CONTROL_STATUS_LABEL[status].length, status).toBeGreaterThan(0);
      expect(CONTROL_STATUS_MEANING[status].length, status).toBeGreaterThan(0);
    }
  });

  it('never words a supporting-only pass as support', () => {
    expect(CONTROL_STATUS_LABEL['relevant-not-sufficient']).toBe('Evidence relevant but not sufficient');
    expect(CONTROL_STATUS_LABEL['relevant-not-sufficient']).not.toMatch(/supported/i);
  });

  it('gives the HTML badges and the PDF labels the same words, the PDF in capitals', () => {
    for (const status of CONTROL_STATUS_ORDER) {
      expect(String(HELPERS.badge(status)), status).toContain(`>${CONTROL_STATUS_LABEL[status]}<`);
      expect(controlLabel(status).text, status).toBe(CONTROL_STATUS_LABEL[status].toUpperCase());
      expect(insteadLabel(status).text, status).toBe(CONTROL_STATUS_LABEL[status].toUpperCase());
    }
    expect(String(HELPERS.badge('not-in-report'))).toContain(`>${NOT_IN_REPORT_LABEL}<`);
    expect(insteadLabel('not-in-report').text).toBe(NOT_IN_REPORT_LABEL.toUpperCase());
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
