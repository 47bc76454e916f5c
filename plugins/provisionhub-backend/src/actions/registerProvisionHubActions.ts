import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ResponseError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import {
  ProvisionHubApi,
  RUN_KINDS,
  RUN_STATUSES,
  blueprintReadPermission,
  runCreatePermission,
} from '@provisionhub/plugin-provisionhub-common';
import {
  runOutputSchema,
  runRequestInputSchema,
  toRunOutput,
} from './actionSchemas';

/** @internal */
export interface ProvisionHubActionsDeps {
  actionsRegistry: ActionsRegistryService;
  /**
   * The control plane's REST API as the caller of an action, so the routes' permission checks,
   * policy, ownership and approval rules apply to them exactly as to any other request.
   */
  apiFor(credentials: BackstageCredentials): ProvisionHubApi;
  /** The link to a run's page (`readRunPageUrl` of the node package). */
  runPageUrl(runId: string): string;
}

const RUN_ID_DESCRIPTION =
  'Identifier (a UUID) of the run, e.g. the id that provisionhub:runs:create answered.';

/**
 * Registers ProvisionHub's operations with Backstage's actions registry, where
 * `backstage-cli actions` and MCP clients (through `@backstage/plugin-mcp-actions-backend`)
 * find them: `provisionhub:runs:create`, `:runs:get`, `:runs:list`, `:runs:approve` and
 * `:blueprints:list`.
 * @internal
 */
export function registerProvisionHubActions(deps: ProvisionHubActionsDeps) {
  const { actionsRegistry, apiFor: api, runPageUrl } = deps;

  actionsRegistry.register({
    name: 'runs:create',
    title: 'Request a system or component',
    description:
      'Asks ProvisionHub for a new system or component built from a blueprint. The control plane validates the request, applies policy (it may be denied with the reason, or wait for approval) and queues it for a worker, which creates the Git repository; follow it with provisionhub:runs:get. Acts as the caller: their permissions and ownership apply.',
    visibilityPermission: runCreatePermission,
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: runRequestInputSchema,
      output: z => z.object({ run: runOutputSchema(z) }),
    },
    examples: [
      {
        title: 'Request a Node.js backend in the payments system',
        input: {
          kind: 'component',
          name: 'payments-api',
          owner: 'group:default/payments-team',
          system: 'payments',
          blueprint: 'node-backend',
          values: { port: 8080, replicas: 2 },
        },
      },
    ],
    action: async ({ input, credentials }) =>
      answerAsTheApi(async () => {
        const run = await api(credentials).createRun({
          ...input,
          values: (input.values ?? {}) as JsonObject,
        });
        return { output: { run: toRunOutput(run, runPageUrl) } };
      }),
  });

  actionsRegistry.register({
    name: 'runs:get',
    title: 'Get a provisioning run',
    description:
      'A run with its status, policy decision, approvals, worker steps, error and, once it succeeded, the repository URL and catalog entity. canApprove says whether the caller may approve it.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ runId: z.string().describe(RUN_ID_DESCRIPTION) }),
      output: z => z.object({ run: runOutputSchema(z) }),
    },
    action: async ({ input, credentials }) =>
      answerAsTheApi(async () => {
        const run = await api(credentials).getRun(input.runId);
        return { output: { run: toRunOutput(run, runPageUrl) } };
      }),
  });

  actionsRegistry.register({
    name: 'runs:list',
    title: 'List provisioning runs',
    description:
      'Runs the caller may read, newest first, optionally filtered; pass nextCursor back as cursor for the next page.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          status: z
            .array(z.enum(RUN_STATUSES))
            .optional()
            .describe(
              'Only runs in these statuses, e.g. ["awaiting_approval"] for the approval queue.',
            ),
          kind: z.enum(RUN_KINDS).optional(),
          system: z
            .string()
            .optional()
            .describe('Only runs of this system (and its components).'),
          requestedBy: z
            .string()
            .optional()
            .describe(
              'Only runs requested by this user, e.g. user:default/ada.',
            ),
          entityRef: z
            .string()
            .optional()
            .describe('Only runs that create this entity.'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('Runs per page (default 20).'),
          cursor: z.string().optional(),
        }),
      output: z =>
        z.object({
          runs: z.array(runOutputSchema(z)),
          nextCursor: z
            .string()
            .optional()
            .describe('Present when there are more runs.'),
        }),
    },
    action: async ({ input, credentials }) =>
      answerAsTheApi(async () => {
        const page = await api(credentials).listRuns({
          ...input,
          limit: input.limit ?? 20,
        });
        return {
          output: {
            runs: page.items.map(run => toRunOutput(run, runPageUrl)),
            nextCursor: page.nextCursor,
          },
        };
      }),
  });

  actionsRegistry.register({
    name: 'runs:approve',
    title: 'Approve a run that waits for approval',
    description:
      "Approves a run in awaiting_approval. The control plane's rules apply: nobody approves their own run, an approver must belong to one of the approver groups of the policy rule, and the run is queued once every rule has its approvals.",
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          runId: z.string().describe(RUN_ID_DESCRIPTION),
          comment: z
            .string()
            .max(2000)
            .optional()
            .describe('Why it is approved; kept in the run history.'),
        }),
      output: z => z.object({ run: runOutputSchema(z) }),
    },
    action: async ({ input, credentials }) =>
      answerAsTheApi(async () => {
        const run = await api(credentials).approveRun(input.runId, {
          comment: input.comment,
        });
        return { output: { run: toRunOutput(run, runPageUrl) } };
      }),
  });

  actionsRegistry.register({
    name: 'blueprints:list',
    title: 'List blueprints',
    description:
      "The blueprints systems and components are built from, with their versions and the JSON Schema of the latest version's parameters (the values provisionhub:runs:create takes).",
    visibilityPermission: blueprintReadPermission,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          type: z
            .string()
            .optional()
            .describe(
              'Only blueprints of this type: system, backend, frontend, database, …',
            ),
        }),
      output: z =>
        z.object({
          blueprints: z.array(
            z.object({
              name: z.string(),
              type: z.string(),
              title: z.string(),
              description: z.string().optional(),
              owner: z.string(),
              latestVersion: z.string(),
              versions: z.array(z.string()).describe('Newest first.'),
              parameters: z
                .record(z.unknown())
                .describe("JSON Schema of the latest version's values."),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) =>
      answerAsTheApi(async () => {
        const client = api(credentials);
        const { items } = await client.listBlueprints({ type: input.type });
        const blueprints = await Promise.all(
          items.map(async summary => {
            const latest = await client.getBlueprintVersion(
              summary.name,
              summary.latestVersion,
            );
            return {
              name: summary.name,
              type: summary.type,
              title: summary.title,
              description: summary.description,
              owner: summary.owner,
              latestVersion: summary.latestVersion,
              versions: summary.versions,
              parameters: latest.parameters,
            };
          }),
        );
        return { output: { blueprints } };
      }),
  });
}

/**
 * Runs an action's calls so that a failure carries the control plane's own error name, message
 * and status: the registry then answers the caller as the REST API answers its callers (e.g.
 * 403 "policy denies this request: …") rather than with "Request failed with 403 Forbidden".
 */
async function answerAsTheApi<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (ResponseError.is(error)) {
      throw Object.assign(new Error(error.cause.message), {
        name: error.cause.name,
        statusCode: error.statusCode,
      });
    }
    throw error;
  }
}
