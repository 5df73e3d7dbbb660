// Import boundaries that encode the stage order of the README's "Architecture":
//
//   config → collect → verify → checks → engine (map, build) → render → seal → bundle
//
// the order the code runs in: the renderers write the reports in memory, the
// seal computes the manifest and its signature over those files, and the
// bundle writer puts the sealed files on disk (and reads bundles back to
// verify them). `src/cli.ts`, `src/cli/**`, `src/run-report.ts`,
// `src/verify-deep.ts` (which runs collect and verify again on a bundle) and
// `src/index.ts` are the composition roots above them. A stage may import
// earlier stages and the shared modules (report model and its vocabulary,
// errors, util, config, trust, sbom, frameworks, waivers, history), never a
// later stage. On top of that order:
// - renderers read only `src/report/` (the model and its shared vocabulary:
//   the contract), the typed errors, their own helpers and their libraries,
//   plus two pure helpers from util/: the manifest format (report.pdf embeds
//   a manifest of its attachments) and the pkijs glue that signs with a
//   loaded key. A renderer that reached into the engine could show something
//   the report does not hold;
// - the engine does no I/O: no file, network or process access, and no value
//   import of a loader (types from loaders are fine);
// - only the CLI touches `process`: everything else takes what it needs as
//   arguments and returns an exit code or a value.
//
// Built on ESLint's own `no-restricted-imports` (typescript-eslint's variant, for
// `allowTypeImports`) and `no-restricted-globals`. All of `src/` imports by
// relative specifiers, so the rules match specifiers: from `src/<stage>/x.ts` a
// stage is `../<stage>/…`; from deeper folders `../../<stage>/…`.

/** The ordered stages: each may not import any stage after it. */
export const STAGES = ['collect', 'verify', 'checks', 'engine', 'render', 'seal', 'bundle'];

const up = '^(?:\\.\\./)+';

/** One restriction; `id` names it in the groups below. */
function stage(target) {
  return {
    id: `stage:${target}`,
    regex: `${up}${target}/`,
    message: `\`${target}\` is a later stage: the stages run one way (README "Architecture"); pass its result in instead of importing it.`,
  };
}

const compositionRoot = {
  id: 'composition-root',
  regex: `${up}(?:cli/|cli\\.js$|run-report\\.js$|verify-deep\\.js$|index\\.js$)`,
  message: 'Only the CLI, run-report and verify-deep compose the pipeline; stages never import them.',
};

const processImport = ['process', 'node:process'].map((name) => ({
  id: 'process',
  name,
  message: 'Only src/cli/ and src/cli.ts touch `process`: take what you need as an argument.',
}));

const IO_MODULES = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns', 'child_process', 'module', 'worker_threads'];
const engineIo = IO_MODULES.flatMap((name) => [name, `node:${name}`]).map((name) => ({
  id: 'io',
  name,
  message: 'The engine is pure: it does no I/O. Load data in a loader (collect, config, trust, frameworks) and pass it in.',
}));

const engineLoaders = {
  id: 'loader',
  regex: `${up}(?:(?:config|trust|waivers)/load\\.js$|frameworks/(?:catalog|claims|select)\\.js$|util/generator\\.js$|collect/)`,
  allowTypeImports: true,
  message: 'The engine does no I/O: it may import types from a loader, never call one. Pass the loaded data in.',
};

/** Renderers: any relative import leaving `src/render/` must be the report (model, vocabulary), the typed errors or one of the util helpers (the manifest format, certificates, the worker-thread pool the PDF's attachments are prepared in). */
function renderOnlyModel(depth) {
  return {
    id: 'render-model-only',
    regex: `^(?:\\.\\./){${depth}}(?!report/|errors\\.js$|util/manifest\\.js$|util/certificate\\.js$|util/worker-pool\\.js$)`,
    message: 'Renderers read only src/report/ (the model and its vocabulary), the typed errors and their own helpers.',
  };
}

const rootFiles = {
  id: 'composition-root',
  regex: '^\\./cli(?:/|\\.js$)',
  message: 'Only src/cli.ts imports the CLI.',
};

const common = [compositionRoot, ...processImport];
const later = (name) => STAGES.slice(STAGES.indexOf(name) + 1).map(stage);

/** Every group of files with its full list of restrictions (a later flat-config block replaces a rule's options, it does not merge them). */
const GROUPS = {
  src: { files: ['src/**/*.ts'], ignores: ['src/cli.ts', 'src/cli/**'], restrictions: common },
  root: { files: ['src/*.ts'], ignores: ['src/cli.ts'], restrictions: [rootFiles, ...processImport] },
  collect: { files: ['src/collect/**/*.ts'], restrictions: [...common, ...later('collect')] },
  verify: { files: ['src/verify/**/*.ts'], restrictions: [...common, ...later('verify')] },
  checks: { files: ['src/checks/**/*.ts'], restrictions: [...common, ...later('checks')] },
  engine: { files: ['src/engine/**/*.ts'], restrictions: [...common, ...later('engine'), ...engineIo, engineLoaders] },
  render1: { files: ['src/render/*.ts'], restrictions: [...common, renderOnlyModel(1)] },
  render2: { files: ['src/render/*/*.ts'], restrictions: [...common, renderOnlyModel(2)] },
  render3: { files: ['src/render/*/*/*.ts'], restrictions: [...common, renderOnlyModel(3)] },
  bundle: { files: ['src/bundle/**/*.ts'], restrictions: [...common, ...later('bundle')] },
  seal: { files: ['src/seal/**/*.ts'], restrictions: [...common, ...later('seal')] },
};

function rules(restrictions) {
  const entry = ({ message, allowTypeImports }) => ({ message, ...(allowTypeImports ? { allowTypeImports } : {}) });
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: restrictions.filter((r) => r.name).map((r) => ({ name: r.name, ...entry(r) })),
        patterns: restrictions.filter((r) => r.regex).map((r) => ({ regex: r.regex, ...entry(r) })),
      },
    ],
  };
}

/** The flat-config blocks: one per group. */
export function stageBoundaries() {
  const blocks = Object.values(GROUPS).map(({ files, ignores, restrictions }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: rules(restrictions),
  }));
  blocks.unshift({
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/cli/**'],
    rules: { 'no-restricted-globals': ['error', { name: 'process', message: processImport[0].message }] },
  });
  return blocks;
}
