import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CreateRunKind,
  JobDecommission,
  ProvisionedComponent,
  RUN_STATUSES,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunBlueprintJob, RunStore } from '../database/RunStore';
import type { ValidatedRunRequest } from './RunRequestValidator';

/** The longest reason a decommission keeps. */
const MAX_REASON_LENGTH = 2000;

/**
 * A decommission that passed every check: the entity is live, nothing else is running on it,
 * and (for a system) it holds no live components. `blueprint` and `values` are the entity's
 * current ones, so policy rules match on them as they do for any run.
 * @internal
 */
export interface ValidatedDecommission
  extends Omit<ValidatedRunRequest, 'kind' | 'blueprint'> {
  kind: 'decommission';
  /** What is retired. */
  target: CreateRunKind;
  blueprint: RunBlueprintJob;
  decommission: JobDecommission;
}

/**
 * Checks `POST /components/{name}/decommission` and `POST /systems/{name}/decommission`. Throws
 * `InputError` (400), `NotFoundError` (404) or `ConflictError` (409) saying what is wrong.
 * @internal
 */
export class DecommissionValidator {
  readonly #store: RunStore;

  constructor(options: { store: RunStore }) {
    this.#store = options.store;
  }

  async validate(
    target: CreateRunKind,
    name: string,
    input: unknown,
  ): Promise<ValidatedDecommission> {
    const decommission = checkShape(input);
    const entity =
      target === 'system'
        ? await this.#store.getSystem(name)
        : await this.#store.getComponent(name);
    if (!entity) {
      throw new NotFoundError(
        `${target} '${name}' was not provisioned by ProvisionHub`,
      );
    }
    if (entity.status === 'decommissioned') {
      throw new ConflictError(
        `${target} '${name}' was decommissioned already, by run ${entity.decommissionRunId} at ${entity.decommissionedAt}`,
      );
    }
    if (target === 'system') {
      await this.#checkSystemIsEmpty(name);
    }
    const current = await this.#store.getRun(entity.runId);
    if (!current?.blueprintJob) {
      throw new ConflictError(
        `${target} '${name}' cannot be decommissioned: run ${entity.runId}, which gave it its blueprint version and values, is no longer stored`,
      );
    }
    return {
      kind: 'decommission',
      target,
      name: entity.name,
      owner: entity.owner,
      system:
        target === 'system'
          ? entity.name
          : (entity as ProvisionedComponent).system,
      ...(current.environment ? { environment: current.environment } : {}),
      entityRef: entity.entityRef,
      blueprint: current.blueprintJob,
      digest: entity.blueprint.digest,
      values: current.values,
      decommission,
    };
  }

  /** A system goes last: after its components, and while none is being created in it. */
  async #checkSystemIsEmpty(name: string) {
    const live = (await this.#store.listComponents({ system: name }))
      .filter(c => c.status === 'live')
      .map(c => c.name);
    if (live.length) {
      throw new ConflictError(
        `system '${name}' still holds live components: ${live.join(
          ', ',
        )}; decommission them first (POST /components/{name}/decommission)`,
      );
    }
    const creating = (
      await this.#store.listRuns({
        status: RUN_STATUSES.filter(status => !isTerminalRunStatus(status)),
        kind: 'component',
        system: name,
        limit: 20,
      })
    ).items.map(run => `${run.name} (run ${run.id}, ${run.status})`);
    if (creating.length) {
      throw new ConflictError(
        `system '${name}' has components being created: ${creating.join(
          ', ',
        )}; wait for those runs to end, decommission what they created, then ask again`,
      );
    }
  }
}

function checkShape(input: unknown): JobDecommission {
  if (input === undefined || input === null) {
    return {};
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError(
      'Invalid decommission request: / must be a JSON object such as {"reason": "…"}',
    );
  }
  const { reason, ...rest } = input as Record<string, unknown>;
  const problems = Object.keys(rest).map(
    key => `/${key} is not a field of a decommission request (only /reason)`,
  );
  if (reason !== undefined && typeof reason !== 'string') {
    problems.push('/reason must be a string');
  } else if (typeof reason === 'string' && reason.length > MAX_REASON_LENGTH) {
    problems.push(
      `/reason must be at most ${MAX_REASON_LENGTH} characters (it has ${reason.length})`,
    );
  }
  if (problems.length) {
    throw new InputError(
      `Invalid decommission request: ${problems.join('; ')}`,
    );
  }
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  return trimmed ? { reason: trimmed } : {};
}
