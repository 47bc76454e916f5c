import type { z as zod } from 'zod/v3';
import {
  MAX_RESOURCE_NAME_LENGTH,
  CreateRunKind,
} from '@provisionhub/plugin-provisionhub-common';
import { DEFAULT_TIMEOUT_MINUTES, MAX_TIMEOUT_MINUTES } from '../lib/defaults';

type Z = typeof zod;

/**
 * Input fields shared by the waiting actions.
 */
export const waitInput = {
  timeoutMinutes: (z: Z) =>
    z
      .number()
      .positive()
      .max(MAX_TIMEOUT_MINUTES)
      .optional()
      .describe(
        `How long to wait for the run to end, in minutes (default ${DEFAULT_TIMEOUT_MINUTES}, at most ${MAX_TIMEOUT_MINUTES}). The time spent waiting for an approval counts. When it passes, the step fails but the run keeps going.`,
      ),
};

/**
 * The inputs of `provisionhub:system:create` and `provisionhub:component:create`.
 * Only the JSON types are checked here; names, the blueprint and the values are checked by the
 * handler so that the error names the field and the rule it breaks.
 */
export function runRequestInput(kind: CreateRunKind) {
  return {
    name: (z: Z) =>
      z
        .string()
        .describe(
          `Name of the new ${kind}: 2 to ${MAX_RESOURCE_NAME_LENGTH} lowercase letters, digits and hyphens, starting with a letter or digit and not ending with a hyphen. It becomes the repository name and the catalog entity name.`,
        ),
    owner: (z: Z) =>
      z
        .string()
        .describe(
          `Entity ref of the group or user that will own the ${kind}, e.g. group:default/payments (OwnerPicker returns this form; a bare name means a group in the default namespace).`,
        ),
    blueprint: (z: Z) =>
      z
        .string()
        .describe(
          kind === 'system'
            ? 'Name of a blueprint of type system, e.g. system. `name@version` pins a version too.'
            : 'Name of a component blueprint, e.g. node-backend. `name@version` pins a version too.',
        ),
    version: (z: Z) =>
      z
        .string()
        .optional()
        .describe(
          'Exact blueprint version, e.g. 1.1.0. The latest version when absent; the version used is pinned in the request either way.',
        ),
    values: (z: Z) =>
      z
        .record(z.any())
        .optional()
        .describe(
          "Values for the blueprint's own parameters; they must pass the blueprint's JSON Schema (defaults are filled in by the control plane).",
        ),
    wait: (z: Z) =>
      z
        .boolean()
        .optional()
        .describe(
          'Follow the run until it ends, streaming its steps and logs into the task log (like provisionhub:run:wait). Defaults to false: the step ends once the request is queued.',
        ),
    ...waitInput,
  };
}

/**
 * The system a component belongs to; EntityPicker returns it as an entity ref.
 */
export const componentSystemInput = {
  system: (z: Z) =>
    z
      .string()
      .describe(
        'The system the component belongs to: an entity ref such as system:default/payments (what EntityPicker returns) or the plain system name.',
      ),
};

/**
 * Outputs of a run that was followed to its end.
 */
export const runResultOutput = {
  runId: (z: Z) => z.string().describe('Identifier of the provisioning run.'),
  runUrl: (z: Z) =>
    z.string().describe("Link to the run's page in ProvisionHub."),
  status: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Final status of the run (succeeded), when the step waited for it.',
      ),
  repoUrl: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'URL of the created repository, when the step waited for the run.',
      ),
  entityRef: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Ref of the created catalog entity, when the step waited for the run.',
      ),
};

/**
 * Outputs of the create actions: the run outputs plus what a dry run reports.
 */
export const runRequestOutput = {
  ...runResultOutput,
  runId: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Identifier of the requested provisioning run (absent in a dry run).',
      ),
  runUrl: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        "Link to the run's page in ProvisionHub (absent in a dry run).",
      ),
  repositoryPath: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Dry run only: where the repository would be created, relative to the Git provider base.',
      ),
  files: (z: Z) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Dry run only: the paths of the files the blueprint would create.',
      ),
};
