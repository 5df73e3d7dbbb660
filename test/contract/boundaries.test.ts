import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The project's own ESLint configuration (eslint.config.js), type information
// off: the boundary rules read import specifiers, not types, and the probed
// files do not exist.
const eslint = new ESLint({ overrideConfig: [tseslint.configs.disableTypeChecked] });

/** The boundary messages ESLint gives `code` as if it were the file at `path`. */
async function crossings(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path });
  return (result?.messages ?? []).filter((m) => /no-restricted-(imports|globals)/.test(m.ruleId ?? '')).map((m) => m.message);
}

const allowed: [string, string][] = [
  ['src/collect/probe.ts', "import type { Report } from '../report/model.js';"],
  ['src/collect/probe.ts', "import { AuditpackError } from '../errors.js';"],
  ['src/verify/probe.ts', "import { isRecord } from '../collect/classify.js';"],
  ['src/checks/probe.ts', "import { extractSbom } from '../verify/payloads.js';"],
  ['src/engine/probe.ts', "import { CHECKS } from '../checks/index.js';"],
  ['src/engine/probe.ts', "import type { LoadedConfig } from '../config/load.js';"],
  ['src/engine/probe.ts', "import { join } from 'node:path';"],
  ['src/render/probe.ts', "import type { Report } from '../report/model.js';"],
  ['src/render/probe.ts', "import { renderPdfDocument } from './pdf/document.js';"],
  ['src/render/pdf/probe.ts', "import type { Report } from '../../report/model.js';"],
  ['src/render/pdf/probe.ts', "import { style } from '../style.js';"],
  ['src/render/pdf/probe.ts', "import PDFDocument from 'pdfkit';"],
  ['src/seal/probe.ts', "import { IN_TOTO_PAYLOAD_TYPE } from '../verify/payloads.js';"],
  ['src/cli/probe.ts', 'process.exitCode = 1;'],
  ['src/cli.ts', "import { main } from './cli/main.js';"],
  ['src/run-report.ts', "import { renderPdf } from './render/pdf.js';"],
  ['src/verify-deep.ts', "import { runChecks } from './engine/run-checks.js';"],
  // The report's shared vocabulary is part of the contract renderers read.
  ['src/render/html/probe.ts', "import { CONTROL_STATUS_LABEL } from '../../report/vocabulary.js';"],
  ['src/render/probe.ts', "import { buildManifest } from '../util/manifest.js';"],
  ['src/render/pdf-signing/probe.ts', "import { signingAlgorithm } from '../../util/certificate.js';"],
  // Stage order: render, then seal (in memory), then the bundle writer.
  ['src/seal/probe.ts', "import type { PdfSigningIdentity } from '../render/pdf-signing/identity.js';"],
  ['src/bundle/probe.ts', "import { MANIFEST_FILE } from '../seal/manifest.js';"],
  ['src/engine/probe.ts', "import type { ClaimsData } from '../frameworks/claims.js';"],
];

const refused: [string, string, RegExp][] = [
  ['src/collect/probe.ts', "import { verifySigstoreBundle } from '../verify/bundle.js';", /`verify` is a later stage/],
  ['src/collect/probe.ts', "import { CHECKS } from '../checks/index.js';", /`checks` is a later stage/],
  ['src/collect/probe.ts', "import { sealFolder } from '../seal/sign.js';", /`seal` is a later stage/],
  ['src/verify/probe.ts', "import { CHECKS } from '../checks/index.js';", /`checks` is a later stage/],
  ['src/checks/probe.ts', "import { mapToControls } from '../engine/map.js';", /`engine` is a later stage/],
  ['src/engine/probe.ts', "import { renderHtml } from '../render/html.js';", /`render` is a later stage/],
  ['src/engine/probe.ts', "import { readFile } from 'node:fs/promises';", /engine is pure/],
  ['src/engine/probe.ts', "import { request } from 'node:https';", /engine is pure/],
  ['src/engine/probe.ts', "import { loadConfig } from '../config/load.js';", /never call one/],
  ['src/engine/probe.ts', 'const home = process.env.HOME;', /Only src\/cli\//],
  ['src/render/probe.ts', "import { mapToControls } from '../engine/map.js';", /Renderers read only src\/report\//],
  ['src/render/probe.ts', "import type { Config } from '../config/schema.js';", /Renderers read only src\/report\//],
  ['src/render/pdf/probe.ts', "import type { Collection } from '../../collect/evidence.js';", /Renderers read only src\/report\//],
  ['src/seal/probe.ts', "import { writeBundleAtomically } from '../bundle/output.js';", /`bundle` is a later stage/],
  ['src/render/probe.ts', "import { sealBundle } from '../seal/seal-bundle.js';", /Renderers read only/],
  ['src/render/probe.ts', "import { GENERATOR } from '../util/generator.js';", /Renderers read only/],
  ['src/engine/probe.ts', "import { GENERATOR } from '../util/generator.js';", /never call one/],
  ['src/engine/probe.ts', "import { loadClaimsData } from '../frameworks/claims.js';", /never call one/],
  ['src/bundle/probe.ts', "import { deepVerify } from '../verify-deep.js';", /Only the CLI, run-report and verify-deep compose/],
  ['src/sbom/probe.ts', "import { main } from '../cli/main.js';", /Only the CLI, run-report and verify-deep compose/],
  ['src/sbom/probe.ts', "import { argv } from 'node:process';", /Only src\/cli\//],
  ['src/run-report.ts', "import { main } from './cli/main.js';", /Only src\/cli.ts imports the CLI/],
];

describe('stage boundaries (eslint.boundaries.js)', () => {
  it.each(allowed)('%s may: %s', async (path, code) => {
    expect(await crossings(path, code)).toEqual([]);
  });

  it.each(refused)('%s may not: %s', async (path, code, message) => {
    const messages = await crossings(path, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });
});
