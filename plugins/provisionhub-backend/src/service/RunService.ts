import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import {
  CreateRunKind,
  DECOMMISSION_STEPS,
  DEPLOY_STEP_TYPE,
  JobMessage,
  PROMOTE_STEPS,
  PolicyDecision,
  RunRequestedMessage,
  UPGRADE_STEPS,
  describePolicyDecision,
  planRunSteps,
} from '@provisionhub/plugin-provisionhub-common';
import type { RetryOptions } from '@provisionhub/plugin-provisionhub-node';
import { randomUUID } from 'node:crypto';
import type { RunRecord, RunStore } from '../database/RunStore';
import { isRedrivable } from './deadLetterView';
import type { Approver } from '../policy/approvals';
import type { OrgDirectory } from '../policy/OrgDirectory';
import type { Requester, RequestPolicy } from '../policy/RequestPolicy';
import type { AnyRequest } from './RouteAuthorizer';
import {
  RunRequestValidator,
  ValidatedRunRequest,
  entityRefFor,
  isValidationError,
} from './RunRequestValidator';
import type { RunTransitions } from './RunTransitions';
import type { UpgradeValidator, ValidatedUpgrade } from './UpgradeValidator';
import type {
  DecommissionValidator,
  ValidatedDecommission,
} from './DecommissionValidator';
import type { GitopsDeployments } from '../environments/GitopsDeployments';
import type { PromoteValidator, ValidatedPromotion } from './PromoteValidator';

type ValidatedAny =
  | ValidatedRunRequest
  | ValidatedUpgrade
  | ValidatedDecommission
  | ValidatedPromotion;

/**
 * Who asked for a change: a user or service ref, their credentials and the HTTP request when it
 * came through REST (for permission checks and the audit log).
 * @internal
 */
export interface ActionContext {
  actor: string;
  credentials?: BackstageCredentials;
  request?: AnyRequest;
  /** Whether the caller holds `provisionhub.admin`, when the route already asked. */
  isAdmin?: boolean;
}

/**
 * The run lifecycle the control plane drives itself: accepting requests under policy,
 * approvals, cancel, retry, expiry and dead letters. Status changes go through
 * {@link RunTransitions}; this service validates, asks policy and audits.
 * @internal
 */
export class RunService {
  readonly #store: RunStore;
  readonly #validator: RunRequestValidator;
  readonly #upgrades: UpgradeValidator;
  readonly #decommissions: DecommissionValidator;
  readonly #promotions: PromoteValidator;
  readonly #deployments: GitopsDeployments;
  readonly #policy: RequestPolicy;
  readonly #directory: OrgDirectory;
  readonly #transitions: RunTransitions;
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;
  readonly #retry: RetryOptions;

  constructor(options: {
    store: RunStore;
    validator: RunRequestValidator;
    upgrades: UpgradeValidator;
    decommissions: DecommissionValidator;
    promotions: PromoteValidator;
    deployments: GitopsDeployments;
    policy: RequestPolicy;
    directory: OrgDirectory;
    transitions: RunTransitions;
    auditor: AuditorService;
    logger: LoggerService;
    retry: RetryOptions;
  }) {
    this.#store = options.store;
    this.#validator = options.validator;
    this.#upgrades = options.upgrades;
    this.#decommissions = options.decommissions;
    this.#promotions = options.promotions;
    this.#deployments = options.deployments;
    this.#policy = options.policy;
    this.#directory = options.directory;
    this.#transitions = options.transitions;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
    this.#retry = options.retry;
  }

  /**
   * A request from the REST API: invalid input throws and stores nothing; a request policy
   * denies throws NotAllowedError with the rules' reasons.
   */
  async requestRun(input: unknown, context: ActionContext): Promise<RunRecord> {
    return this.#requestFromRest('request', {}, context, () =>
      this.#validator.validate(input),
    );
  }

  /**
   * `POST /components/{name}/upgrade`: an `upgrade` run of a provisioned component, under the
   * same policy, approvals and audit as a request to create one.
   */
  async requestUpgrade(
    name: string,
    input: unknown,
    context: ActionContext,
  ): Promise<RunRecord> {
    return this.#requestFromRest('upgrade', { upgrade: name }, context, runId =>
      this.#upgrades.validate(name, input, runId),
    );
  }

  /**
   * `POST /components/{name}/decommission` and `POST /systems/{name}/decommission`: a
   * `decommission` run of a provisioned entity, under the same policy (rules see kind
   * `decommission`), approvals and audit as any run.
   */
  async requestDecommission(
    target: CreateRunKind,
    name: string,
    input: unknown,
    context: ActionContext,
  ): Promise<RunRecord> {
    return this.#requestFromRest(
      'decommission',
      { decommission: `${target}:${name}` },
      context,
      () => this.#decommissions.validate(target, name, input),
    );
  }

  /**
   * `POST /components/{name}/promote`: a `promote` run that writes the version of one
   * environment into the next one's overlay in the GitOps repository. Policy rules see the
   * target as the run's environment, so promotions into production can need approvals.
   */
  async requestPromotion(
    name: string,
    input: unknown,
    context: ActionContext,
  ): Promise<RunRecord> {
    return this.#requestFromRest(
      'promotion',
      { promote: `component:${name}` },
      context,
      () => this.#promotions.validate(name, input),
    );
  }

  /** Every REST door: validated, then policy (deny throws), then stored, all audited. */
  async #requestFromRest(
    what: string,
    meta: JsonObject,
    context: ActionContext,
    validate: (runId: string) => Promise<ValidatedAny>,
  ): Promise<RunRecord> {
    return this.#audited(
      'run-request',
      context,
      { source: 'rest', ...meta },
      async () => {
        const runId = randomUUID();
        const validated = await validate(runId);
        const policy = await this.#policy.decide(validated, {
          ref: context.actor,
          credentials: context.credentials,
          isAdmin: context.isAdmin,
        });
        if (policy.decision === 'deny') {
          throw new NotAllowedError(
            `policy denies this ${what}: ${describePolicyDecision(policy)}`,
          );
        }
        return this.#create(validated, policy, {
          runId,
          requestedAt: new Date().toISOString(),
          actor: context.actor,
          source: 'rest',
        });
      },
    );
  }

  /** What policy would decide for the caller's request; stores nothing. */
  async evaluatePolicy(
    input: unknown,
    requester: Requester,
  ): Promise<PolicyDecision> {
    const validated = await this.#validator.validate(input, {
      forDryRun: true,
    });
    return this.#policy.decide(validated, requester);
  }

  /**
   * A request from the requests queue. A run id seen before is a duplicate delivery and is
   * ignored; a request that fails validation or that policy denies is stored as a `rejected`
   * run with the reason. Infrastructure failures throw, so the delivery is retried.
   */
  async handleRequestedMessage(
    message: RunRequestedMessage,
  ): Promise<RunRecord | undefined> {
    if (await this.#store.getRun(message.runId)) {
      this.#logger.debug(
        `Run ${message.runId} was already requested; ignoring the duplicate`,
      );
      return undefined;
    }
    const source = message.source
      ? `${message.source.type}${
          message.source.id ? `:${message.source.id}` : ''
        }`
      : 'queue';
    const context = { actor: message.requestedBy };
    return this.#audited(
      'run-request',
      context,
      { runId: message.runId, source },
      async () => {
        let validated: ValidatedRunRequest;
        try {
          validated = await this.#validator.validate(message.request);
        } catch (error) {
          if (!isValidationError(error)) {
            throw error;
          }
          return this.#storeRejected(message, source, error.message);
        }
        const policy = await this.#policy.decide(validated, {
          ref: message.requestedBy,
          isAdmin: message.requesterIsAdmin,
        });
        if (policy.decision === 'deny') {
          return this.#storeRejected(
            message,
            source,
            `policy denies this request: ${describePolicyDecision(policy)}`,
            policy,
          );
        }
        return this.#create(validated, policy, {
          runId: message.runId,
          requestedAt: message.requestedAt,
          actor: message.requestedBy,
          source,
        });
      },
    );
  }

  async cancel(runId: string, context: ActionContext): Promise<RunRecord> {
    return this.#audited('run-cancel', context, { runId }, () =>
      this.#transitions.cancel(runId, context.actor),
    );
  }

  async retry(runId: string, context: ActionContext): Promise<RunRecord> {
    return this.#audited('run-retry', context, { runId }, async () => {
      await this.#assertNoOtherActiveRun(runId, 'retried');
      return this.#transitions.retry(runId, context.actor);
    });
  }

  /**
   * Re-drives a dead-lettered job: its run is retried (the same checks as a retry) and the dead
   * letter removed, in one transaction.
   * @throws NotFoundError for an unknown dead letter; ConflictError for one that is not a job
   */
  async redrive(
    deadLetterId: string,
    context: ActionContext,
  ): Promise<RunRecord> {
    return this.#audited(
      'dead-letter-redrive',
      context,
      { deadLetterId },
      async () => {
        const deadLetter = await this.#store.getDeadLetter(deadLetterId);
        if (!deadLetter) {
          throw new NotFoundError(`dead letter ${deadLetterId} does not exist`);
        }
        if (!isRedrivable(deadLetter)) {
          throw new ConflictError(
            `dead letter ${deadLetterId} is ${
              deadLetter.valid
                ? `a ${deadLetter.kind} message`
                : 'not a valid ProvisionHub message'
            }; only jobs of a run can be re-driven, purge it instead`,
          );
        }
        const runId = deadLetter.runId!;
        await this.#assertNoOtherActiveRun(runId, 're-driven');
        return this.#transitions.redrive(
          { id: deadLetterId, runId },
          context.actor,
        );
      },
    );
  }

  /** Deletes the given dead letters, or every one without `ids`. */
  purgeDeadLetters(
    ids: string[] | undefined,
    context: ActionContext,
  ): Promise<number> {
    return this.#audited(
      'dead-letter-purge',
      context,
      { deadLetterIds: ids ?? 'all' },
      () => this.#store.purgeDeadLetters(ids),
      purged => ({ purged }),
    );
  }

  /**
   * Retries or fails `running` runs without a change for `timeoutMs` (a scheduled task).
   * @returns how many were recovered
   */
  async recoverStuckRuns(timeoutMs: number, now = new Date()): Promise<number> {
    const stale = await this.#store.listStaleRunningRuns(
      new Date(now.getTime() - timeoutMs).toISOString(),
      100,
    );
    let recovered = 0;
    for (const runId of stale) {
      const outcome = await this.#transitions.recoverStuck(
        runId,
        timeoutMs,
        now,
      );
      if (outcome) {
        recovered++;
        this.#logger.warn(
          `Run ${runId} made no progress for ${timeoutMs} ms: ${
            outcome === 'retried' ? 'queued as its next attempt' : 'failed'
          }`,
        );
      }
    }
    return recovered;
  }

  async approve(
    runId: string,
    context: ActionContext,
    comment?: string,
  ): Promise<RunRecord> {
    return this.#audited('run-approve', context, { runId }, async () => {
      await this.#failIfExpired(runId);
      return this.#transitions.approve(
        runId,
        await this.approver(context),
        comment?.trim() || undefined,
      );
    });
  }

  async reject(
    runId: string,
    context: ActionContext,
    reason: string,
  ): Promise<RunRecord> {
    return this.#audited('run-reject', context, { runId }, async () => {
      await this.#failIfExpired(runId);
      return this.#transitions.reject(
        runId,
        await this.approver(context),
        reason?.trim(),
      );
    });
  }

  /** The caller as an approver: their ref and groups. */
  async approver(context: ActionContext): Promise<Approver> {
    return {
      ref: context.actor,
      groups: await this.#directory.groupsOf(
        context.actor,
        context.credentials,
      ),
    };
  }

  /**
   * Rejects the runs whose wait for approval ended (a scheduled task).
   * @returns how many were rejected
   */
  async expireApprovals(now = new Date()): Promise<number> {
    let expired = 0;
    const due = await this.#store.listExpiredApprovals(now.toISOString(), 100);
    for (const runId of due) {
      if (await this.#transitions.expire(runId, now)) {
        expired++;
        this.#logger.info(`Run ${runId} was rejected: its approval expired`);
      }
    }
    return expired;
  }

  /**
   * A job reached the dead-letter exchange (delivery limit, or the worker gave up): the run of
   * that attempt fails, marked dead-lettered and retryable.
   */
  async failDeadLetteredJob(
    job: JobMessage,
    reason: string,
  ): Promise<RunRecord | undefined> {
    const context = { actor: 'system:dead-letter' };
    return this.#audited(
      'run-dead-letter',
      context,
      { runId: job.runId },
      async () => {
        try {
          return await this.#transitions.failDeadLettered(
            job.runId,
            job.attempt,
            reason,
          );
        } catch (error) {
          if (error instanceof NotFoundError) {
            this.#logger.warn(
              `Dead-lettered job of unknown run ${job.runId}: ${reason}`,
            );
            return undefined;
          }
          throw error;
        }
      },
    );
  }

  /** A retry must not start a second active run of the same entity. */
  async #assertNoOtherActiveRun(runId: string, what: string) {
    const current = await this.#store.getRun(runId);
    // Day-2 runs share their entity's name by design; creating them checked for other runs.
    if (
      !current ||
      current.kind === 'upgrade' ||
      current.kind === 'decommission' ||
      current.kind === 'promote'
    ) {
      return;
    }
    const conflict = await this.#store.findNameConflict(
      current.kind,
      current.name,
      current.entityRef,
    );
    if (conflict && !conflict.includes(runId)) {
      throw new ConflictError(`run ${runId} cannot be ${what}: ${conflict}`);
    }
  }

  async #failIfExpired(runId: string) {
    const expired = await this.#transitions.expire(runId).catch(error => {
      if (error instanceof NotFoundError) {
        return false; // the action that follows says so
      }
      throw error;
    });
    if (expired) {
      throw new ConflictError(
        `run ${runId} waited too long for approval and was rejected; the requester can ask again`,
      );
    }
  }

  async #create(
    validated: ValidatedAny,
    policy: PolicyDecision,
    options: {
      runId: string;
      requestedAt: string;
      actor: string;
      source: string;
    },
  ): Promise<RunRecord> {
    const now = new Date().toISOString();
    const { blueprint } = validated;
    const upgrade =
      validated.kind === 'upgrade' ? validated.upgrade : undefined;
    const decommission =
      validated.kind === 'decommission' ? validated.decommission : undefined;
    const deploy = this.#deploymentOf(validated);
    const status =
      policy.decision === 'require-approval' ? 'awaiting_approval' : 'queued';
    const run: RunRecord = {
      id: options.runId,
      kind: validated.kind,
      name: validated.name,
      owner: validated.owner,
      system: validated.system,
      entityRef: validated.entityRef,
      ...(validated.environment ? { environment: validated.environment } : {}),
      requestedBy: options.actor,
      source: options.source,
      blueprint: {
        name: blueprint.name,
        version: blueprint.version,
        digest: validated.digest,
      },
      blueprintJob: {
        name: blueprint.name,
        version: blueprint.version,
        type: blueprint.type,
        digest: validated.digest,
        files: blueprint.files,
        // An upgrade only proposes files and a decommission archives: the blueprint's own
        // steps (e.g. gitops) are not run.
        steps: upgrade || decommission ? [] : blueprint.steps,
        catalogInfoPath: blueprint.catalogInfoPath,
        lifecycle: blueprint.lifecycle,
      },
      values: validated.values,
      ...(upgrade ? { upgrade } : {}),
      ...(decommission ? { decommission } : {}),
      ...(deploy ? { deploy } : {}),
      status,
      policy,
      attempt: 1,
      maxAttempt: this.#retry.maxAttempts,
      eventCursor: { attempt: 0, delivery: 0, seq: 0 },
      lastLogSeq: 0,
      requestedAt: options.requestedAt,
      createdAt: now,
      updatedAt: now,
    };
    try {
      return await this.#transitions.create(run, plannedSteps(validated), {
        requested: {
          status: 'requested',
          at: now,
          actor: options.actor,
          reason: `via ${options.source}`,
        },
        decided: {
          status,
          at: now,
          actor: 'system:policy',
          reason: describePolicyDecision(policy),
        },
      });
    } catch (error) {
      if (this.#store.isActiveRunConflict(error)) {
        throw new ConflictError(
          upgrade || decommission || validated.kind === 'promote'
            ? `another run of ${run.entityRef} is not finished yet; wait for it (GET /runs?entityRef=${run.entityRef}) and ask again`
            : `name '${run.name}' is taken (field /name): another run is already provisioning ${run.entityRef}; choose another name`,
        );
      }
      throw error;
    }
  }

  /** What the run writes to the GitOps repository: promotions, and blueprints with a deploy step. */
  #deploymentOf(validated: ValidatedAny) {
    if (validated.kind === 'promote') {
      return validated.deploy;
    }
    const creates =
      validated.kind === 'system' || validated.kind === 'component';
    return creates &&
      validated.blueprint.steps.some(step => step.type === DEPLOY_STEP_TYPE)
      ? this.#deployments.forEntity(validated)
      : undefined;
  }

  async #storeRejected(
    message: RunRequestedMessage,
    source: string,
    reason: string,
    policy?: PolicyDecision,
  ) {
    const now = new Date().toISOString();
    const { request } = message;
    // The request may be arbitrarily wrong; keep what fits the columns so the reason is stored.
    const fit = (text: string | undefined, max = 255) => text?.slice(0, max);
    const run: RunRecord = {
      id: message.runId,
      kind: request.kind,
      name: fit(request.name)!,
      owner: fit(request.owner)!,
      system: fit(request.system),
      entityRef: fit(entityRefFor(request.kind, request.name))!,
      ...(request.environment
        ? { environment: fit(request.environment, 63) }
        : {}),
      requestedBy: fit(message.requestedBy)!,
      source: fit(source),
      blueprint: {
        name: fit(request.blueprint)!,
        version: fit(request.version, 64) ?? '',
        digest: '',
      },
      values: request.values,
      status: 'rejected',
      rejectionReason: reason,
      ...(policy ? { policy } : {}),
      attempt: 1,
      maxAttempt: 1,
      eventCursor: { attempt: 0, delivery: 0, seq: 0 },
      lastLogSeq: 0,
      requestedAt: message.requestedAt,
      createdAt: now,
      updatedAt: now,
      finishedAt: now,
    };
    const stored = await this.#transitions.create(run, [], {
      requested: {
        status: 'requested',
        at: now,
        actor: message.requestedBy,
        reason: `via ${source}`,
      },
      decided: {
        status: 'rejected',
        at: now,
        actor: policy ? 'system:policy' : 'system:validation',
        reason,
      },
    });
    this.#logger.info(
      `Rejected run ${run.id} requested by ${message.requestedBy}: ${reason}`,
    );
    return stored;
  }

  async #audited<T>(
    eventId: string,
    context: ActionContext,
    meta: JsonObject,
    action: () => Promise<T>,
    outcome: (result: T) => JsonObject = runOutcome,
  ): Promise<T> {
    const event = await this.#auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: context.request,
      meta: { ...meta, actor: context.actor },
    });
    try {
      const result = await action();
      await event.success({ meta: outcome(result) });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}

/** The steps a new run starts with, by its kind. */
function plannedSteps(
  validated: ValidatedAny,
): Array<{ id: string; title: string }> {
  if (validated.kind === 'promote') {
    return [...PROMOTE_STEPS];
  }
  if (validated.kind === 'upgrade') {
    return [...UPGRADE_STEPS];
  }
  if (validated.kind === 'decommission') {
    return [...DECOMMISSION_STEPS];
  }
  return planRunSteps(validated.blueprint.steps);
}

function runOutcome(run: unknown): JsonObject {
  const record = run as RunRecord | undefined;
  return record ? { runId: record.id, status: record.status } : {};
}
