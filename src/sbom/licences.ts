// The SPDX part of the library alone: its index loads the whole library (76 ms against 8 ms), in every image thread.
import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';
import parseSpdxExpression from 'spdx-expression-parse';
import { isRecord } from '../util/wire.js';
import { describeThrown } from '../errors.js';
import { list, text } from './walk.js';

export type ExpressionCheck = { ok: true; ids: string[] } | { ok: false; reason: string };

/**
 * Parses an SPDX licence expression with spdx-expression-parse (the parser
 * the CycloneDX library suggests). SPDX ids are case-insensitive but that
 * parser is not, so a failed parse is retried with ids in their canonical
 * case from the CycloneDX SPDX list: `mit OR apache-2.0` is valid.
 */
export function checkLicenceExpression(expression: string): ExpressionCheck {
  let result = checked.get(expression);
  if (result === undefined) {
    result = parseExpression(expression);
    // Real SBOMs repeat a handful of expressions thousands of times.
    if (checked.size >= MAX_CACHED_EXPRESSIONS) checked.clear();
    checked.set(expression, result);
  }
  return result;
}

const MAX_CACHED_EXPRESSIONS = 10_000;
const checked = new Map<string, ExpressionCheck>();

function parseExpression(expression: string): ExpressionCheck {
  try {
    return { ok: true, ids: licenceIds(parseSpdxExpression(expression)) };
  } catch (first) {
    const fixed = expression.replace(/[A-Za-z0-9.-]+/g, (token) => (/^(?:AND|OR|WITH)$/i.test(token) ? token : (SPDX.fixupSpdxId(token) ?? token)));
    if (fixed !== expression) {
      try {
        return { ok: true, ids: licenceIds(parseSpdxExpression(fixed)) };
      } catch {
        // Report the error of the text as written.
      }
    }
    return { ok: false, reason: first instanceof RangeError ? 'expression too deeply nested' : describeThrown(first) };
  }
}

/** Licence ids (exceptions left out) of a parsed expression, in order of appearance. */
function licenceIds(node: parseSpdxExpression.Info): string[] {
  const ids: string[] = [];
  const pending: parseSpdxExpression.Info[] = [node];
  while (pending.length > 0) {
    const n = pending.pop() as parseSpdxExpression.Info;
    if ('license' in n) ids.push(n.license);
    else pending.push(n.right, n.left);
  }
  return ids;
}

export type CopyleftKind = 'network' | 'strong' | 'weak';

/**
 * A deliberately small list of common copyleft SPDX licence ids (each also
 * matches its `-only` / `-or-later` forms). Flags are a prompt for legal
 * review, not a legal opinion; licences missing here are not "permissive".
 * network: the obligation reaches users over a network (AGPL, SSPL).
 * strong: derived works must use the same licence (GPL, EUPL, OSL, CC-BY-SA).
 * weak: file- or library-level copyleft (LGPL, MPL, EPL, CDDL).
 */
export const COPYLEFT_LICENCES: Readonly<Record<string, CopyleftKind>> = {
  'AGPL-1.0': 'network',
  'AGPL-3.0': 'network',
  'SSPL-1.0': 'network',
  'GPL-1.0': 'strong',
  'GPL-2.0': 'strong',
  'GPL-3.0': 'strong',
  'EUPL-1.1': 'strong',
  'EUPL-1.2': 'strong',
  'OSL-3.0': 'strong',
  'CC-BY-SA-4.0': 'strong',
  'LGPL-2.0': 'weak',
  'LGPL-2.1': 'weak',
  'LGPL-3.0': 'weak',
  'MPL-1.1': 'weak',
  'MPL-2.0': 'weak',
  'EPL-1.0': 'weak',
  'EPL-2.0': 'weak',
  'CDDL-1.0': 'weak',
  'CDDL-1.1': 'weak',
};

export function copyleftKind(id: string): CopyleftKind | undefined {
  return COPYLEFT_LICENCES[id.replace(/(?:-only|-or-later|\+)$/, '')];
}

/** How a component states its licences, per CycloneDX `licenses[]`. */
export interface ComponentLicences {
  /** `license.id` values: SPDX ids. */
  ids: string[];
  /** Valid SPDX expressions as written, with the ids they name. */
  expressions: { expression: string; ids: string[] }[];
  /** `license.name` values: free text, not SPDX. */
  named: string[];
  invalidExpressions: string[];
}

export function componentLicences(component: Record<string, unknown>): ComponentLicences {
  const out: ComponentLicences = { ids: [], expressions: [], named: [], invalidExpressions: [] };
  for (const choice of list(component.licenses)) {
    if (!isRecord(choice)) continue;
    const expression = text(choice.expression);
    if (expression !== undefined) {
      const parsed = checkLicenceExpression(expression);
      if (parsed.ok) out.expressions.push({ expression, ids: parsed.ids });
      else out.invalidExpressions.push(expression);
      continue;
    }
    const licence = isRecord(choice.license) ? choice.license : {};
    const id = text(licence.id);
    const name = text(licence.name);
    if (id !== undefined) out.ids.push(id);
    else if (name !== undefined) out.named.push(name);
  }
  return out;
}

/** Every SPDX id a component names, directly or inside expressions. */
export function spdxIdsOf(licences: ComponentLicences): string[] {
  return [...licences.ids, ...licences.expressions.flatMap((e) => e.ids)];
}
