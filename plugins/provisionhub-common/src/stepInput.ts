import type { JsonObject } from '@backstage/types';
import { FieldError, compileCached, toFieldErrors } from './ajv';

/** @public */
export type StepInputResult =
  | { ok: true; input: JsonObject }
  | { ok: false; errors: FieldError[] };

/**
 * Why a step's input schema (JSON Schema) cannot be used, or undefined when it compiles.
 * @public
 */
export function checkStepInputSchema(schema: JsonObject): string | undefined {
  try {
    compileCached(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Checks a blueprint step's `input` against the input schema of its step type and fills in the
 * defaults. The input is not modified. Field pointers are prefixed with `/input`.
 * @public
 */
export function validateStepInput(
  schema: JsonObject,
  input: unknown,
): StepInputResult {
  const copy = JSON.parse(JSON.stringify(input ?? {}));
  const validate = compileCached(schema);
  if (!validate(copy)) {
    return { ok: false, errors: toFieldErrors(validate.errors, '/input') };
  }
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    return {
      ok: false,
      errors: [{ field: '/input', message: 'must be an object' }],
    };
  }
  return { ok: true, input: copy };
}
