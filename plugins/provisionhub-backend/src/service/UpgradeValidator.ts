import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import {
  JobUpgrade,
  ValueChange,
  formatFieldErrors,
  validateBlueprintValues,
} from '@provisionhub/plugin-provisionhub-common';
import semver from 'semver';
import { isDeepStrictEqual } from 'node:util';
import type { RunStore } from '../database/RunStore';
import type { BlueprintRegistry } from './BlueprintRegistry';
import type { ValidatedRunRequest } from './RunRequestValidator';
import { liveComponent } from './liveComponent';

/**
 * An upgrade of a provisioned component that passed every check: the target blueprint resolved
 * and pinned, the values merged and checked against the target's parameters.
 * @internal
 */
export interface ValidatedUpgrade extends Omit<ValidatedRunRequest, 'kind'> {
  kind: 'upgrade';
  upgrade: JobUpgrade;
}

/**
 * Checks `POST /components/{name}/upgrade`. The component's recorded values are carried over
 * (those the target version still declares), the request's values are laid over them, and the
 * target's defaults fill the rest. Throws `InputError` (400), `NotFoundError` (404) or
 * `ConflictError` (409) naming the field.
 * @internal
 */
export class UpgradeValidator {
  readonly #registry: BlueprintRegistry;
  readonly #store: RunStore;

  constructor(options: { registry: BlueprintRegistry; store: RunStore }) {
    this.#registry = options.registry;
    this.#store = options.store;
  }

  async validate(
    name: string,
    input: unknown,
    runId: string,
  ): Promise<ValidatedUpgrade> {
    const request = checkShape(input);
    const { component, current } = await liveComponent(
      this.#store,
      name,
      'upgraded',
    );
    const from = component.blueprint;
    if (
      semver.valid(request.version) &&
      semver.lt(request.version, from.version)
    ) {
      throw new InputError(
        `version ${request.version} is older than ${from.version}, the version component '${name}' runs (field /version); downgrades are not supported`,
      );
    }
    const blueprint = await this.#registry.resolve(from.name, request.version);
    if (blueprint.type !== current.blueprintJob.type) {
      throw new InputError(
        `blueprint ${blueprint.name}@${blueprint.version} creates '${blueprint.type}' components, and component '${name}' is a '${current.blueprintJob.type}' one (field /version)`,
      );
    }
    const declared = blueprint.parameters.properties;
    const carried = Object.fromEntries(
      Object.entries(current.values).filter(
        ([key]) =>
          typeof declared !== 'object' ||
          declared === null ||
          Object.hasOwn(declared, key),
      ),
    );
    const checked = validateBlueprintValues(blueprint.parameters, {
      ...carried,
      ...request.values,
    });
    if (!checked.ok) {
      throw new InputError(
        `Invalid values for blueprint ${blueprint.name}@${
          blueprint.version
        }: ${formatFieldErrors(checked.errors)}`,
      );
    }
    const changedValues = diffValues(current.values, checked.values);
    const sameVersion = blueprint.version === from.version;
    if (sameVersion && !changedValues.length) {
      throw new InputError(
        `nothing to change: component '${name}' already runs ${from.name}@${from.version} with these values (fields /version, /values)`,
      );
    }
    const digest = await this.#registry.digest(blueprint);
    return {
      kind: 'upgrade',
      name: component.name,
      owner: component.owner,
      system: component.system,
      ...(current.environment ? { environment: current.environment } : {}),
      entityRef: component.entityRef,
      blueprint,
      digest,
      values: checked.values,
      upgrade: {
        from: {
          name: from.name,
          version: from.version,
          digest: from.digest,
          files: current.blueprintJob.files,
          values: current.values,
        },
        branch: sameVersion
          ? `provisionhub/values-${runId.slice(0, 8)}`
          : `provisionhub/upgrade-${blueprint.version.replace(
              /[^A-Za-z0-9._-]/g,
              '-',
            )}`,
        changedValues,
        changelog: sameVersion
          ? []
          : await this.#registry.changelog(
              from.name,
              from.version,
              blueprint.version,
            ),
      },
    };
  }
}

function checkShape(input: unknown): { version: string; values: JsonObject } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InputError('Invalid upgrade request: / must be a JSON object');
  }
  const { version, values } = input as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof version !== 'string' || !version) {
    problems.push(
      '/version is required: the target blueprint version (the current one to change values only)',
    );
  }
  if (
    values !== undefined &&
    (typeof values !== 'object' || values === null || Array.isArray(values))
  ) {
    problems.push('/values must be an object of the values to change');
  }
  if (problems.length) {
    throw new InputError(`Invalid upgrade request: ${problems.join('; ')}`);
  }
  return {
    version: version as string,
    values: (values ?? {}) as JsonObject,
  };
}

/** The keys whose values differ, in key order. */
export function diffValues(
  before: JsonObject,
  after: JsonObject,
): ValueChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .sort()
    .filter(key => !isDeepStrictEqual(before[key], after[key]))
    .map(key => ({
      key,
      ...(before[key] !== undefined ? { from: before[key] } : {}),
      ...(after[key] !== undefined ? { to: after[key] } : {}),
    }));
}
