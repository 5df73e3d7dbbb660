// Where a report run's time went, from its progress lines (bench/estate.mjs
// runs `auditpack report --progress plain` and notes when each line arrives).

/** One progress line (`auditpack: render pdf` → `render pdf`) and when it arrived, in seconds from the start. */
export interface ProgressMark {
  at: number;
  step: string;
}

/**
 * The phases of a report run, each from one progress line to the next: the
 * start (modules, configuration, keys, catalogs, lock) until the CI exports
 * are read; the CI exports and the image threads' start until the first image
 * is placed; the images, until the last is placed; the inventory, the map
 * stage and the report model; each report; from the seal to the process's
 * exit (the seal, the commit, the summary printed, the threads ended).
 */
export const PHASES = ['start', 'CI exports, first image', 'images', 'inventory, map, model', 'JSON', 'HTML', 'PDF', 'seal to exit'] as const;

export type Phase = (typeof PHASES)[number];

/**
 * Each phase's seconds in one run of `images` images that took `wall`
 * seconds. A phase whose line is missing (no CI exports, a report not asked
 * for, no seal key) is absent, the phase before it running to the next line
 * there is.
 */
export function phasesOf(progress: readonly ProgressMark[], wall: number, images: number): Partial<Record<Phase, number>> {
  const at = (test: (step: string) => boolean) => progress.find(({ step }) => test(step))?.at;
  const marks = [
    0,
    at((s) => s.startsWith('collect: Woodpecker')),
    at((s) => s.startsWith('verify 1/')),
    at((s) => s.startsWith(`verify ${images}/${images}:`)),
    at((s) => s === 'render json'),
    at((s) => s === 'render html'),
    at((s) => s === 'render pdf'),
    at((s) => s === 'seal'),
    wall,
  ];
  const phases: Partial<Record<Phase, number>> = {};
  PHASES.forEach((name, i) => {
    const from = marks[i];
    const to = marks.slice(i + 1).find((m) => m !== undefined);
    if (from !== undefined && to !== undefined) phases[name] = to - from;
  });
  return phases;
}

/** The median of each phase over runs (a run without the phase is left out of its median). */
export function medianPhases(runs: readonly Partial<Record<Phase, number>>[]): Partial<Record<Phase, number>> {
  const medians: Partial<Record<Phase, number>> = {};
  for (const name of PHASES) {
    const values = runs.flatMap((r) => (r[name] === undefined ? [] : [r[name]])).sort((a, b) => a - b);
    const middle = values[Math.floor((values.length - 1) / 2)];
    if (middle !== undefined) medians[name] = middle;
  }
  return medians;
}
