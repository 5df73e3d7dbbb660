import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { isRecord } from '../collect/classify.js';
import { describeThrown } from '../errors.js';

export type SbomValidation =
  | { status: 'valid'; specVersion: string; components: number }
  | { status: 'invalid'; specVersion: string; errors: string[] }
  | { status: 'could-not-validate'; reason: string };

const SUPPORTED = new Set(['1.2', '1.3', '1.4', '1.5', '1.6', '1.7']);
const validators = new Map<string, Validation.JsonStrictValidator>();

/**
 * Validates a CycloneDX JSON document with @cyclonedx/cyclonedx-library's
 * strict validator for the document's own specVersion. The library does not
 * check that specVersion matches, so the version is read and chosen here.
 */
export async function validateCycloneDx(document: unknown): Promise<SbomValidation> {
  if (!isRecord(document)) return { status: 'invalid', specVersion: '', errors: ['the SBOM is not a JSON object'] };
  if (document.bomFormat !== 'CycloneDX') {
    return { status: 'invalid', specVersion: String(document.specVersion ?? ''), errors: [`bomFormat is '${String(document.bomFormat)}', not CycloneDX`] };
  }
  const specVersion = String(document.specVersion ?? '');
  if (!SUPPORTED.has(specVersion)) return { status: 'could-not-validate', reason: `specVersion '${specVersion}' is not supported (1.2 to 1.7 are)` };
  try {
    const errors = await validatorFor(specVersion).validate(JSON.stringify(document));
    if (errors === null) {
      return { status: 'valid', specVersion, components: Array.isArray(document.components) ? document.components.length : 0 };
    }
    return { status: 'invalid', specVersion, errors: formatErrors(errors) };
  } catch (thrown) {
    return { status: 'could-not-validate', reason: describeThrown(thrown) };
  }
}

function validatorFor(version: string): Validation.JsonStrictValidator {
  let validator = validators.get(version);
  if (!validator) {
    validator = new Validation.JsonStrictValidator(version as Spec.Version);
    validators.set(version, validator);
  }
  return validator;
}

function formatErrors(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [String(errors)];
  return errors.slice(0, 10).map((e) => {
    const r = isRecord(e) ? e : {};
    return `${String(r.instancePath ?? '') || '/'}: ${String(r.message ?? 'invalid')}`;
  });
}
