import type { z as zod } from 'zod/v3';
import {
  CREATE_RUN_KINDS,
  RUN_KINDS,
  RUN_STATUSES,
  Run,
  describePolicyDecision,
} from '@provisionhub/plugin-provisionhub-common';

type Z = typeof zod;

/** The run as the actions answer it: what an agent needs to report on it and decide what next. */
export function runOutputSchema(z: Z) {
  return z
    .object({
      id: z.string().describe('Identifier (a UUID) of the run.'),
      kind: z.enum(RUN_KINDS).describe('What the run creates or changes.'),
      name: z.string().describe('Name of the system or component.'),
      status: z
        .enum(RUN_STATUSES)
        .describe(
          'requested, awaiting_approval, queued, running, succeeded, failed, cancelled or rejected.',
        ),
      owner: z.string().describe('Entity ref of the owner.'),
      system: z
        .string()
        .optional()
        .describe('The system a component belongs to.'),
      entityRef: z
        .string()
        .describe(
          'The catalog entity the run creates, e.g. component:default/x.',
        ),
      environment: z.string().optional(),
      blueprint: z
        .object({ name: z.string(), version: z.string(), digest: z.string() })
        .describe('The blueprint version the run is pinned to.'),
      requestedBy: z.string().describe('Who asked for the run.'),
      attempt: z.number(),
      createdAt: z.string(),
      updatedAt: z.string(),
      finishedAt: z.string().optional(),
      policy: z
        .object({
          decision: z.enum(['allow', 'require-approval', 'deny']),
          explanation: z
            .string()
            .describe(
              'The decision in one sentence, naming the rules and approvers.',
            ),
        })
        .optional()
        .describe('What policy decided when the run was requested.'),
      approvals: z
        .array(
          z.object({
            approver: z.string(),
            at: z.string(),
            comment: z.string().optional(),
          }),
        )
        .optional()
        .describe('Approvals given so far.'),
      canApprove: z
        .boolean()
        .optional()
        .describe('Whether the caller may approve or reject it now.'),
      approvalBlockedReason: z
        .string()
        .optional()
        .describe('Why the caller may not approve it.'),
      rejectionReason: z.string().optional(),
      error: z
        .object({
          message: z.string(),
          step: z.string().optional(),
          retryable: z.boolean(),
          deadLettered: z.boolean(),
        })
        .optional()
        .describe('Why a failed run failed.'),
      outputs: z
        .object({
          repoUrl: z.string(),
          defaultBranch: z.string(),
          entityRef: z.string(),
          branch: z
            .string()
            .optional()
            .describe('Upgrade runs: the branch that holds the upgrade.'),
          mergeRequestUrl: z
            .string()
            .optional()
            .describe('Upgrade runs on GitLab: the merge request.'),
        })
        .optional()
        .describe(
          'What a succeeded run created (or, for an upgrade, proposed).',
        ),
      steps: z
        .array(
          z.object({
            id: z.string(),
            title: z.string(),
            status: z.string(),
            error: z.string().optional(),
          }),
        )
        .optional()
        .describe('The worker steps and their status (single-run answers).'),
      url: z.string().optional().describe("The run's page in the portal."),
    })
    .describe('A provisioning run.');
}

/** Maps a run of the REST API to {@link runOutputSchema}. */
export function toRunOutput(run: Run, runPageUrl: (runId: string) => string) {
  return {
    id: run.id,
    kind: run.kind,
    name: run.name,
    status: run.status,
    owner: run.owner,
    system: run.system,
    entityRef: run.entityRef,
    environment: run.environment,
    blueprint: run.blueprint,
    requestedBy: run.requestedBy,
    attempt: run.attempt,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
    policy: run.policy && {
      decision: run.policy.decision,
      explanation: describePolicyDecision(run.policy),
    },
    approvals: run.approvals?.map(({ approver, at, comment }) => ({
      approver,
      at,
      comment,
    })),
    canApprove: run.canApprove,
    approvalBlockedReason: run.approvalBlockedReason,
    rejectionReason: run.rejectionReason,
    error: run.error,
    outputs: run.outputs,
    steps: run.steps?.map(({ id, title, status, error }) => ({
      id,
      title,
      status,
      error,
    })),
    url: runPageUrl(run.id),
  };
}

/** The fields of a run request, as the REST API's `POST /runs` takes them. */
export function runRequestInputSchema(z: Z) {
  return z.object({
    kind: z
      .enum(CREATE_RUN_KINDS)
      .describe(
        'system: a group of components with its own repository; component: a deployable unit in a system.',
      ),
    name: z
      .string()
      .describe(
        'Name of the new system or component: lowercase letters, digits and hyphens, 2 to 63 characters.',
      ),
    owner: z
      .string()
      .describe(
        'Entity ref of the owning group (or user), e.g. group:default/payments-team; a bare name means a group.',
      ),
    system: z
      .string()
      .optional()
      .describe('Name of the system a component belongs to (components only).'),
    blueprint: z
      .string()
      .describe(
        'Blueprint name, e.g. node-backend (see provisionhub:blueprints:list).',
      ),
    version: z
      .string()
      .optional()
      .describe('Exact blueprint version; the latest one when left out.'),
    environment: z
      .string()
      .optional()
      .describe(
        'The environment the request is for, e.g. production; policy rules may match on it.',
      ),
    values: z
      .record(z.unknown())
      .optional()
      .describe(
        "Values for the blueprint's parameters (its JSON Schema is in provisionhub:blueprints:list); defaults fill the rest.",
      ),
  });
}
