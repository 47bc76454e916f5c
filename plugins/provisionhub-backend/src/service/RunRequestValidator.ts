import type { AuthService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { JsonObject } from '@backstage/types';
import {
  ANNOTATION_RUN_ID,
  CreateRunKind,
  EnvironmentDefinition,
  ShapedRunRequest,
  checkRunRequest,
  formatFieldErrors,
  validateBlueprintValues,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunStore } from '../database/RunStore';
import type { BlueprintRegistry, ResolvedBlueprint } from './BlueprintRegistry';

/**
 * A request that passed every check, with the blueprint resolved and pinned and the values'
 * defaults filled in.
 * @internal
 */
export interface ValidatedRunRequest {
  kind: CreateRunKind;
  name: string;
  owner: string;
  system?: string;
  environment?: string;
  entityRef: string;
  blueprint: ResolvedBlueprint;
  digest: string;
  values: JsonObject;
}

/** The errors a request can fail validation with; anything else is an infrastructure failure. */
export function isValidationError(error: unknown): error is Error {
  const name = (error as Error)?.name;
  return (
    name === 'InputError' ||
    name === 'NotFoundError' ||
    name === 'ConflictError'
  );
}

/** @internal */
export function entityRefFor(kind: string, name: string) {
  return `${kind}:default/${name}`;
}

/** The kind of a provisioned entity from its ref (see {@link entityRefFor}). @internal */
export function entityKindOf(entityRef: string): CreateRunKind {
  return entityRef.startsWith('system:') ? 'system' : 'component';
}

/**
 * Checks a run request the same way for the REST API, the requests queue and dry runs. Throws
 * `InputError` (400), `NotFoundError` (404) or `ConflictError` (409) with a message that names
 * the field and the rule.
 * @internal
 */
export class RunRequestValidator {
  readonly #registry: BlueprintRegistry;
  readonly #store: RunStore;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #environments: readonly EnvironmentDefinition[];

  /** @param options.environments - `provisionhub.environments`; empty allows any environment */
  constructor(options: {
    registry: BlueprintRegistry;
    store: RunStore;
    catalog: CatalogService;
    auth: AuthService;
    environments: readonly EnvironmentDefinition[];
  }) {
    this.#registry = options.registry;
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#environments = options.environments;
  }

  /**
   * @param options.forDryRun - skips the checks that only matter when something gets created
   * (name taken, system exists)
   */
  async validate(
    input: unknown,
    options: { forDryRun?: boolean } = {},
  ): Promise<ValidatedRunRequest> {
    const request = checkShape(input);
    this.#checkEnvironment(request.environment);
    const blueprint = await this.#registry.resolve(
      request.blueprint,
      request.version,
    );
    checkBlueprintType(request.kind, blueprint);
    const values = validateBlueprintValues(
      blueprint.parameters,
      request.values,
    );
    if (!values.ok) {
      throw new InputError(
        `Invalid values for blueprint ${blueprint.name}@${
          blueprint.version
        }: ${formatFieldErrors(values.errors)}`,
      );
    }
    const entityRef = entityRefFor(request.kind, request.name);
    if (!options.forDryRun) {
      await this.#checkSystemAndName(request, entityRef);
    }
    let digest: string;
    try {
      digest = await this.#registry.digest(blueprint);
    } catch (e) {
      throw new NotFoundError(
        `the files of blueprint ${blueprint.name}@${
          blueprint.version
        } cannot be read (${(e as Error).message}); ask its owner ${
          blueprint.owner
        } to fix ${blueprint.entityRef}`,
      );
    }
    return {
      kind: request.kind,
      name: request.name,
      owner: request.owner,
      system: request.system,
      environment: request.environment,
      entityRef,
      blueprint,
      digest,
      values: values.values,
    };
  }

  #checkEnvironment(environment: string | undefined) {
    const names = this.#environments.map(e => e.name);
    if (environment === undefined || names.length === 0) {
      return;
    }
    if (!names.includes(environment)) {
      throw new InputError(
        `/environment: '${environment}' is not an environment of this portal; use one of ${names.join(
          ', ',
        )} (provisionhub.environments)`,
      );
    }
  }

  /**
   * The system exists and is live, and the name is free: the store first, then one catalog
   * request for whatever the store did not settle. The system's problem is reported first.
   */
  async #checkSystemAndName(request: ShapedRunRequest, entityRef: string) {
    const system = request.kind === 'component' ? request.system! : undefined;
    const [provisioned, conflict] = await Promise.all([
      system ? this.#store.getSystem(system) : undefined,
      this.#store.findNameConflict(request.kind, request.name, entityRef),
    ]);
    if (provisioned?.status === 'decommissioned') {
      throw new ConflictError(
        `system '${system}' was decommissioned by run ${provisioned.decommissionRunId} (field /system); choose a live system`,
      );
    }
    const systemRef =
      system && !provisioned ? entityRefFor('system', system) : undefined;
    const refs = [systemRef, conflict ? undefined : entityRef].filter(
      (ref): ref is string => ref !== undefined,
    );
    const found = refs.length
      ? (
          await this.#catalog.getEntitiesByRefs(
            {
              entityRefs: refs,
              fields: ['kind', 'metadata.annotations'],
            },
            { credentials: await this.#auth.getOwnServiceCredentials() },
          )
        ).items
      : [];
    const [systemEntity, existing] = systemRef
      ? [found[0], found[1]]
      : [undefined, found[0]];
    if (systemRef && !systemEntity) {
      throw new NotFoundError(
        `system '${system}' does not exist (field /system): provision it first with kind 'system', or register a System entity of that name in the catalog`,
      );
    }
    if (conflict) {
      throw new ConflictError(
        `name '${request.name}' is taken (field /name): ${conflict}; choose another name`,
      );
    }
    if (existing) {
      const runId = existing.metadata?.annotations?.[ANNOTATION_RUN_ID];
      throw new ConflictError(
        `name '${
          request.name
        }' is taken (field /name): ${entityRef} already exists in the catalog${
          runId ? ` (created by run ${runId})` : ''
        }; choose another name`,
      );
    }
  }
}

function checkShape(input: unknown): ShapedRunRequest {
  const checked = checkRunRequest(input);
  if (!checked.ok) {
    throw new InputError(
      `Invalid run request: ${formatFieldErrors(checked.errors)}`,
    );
  }
  return checked.request;
}

function checkBlueprintType(kind: CreateRunKind, blueprint: ResolvedBlueprint) {
  const createsSystems = blueprint.type === 'system';
  if (kind === 'system' && !createsSystems) {
    throw new InputError(
      `blueprint ${blueprint.name} creates components of type '${blueprint.type}' (field /blueprint): a system needs a blueprint of type 'system'`,
    );
  }
  if (kind === 'component' && createsSystems) {
    throw new InputError(
      `blueprint ${blueprint.name} creates systems (field /blueprint): use it with kind "system", or pick a component blueprint`,
    );
  }
}
