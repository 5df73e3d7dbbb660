import { describe, expect, it } from 'vitest';
import { medianPhases, phasesOf, type ProgressMark } from '../../../bench/phases.ts';

/** The progress lines of a 3-image run with CI exports, every report and a seal, at the given times. */
function fullRun(): ProgressMark[] {
  return [
    { at: 1.5, step: 'collect: Woodpecker exports' },
    { at: 3, step: 'verify 1/3: a' },
    { at: 4, step: 'verify 2/3: b' },
    { at: 6, step: 'verify 3/3: c' },
    { at: 7, step: 'render json' },
    { at: 7.5, step: 'render html' },
    { at: 8.25, step: 'render pdf' },
    { at: 11, step: 'seal' },
  ];
}

describe('phases of a report run (bench/estate.mjs)', () => {
  it('measures each phase from its progress line to the next, the last to the end of the run', () => {
    expect(phasesOf(fullRun(), 11.5, 3)).toEqual({
      start: 1.5,
      'CI exports, first image': 1.5,
      images: 3,
      'inventory, map, model': 1,
      JSON: 0.5,
      HTML: 0.75,
      PDF: 2.75,
      'seal to exit': 0.5,
    });
  });

  it('leaves out a phase whose line is missing, the phase before it running to the next line there is', () => {
    const withoutHtmlOrSeal = fullRun().filter(({ step }) => step !== 'render html' && step !== 'seal');
    const phases = phasesOf(withoutHtmlOrSeal, 11.5, 3);
    expect(phases).not.toHaveProperty('HTML');
    expect(phases).not.toHaveProperty('seal to exit');
    expect(phases.JSON).toBe(1.25);
    expect(phases.PDF).toBe(3.25);
  });

  it("does not take image 10 for image 1, nor an image count other than the run's for the last image", () => {
    const marks = [
      { at: 2, step: 'verify 10/12: j' },
      { at: 2.5, step: 'verify 1/12: a' },
      { at: 9, step: 'verify 12/12: l' },
    ];
    const phases = phasesOf(marks, 10, 12);
    expect(phases.start).toBe(2.5);
    expect(phases.images).toBe(6.5);
  });

  it('takes the median of each phase over runs, leaving out runs without it', () => {
    expect(medianPhases([{ start: 1, PDF: 4 }, { start: 3 }, { start: 2, PDF: 2 }])).toEqual({ start: 2, PDF: 2 });
  });
});
