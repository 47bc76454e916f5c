import type { RunKind } from './types';

/**
 * Names of systems and components become GitLab paths, repository names, catalog entity names and
 * Kubernetes object names, so they follow the strictest of those rules: a DNS label.
 */

/** @public */
export const MAX_RESOURCE_NAME_LENGTH = 63;

/**
 * Checks a system or component name and says which rule it breaks.
 *
 * @returns undefined when the name is valid, otherwise a sentence naming the rule.
 * @public
 */
export function validateResourceName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'is required';
  }
  if (name.length < 2) {
    return 'must be at least 2 characters long';
  }
  if (name.length > MAX_RESOURCE_NAME_LENGTH) {
    return `must be at most ${MAX_RESOURCE_NAME_LENGTH} characters long (it has ${name.length})`;
  }
  const bad = name.match(/[^a-z0-9-]/);
  if (bad) {
    return `may only contain lowercase letters, digits and hyphens; '${bad[0]}' is not allowed`;
  }
  if (!/^[a-z0-9]/.test(name)) {
    return 'must start with a lowercase letter or a digit';
  }
  if (name.endsWith('-')) {
    return 'must not end with a hyphen';
  }
  return undefined;
}

/**
 * Where the repository of a system or component lives, relative to the Git provider's base
 * (a GitLab group or a remote folder): `<system>/<system>` for a system, `<system>/<component>`
 * for a component (and for an upgrade of one). The system name doubles as its GitLab subgroup.
 * @public
 */
export function repositoryPathFor(run: {
  kind: RunKind;
  name: string;
  system?: string;
}): string {
  const group = run.kind === 'system' ? run.name : run.system;
  if (!group) {
    throw new Error(`a component needs a system to place its repository in`);
  }
  return `${group}/${run.name}`;
}
