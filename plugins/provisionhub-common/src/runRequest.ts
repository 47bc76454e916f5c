import type { FieldError } from './ajv';
import { parseOwnerRef } from './owners';
import { validateResourceName } from './names';
import { CREATE_RUN_KINDS, CreateRunKind, RunRequest } from './types';

/**
 * A request whose fields have the right shape, the owner as a full entity ref; the values are
 * checked against the blueprint's schema later, by whoever resolved the blueprint.
 * @public
 */
export type ShapedRunRequest = Omit<RunRequest, 'values'> & { values: unknown };

/**
 * The one check of a run request's fields (kind, names, owner, system, blueprint, version,
 * environment, values present), used by the control plane for every door and by the scaffolder
 * actions before they publish. Every wrong field is reported, with the rule it breaks.
 * @public
 */
export function checkRunRequest(
  input: unknown,
):
  | { ok: true; request: ShapedRunRequest }
  | { ok: false; errors: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ field: '/', message: 'must be a JSON object' }],
    };
  }
  const request = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const kind = request.kind as CreateRunKind;
  if (!CREATE_RUN_KINDS.includes(kind)) {
    errors.push({
      field: '/kind',
      message: `must be one of ${CREATE_RUN_KINDS.map(k => `"${k}"`).join(
        ', ',
      )}`,
    });
  }
  const nameProblem = validateResourceName(request.name);
  if (nameProblem) {
    errors.push({ field: '/name', message: nameProblem });
  }
  const owner = parseOwnerRef(request.owner);
  if (!owner.ok) {
    errors.push({ field: '/owner', message: owner.message });
  }
  if (kind === 'component') {
    const systemProblem = validateResourceName(request.system);
    if (systemProblem) {
      errors.push({
        field: '/system',
        message: `${systemProblem} (a component belongs to a system)`,
      });
    } else if (request.system === request.name) {
      errors.push({
        field: '/name',
        message: `must differ from the system name: the repository ${request.system}/${request.system} belongs to the system itself`,
      });
    }
  } else if (kind === 'system' && request.system !== undefined) {
    errors.push({
      field: '/system',
      message: 'must not be set when kind is "system"',
    });
  }
  if (typeof request.blueprint !== 'string' || !request.blueprint) {
    errors.push({
      field: '/blueprint',
      message: 'is required: the name of a blueprint (GET /blueprints)',
    });
  }
  if (request.environment !== undefined) {
    const problem = validateResourceName(request.environment);
    if (problem) {
      errors.push({ field: '/environment', message: problem });
    }
  }
  if (
    request.version !== undefined &&
    (typeof request.version !== 'string' || !request.version)
  ) {
    errors.push({
      field: '/version',
      message:
        'must be a non-empty version string, or be left out for the latest version',
    });
  }
  if (request.values === undefined) {
    errors.push({
      field: '/values',
      message: 'is required (use {} when the blueprint has no parameters)',
    });
  }
  if (errors.length || !owner.ok) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    request: {
      kind,
      name: request.name as string,
      owner: owner.ref,
      ...(kind === 'component' ? { system: request.system as string } : {}),
      blueprint: request.blueprint as string,
      ...(request.version !== undefined
        ? { version: request.version as string }
        : {}),
      ...(request.environment !== undefined
        ? { environment: request.environment as string }
        : {}),
      values: request.values,
    },
  };
}
