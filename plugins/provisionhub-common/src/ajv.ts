import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

let shared: Ajv | undefined;

/** One Ajv instance for the package: compiled validators are cached on it. */
export function getAjv(): Ajv {
  if (!shared) {
    shared = new Ajv({
      allErrors: true,
      discriminator: true,
      strict: false,
      useDefaults: true,
    });
    addFormats(shared);
  }
  return shared;
}

const byIdentity = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, ValidateFunction>();

/**
 * Compiles a schema once: by object identity, then by JSON text (schemas read from the catalog
 * are fresh objects each time). Throws when the schema itself is invalid.
 */
export function compileCached(schema: object): ValidateFunction {
  let validate = byIdentity.get(schema);
  if (validate) {
    return validate;
  }
  const key = JSON.stringify(schema);
  validate = byText.get(key);
  if (!validate) {
    validate = getAjv().compile(schema);
    if (byText.size > 500) {
      byText.clear();
    }
    byText.set(key, validate);
  }
  byIdentity.set(schema, validate);
  return validate;
}

/**
 * A validation problem tied to the field it is about.
 * @public
 */
export interface FieldError {
  /** JSON pointer of the field, e.g. `/values/replicas`; `/` for the whole document. */
  field: string;
  message: string;
}

export function toFieldErrors(
  errors: ErrorObject[] | null | undefined,
  prefix = '',
): FieldError[] {
  return (errors ?? [])
    .filter(e => e.keyword !== 'if' && e.keyword !== 'oneOf')
    .map(e => {
      let field = e.instancePath;
      let message = e.message ?? 'is invalid';
      if (e.keyword === 'required') {
        field = `${field}/${
          (e.params as { missingProperty: string }).missingProperty
        }`;
        message = 'is required';
      } else if (e.keyword === 'additionalProperties') {
        field = `${field}/${
          (e.params as { additionalProperty: string }).additionalProperty
        }`;
        message = 'is not a known field';
      } else if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] })
          .allowedValues;
        message = `must be one of ${allowed
          .map(v => JSON.stringify(v))
          .join(', ')}`;
      }
      return { field: `${prefix}${field}` || '/', message };
    });
}

/** @public */
export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map(e => `${e.field} ${e.message}`).join('; ');
}
