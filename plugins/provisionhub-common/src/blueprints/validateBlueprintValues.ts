import type { JsonObject } from '@backstage/types';
import { FieldError, compileCached, toFieldErrors } from '../ajv';

/** @public */
export type BlueprintValuesResult =
  | { ok: true; values: JsonObject }
  | { ok: false; errors: FieldError[] };

/**
 * Checks values against a blueprint's parameter schema and fills in the defaults.
 * The input is not modified. Field pointers are prefixed with `/values`.
 * @public
 */
export function validateBlueprintValues(
  parameters: JsonObject,
  values: unknown,
): BlueprintValuesResult {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return {
      ok: false,
      errors: [{ field: '/values', message: 'must be an object' }],
    };
  }
  const copy = JSON.parse(JSON.stringify(values)) as JsonObject;
  let validate;
  try {
    validate = compileCached(parameters);
  } catch (e) {
    return {
      ok: false,
      errors: [
        {
          field: '/values',
          message: `cannot be checked: the blueprint's parameter schema is invalid (${
            (e as Error).message
          })`,
        },
      ],
    };
  }
  if (!validate(copy)) {
    return { ok: false, errors: toFieldErrors(validate.errors, '/values') };
  }
  return { ok: true, values: copy };
}
