import type { JsonObject, JsonValue } from '@backstage/types';
import type { UiSchema } from '@rjsf/utils';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeUi(target: UiSchema, source: UiSchema) {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (
      typeof existing === 'object' &&
      existing !== null &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value)
    ) {
      mergeUi(existing, value);
    } else {
      target[key] = value;
    }
  }
}

const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'];
const CONDITIONALS = ['if', 'then', 'else'];

/**
 * A blueprint's `parameters` is a JSON Schema whose `ui:*` keys are form hints, next to the field
 * they describe (as in Backstage software templates). This separates them into the JSON Schema
 * that the form validates against and the uiSchema that react-jsonschema-form reads.
 */
export function splitUiSchema(parameters: JsonObject): {
  schema: JsonObject;
  uiSchema: UiSchema;
} {
  const schema: JsonObject = {};
  const uiSchema: UiSchema = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key.startsWith('ui:')) {
      uiSchema[key] = value;
    } else if (key === 'properties' && isObject(value)) {
      const properties: JsonObject = {};
      for (const [name, property] of Object.entries(value)) {
        if (isObject(property)) {
          const split = splitUiSchema(property);
          properties[name] = split.schema;
          if (Object.keys(split.uiSchema).length > 0) {
            mergeUi(uiSchema, { [name]: split.uiSchema });
          }
        } else {
          properties[name] = property;
        }
      }
      schema.properties = properties;
    } else if (key === 'items' && isObject(value)) {
      const split = splitUiSchema(value);
      schema.items = split.schema;
      if (Object.keys(split.uiSchema).length > 0) {
        uiSchema.items = split.uiSchema;
      }
    } else if (COMPOSITIONS.includes(key) && Array.isArray(value)) {
      // Alternatives describe fields of this same object, so their hints belong here too.
      schema[key] = value.map(entry => {
        if (!isObject(entry)) {
          return entry;
        }
        const split = splitUiSchema(entry);
        mergeUi(uiSchema, split.uiSchema);
        return split.schema;
      });
    } else if (CONDITIONALS.includes(key) && isObject(value)) {
      const split = splitUiSchema(value);
      mergeUi(uiSchema, split.uiSchema);
      schema[key] = split.schema;
    } else if (key === 'dependencies' && isObject(value)) {
      const dependencies: JsonObject = {};
      for (const [name, dependency] of Object.entries(value)) {
        if (isObject(dependency)) {
          const split = splitUiSchema(dependency);
          mergeUi(uiSchema, split.uiSchema);
          dependencies[name] = split.schema;
        } else {
          dependencies[name] = dependency;
        }
      }
      schema.dependencies = dependencies;
    } else {
      schema[key] = value;
    }
  }
  return { schema, uiSchema };
}
