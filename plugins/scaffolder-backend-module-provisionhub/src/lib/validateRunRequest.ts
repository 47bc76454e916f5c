import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import {
  BlueprintVersion,
  FieldError,
  CreateRunKind,
  RunRequest,
  checkRunRequest,
  formatFieldErrors,
  parseBlueprintRef,
  validateBlueprintValues,
  validateResourceName,
} from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubActionsApi } from './types';
import { describeError, isNotFound } from './errors';

/** The create actions' input, as the scaffolder hands it over (types checked, nothing else). */
export interface RunRequestInput {
  name: string;
  owner: string;
  system?: string;
  blueprint: string;
  version?: string;
  values?: JsonObject;
}

/**
 * Checks a request with the control plane's own checks (`checkRunRequest` from common, the
 * blueprint's values schema), before anything is published, and pins the blueprint version it
 * was checked against.
 *
 * @throws InputError naming every field that is wrong and the rule it breaks
 */
export async function validateRunRequest(
  api: ProvisionHubActionsApi,
  kind: CreateRunKind,
  input: RunRequestInput,
): Promise<{ request: RunRequest; blueprint: BlueprintVersion }> {
  const errors: FieldError[] = [];
  const system =
    kind === 'component' ? normalizeSystem(input.system, errors) : undefined;
  const values = input.values ?? {};
  const blueprint = await resolveBlueprint(api, kind, input, errors);
  const shaped = checkRunRequest({
    kind,
    name: input.name,
    owner: input.owner,
    ...(system ? { system } : {}),
    blueprint: blueprint?.name ?? input.blueprint,
    ...(blueprint ? { version: blueprint.version } : {}),
    values,
  });
  if (!shaped.ok) {
    // A system that normalizeSystem already refused is reported once.
    errors.push(...shaped.errors.filter(e => e.field !== '/system' || system));
  }
  if (blueprint) {
    const checked = validateBlueprintValues(blueprint.parameters, values);
    if (!checked.ok) {
      errors.push(
        ...checked.errors.map(e => ({
          ...e,
          message: `${e.message} (blueprint ${blueprint.name}@${blueprint.version})`,
        })),
      );
    }
  }

  if (errors.length > 0 || !blueprint || !shaped.ok) {
    throw new InputError(
      `Invalid ${kind} request: ${formatFieldErrors(errors)}`,
    );
  }
  return { request: { ...shaped.request, values }, blueprint };
}

function normalizeSystem(
  system: string | undefined,
  errors: FieldError[],
): string | undefined {
  if (!system) {
    errors.push({
      field: '/system',
      message: 'is required: every component belongs to a system',
    });
    return undefined;
  }
  let name: string;
  try {
    const ref = parseEntityRef(system, {
      defaultKind: 'system',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'system') {
      errors.push({
        field: '/system',
        message: `must be a system, got ${JSON.stringify(system)} (kind ${
          ref.kind
        })`,
      });
      return undefined;
    }
    name = ref.name;
  } catch (e) {
    errors.push({ field: '/system', message: (e as Error).message });
    return undefined;
  }
  const problem = validateResourceName(name);
  if (problem) {
    errors.push({
      field: '/system',
      message: `${JSON.stringify(name)} ${problem}`,
    });
    return undefined;
  }
  return name;
}

async function resolveBlueprint(
  api: ProvisionHubActionsApi,
  kind: CreateRunKind,
  input: RunRequestInput,
  errors: FieldError[],
): Promise<BlueprintVersion | undefined> {
  const ref = parseBlueprintRef(input.blueprint.trim());
  if (!ref.name) {
    errors.push({ field: '/blueprint', message: 'is required' });
    return undefined;
  }
  if (ref.version && input.version && ref.version !== input.version) {
    errors.push({
      field: '/version',
      message: `${JSON.stringify(
        input.version,
      )} contradicts the version in blueprint ${JSON.stringify(
        input.blueprint,
      )}; give it once`,
    });
    return undefined;
  }
  const wanted = input.version || ref.version;

  let versions: BlueprintVersion[];
  try {
    versions = (await api.getBlueprint(ref.name)).versions;
  } catch (e) {
    if (!isNotFound(e)) {
      throw new Error(
        `Could not look up blueprint '${
          ref.name
        }' in ProvisionHub: ${describeError(e)}`,
      );
    }
    errors.push({
      field: '/blueprint',
      message: `'${ref.name}' is not a known blueprint${await knownBlueprints(
        api,
        kind,
      )}`,
    });
    return undefined;
  }

  const blueprint = wanted
    ? versions.find(v => v.version === wanted)
    : versions[0];
  if (!blueprint) {
    errors.push({
      field: '/version',
      message: wanted
        ? `${ref.name} has no version '${wanted}'; available: ${
            versions.map(v => v.version).join(', ') || 'none'
          }`
        : `${ref.name} has no versions yet`,
    });
    return undefined;
  }
  if ((blueprint.type === 'system') !== (kind === 'system')) {
    errors.push({
      field: '/blueprint',
      message:
        kind === 'system'
          ? `'${ref.name}' creates components (type ${blueprint.type}); a system needs a blueprint of type system`
          : `'${ref.name}' creates systems; use provisionhub:system:create or a component blueprint`,
    });
    return undefined;
  }
  return blueprint;
}

async function knownBlueprints(
  api: ProvisionHubActionsApi,
  kind: CreateRunKind,
): Promise<string> {
  try {
    const { items } = await api.listBlueprints();
    const names = items
      .filter(b => (b.type === 'system') === (kind === 'system'))
      .map(b => b.name);
    return names.length ? `; available: ${names.join(', ')}` : '';
  } catch {
    // The list only improves the message; the error stands without it.
    return '';
  }
}
