import { parseEntityRef } from '@backstage/catalog-model';
import { FieldError, compileCached, getAjv, toFieldErrors } from '../ajv';
import { ANNOTATION_BLUEPRINT } from '../annotations';
import { validateResourceName } from '../names';
import type { BlueprintEntityV1alpha1 } from './entity';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

const relativePath = {
  type: 'string',
  minLength: 1,
  not: { pattern: '^(/|[a-zA-Z][a-zA-Z0-9+.-]*:)' },
} as const;

const specSchema = {
  type: 'object',
  required: ['type', 'version', 'owner', 'parameters', 'files'],
  properties: {
    type: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    version: { type: 'string' },
    owner: { type: 'string', minLength: 1 },
    lifecycle: { type: 'string', minLength: 1 },
    parameters: { type: 'object' },
    changelog: { type: 'string', maxLength: 20000 },
    files: {
      type: ['string', 'array'],
      if: { type: 'string' },
      then: relativePath,
      else: {
        minItems: 1,
        items: {
          type: 'object',
          required: ['from'],
          additionalProperties: false,
          properties: { from: relativePath, to: { type: 'string' } },
        },
      },
    },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
          type: { type: 'string', minLength: 1 },
          title: { type: 'string' },
          input: { type: 'object' },
        },
      },
    },
    outputs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        catalogInfoPath: relativePath,
        links: {
          type: 'array',
          items: {
            type: 'object',
            required: ['title', 'url'],
            properties: { title: { type: 'string' }, url: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

/** Names the parameters every run supplies itself; a blueprint must not redeclare them. */
const RESERVED_VALUES = ['name', 'owner', 'system'];

/**
 * Checks a Blueprint entity, one error per failing field.
 * @public
 */
export function validateBlueprintEntity(
  entity: BlueprintEntityV1alpha1,
): FieldError[] {
  const validate = compileCached(specSchema);
  if (!validate(entity.spec ?? {})) {
    return toFieldErrors(validate.errors, '/spec').map(e =>
      e.field.startsWith('/spec/files')
        ? { ...e, message: filesMessage(e.message) }
        : e,
    );
  }
  const errors: FieldError[] = [];
  const { spec } = entity;
  const label = entity.metadata.labels?.[ANNOTATION_BLUEPRINT];
  const labelProblem = validateResourceName(label);
  if (labelProblem) {
    errors.push({
      field: `/metadata/labels/${ANNOTATION_BLUEPRINT}`,
      message: `${labelProblem} (it names the blueprint that this version belongs to)`,
    });
  }
  if (!SEMVER.test(spec.version)) {
    errors.push({
      field: '/spec/version',
      message: `must be a semantic version such as 1.2.0, got '${spec.version}'`,
    });
  }
  try {
    parseEntityRef(spec.owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (e) {
    errors.push({ field: '/spec/owner', message: (e as Error).message });
  }
  try {
    getAjv().compile(spec.parameters);
  } catch (e) {
    errors.push({
      field: '/spec/parameters',
      message: `is not a valid JSON Schema: ${(e as Error).message}`,
    });
  }
  const declared = Object.keys(
    (spec.parameters.properties as Record<string, unknown> | undefined) ?? {},
  );
  for (const reserved of RESERVED_VALUES.filter(r => declared.includes(r))) {
    errors.push({
      field: `/spec/parameters/properties/${reserved}`,
      message: `'${reserved}' is supplied by every run; remove it from the parameters`,
    });
  }
  const stepIds = (spec.steps ?? []).map(s => s.id);
  stepIds.forEach((id, i) => {
    if (stepIds.indexOf(id) !== i) {
      errors.push({
        field: `/spec/steps/${i}/id`,
        message: `'${id}' is used twice`,
      });
    }
  });
  return errors;
}

function filesMessage(message: string) {
  return message === 'must NOT be valid'
    ? 'must be a path relative to the blueprint file (no leading / and no URL scheme)'
    : message;
}
