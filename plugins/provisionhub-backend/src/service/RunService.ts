import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import {
  JobMessage,
  RunRequestedMessage,
  RunStatus,
  planRunSteps,
} from '@provisionhub/plugin-provisionhub-common';
import type { RetryOptions } from '@provisionhub/plugin-provisionhub-node';
import { randomUUID } from 'node:crypto';
import type {
  OutboxEntry,
  RunPatch,
  RunRecord,
  RunStore,
  RunStoreTransaction,
} from '../database/RunStore';
import type { ApprovalPolicy } from './ApprovalPolicy';
import type { AnyRequest } from './RouteAuthorizer';
import { buildJobMessage } from './jobs';
import type { OutboxRelay } from './OutboxRelay';
import type { RunNotifier } from './RunNotifier';
import {
  RunRequestValidator,
  ValidatedRunRequest,
  entityRefFor,
  isValidationError,
} from './RunRequestValidator';

/**
 * Who asked for a change: a user or service ref, and the HTTP request when it came through REST
 * (for the audit log).
 * @internal
 */
export interface ActionContext {
  actor: string;
  request?: AnyRequest;
}

/** @internal */
export const CANCELLABLE_STATUSES: RunStatus[] = [
  'queued',
  'awaiting_approval',
  'running',
];
/** @internal */
export const RETRYABLE_STATUSES: RunStatus[] = ['failed', 'cancelled'];

/**
 * The run lifecycle the control plane drives itself: accepting requests, approvals, cancel,
 * retry and dead letters. Every change is one transaction (with its outbox message), then
 * published, signalled and audited.
 * @internal
 */
export class RunService {
  readonly #store: RunStore;
  readonly #validator: RunRequestValidator;
  readonly #policy: ApprovalPolicy;
  readonly #relay: OutboxRelay;
  readonly #notifier: RunNotifier;
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;
  readonly #retry: RetryOptions;

  constructor(options: {
    store: RunStore;
    validator: RunRequestValidator;
    policy: ApprovalPolicy;
    relay: OutboxRelay;
    notifier: RunNotifier;
    auditor: AuditorService;
    logger: LoggerService;
    retry: RetryOptions;
  }) {
    this.#store = options.store;
    this.#validator = options.validator;
    this.#policy = options.policy;
    this.#relay = options.relay;
    this.#notifier = options.notifier;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
    this.#retry = options.retry;
  }

  /** A request from the REST API: invalid input throws and stores nothing. */
  async requestRun(input: unknown, context: ActionContext): Promise<RunRecord> {
    return this.#audited(
      'run-request',
      context,
      { source: 'rest' },
      async () => {
        const validated = await this.#validator.validate(input);
        return this.#create(validated, {
          runId: randomUUID(),
          requestedAt: new Date().toISOString(),
          actor: context.actor,
          source: 'rest',
        });
      },
    );
  }

  /**
   * A request from the requests queue. A run id seen before is a duplicate delivery and is
   * ignored; a request that fails validation is stored as a `rejected` run with the reason.
   * Infrastructure failures throw, so the delivery is retried.
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
        const create = {
          runId: message.runId,
          requestedAt: message.requestedAt,
          actor: message.requestedBy,
          source,
        };
        try {
          return await this.#create(
            await this.#validator.validate(message.request),
            create,
          );
        } catch (error) {
          if (!isValidationError(error)) {
            throw error;
          }
          return this.#storeRejected(message, source, error.message);
        }
      },
    );
  }

  async cancel(runId: string, context: ActionContext): Promise<RunRecord> {
    return this.#audited('run-cancel', context, { runId }, () =>
      this.#change(
        runId,
        async (tx, run, now) => {
          if (!CANCELLABLE_STATUSES.includes(run.status)) {
            throw new ConflictError(
              `run ${runId} is ${run.status}; only ${CANCELLABLE_STATUSES.join(
                ', ',
              )} runs can be cancelled`,
            );
          }
          await tx.cancelOpenSteps(runId, now);
          const wasRunning = run.status === 'running';
          return {
            patch: { status: 'cancelled', finishedAt: now },
            reason: wasRunning
              ? 'cancelled while running; workers were told to stop'
              : 'cancelled before it started',
            // A queued job is stopped when its worker reports run.started (see RunEventApplier).
            outbox: wasRunning
              ? [
                  {
                    topic: 'run.cancel',
                    payload: { kind: 'run.cancel', version: 1, runId },
                  },
                ]
              : [],
          };
        },
        context,
      ),
    );
  }

  async retry(runId: string, context: ActionContext): Promise<RunRecord> {
    return this.#audited('run-retry', context, { runId }, async () => {
      const current = await this.#store.getRun(runId);
      if (current) {
        const conflict = await this.#store.findNameConflict(
          current.kind,
          current.name,
          current.entityRef,
        );
        if (conflict && !conflict.includes(runId)) {
          throw new ConflictError(
            `run ${runId} cannot be retried: ${conflict}`,
          );
        }
      }
      return this.#change(
        runId,
        async (tx, run) => {
          if (!RETRYABLE_STATUSES.includes(run.status) || !run.blueprintJob) {
            throw new ConflictError(
              `run ${runId} is ${run.status}; only ${RETRYABLE_STATUSES.join(
                ' or ',
              )} runs can be retried`,
            );
          }
          await tx.resetUnfinishedSteps(runId);
          const attempt = run.attempt + 1;
          const maxAttempt = attempt + this.#retry.maxAttempts - 1;
          const next: RunRecord = { ...run, attempt, maxAttempt };
          return {
            patch: {
              status: 'queued',
              attempt,
              maxAttempt,
              error: null,
              finishedAt: null,
            },
            reason: `retried as attempt ${attempt}; resumes at the first unfinished step`,
            outbox: [{ topic: 'job', payload: buildJobMessage(next) }],
          };
        },
        context,
      );
    });
  }

  async approve(
    runId: string,
    context: ActionContext,
    comment?: string,
  ): Promise<RunRecord> {
    return this.#audited('run-approve', context, { runId }, () =>
      this.#change(
        runId,
        async (_tx, run) => {
          assertAwaitingApproval(run);
          return {
            patch: { status: 'queued' },
            reason: comment ? `approved: ${comment}` : 'approved',
            outbox: [{ topic: 'job', payload: buildJobMessage(run) }],
          };
        },
        context,
      ),
    );
  }

  async reject(
    runId: string,
    context: ActionContext,
    reason: string,
  ): Promise<RunRecord> {
    if (!reason?.trim()) {
      throw new InputError(
        'reason is required (field /reason): tell the requester why the run was rejected',
      );
    }
    return this.#audited('run-reject', context, { runId }, () =>
      this.#change(
        runId,
        async (tx, run, now) => {
          assertAwaitingApproval(run);
          await tx.cancelOpenSteps(runId, now);
          return {
            patch: {
              status: 'rejected',
              rejectionReason: reason,
              finishedAt: now,
            },
            reason,
            outbox: [],
          };
        },
        context,
      ),
    );
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
          return await this.#change(
            job.runId,
            async (_tx, run) => {
              if (
                run.attempt !== job.attempt ||
                !['queued', 'running', 'failed'].includes(run.status)
              ) {
                return undefined;
              }
              return {
                patch: {
                  status: 'failed',
                  finishedAt: run.finishedAt ?? new Date().toISOString(),
                  error: {
                    message:
                      run.error?.message ??
                      `the job was dead-lettered: ${reason}`,
                    step: run.error?.step,
                    retryable: true,
                    deadLettered: true,
                  },
                },
                reason: `dead-lettered: ${reason}`,
                outbox: [],
              };
            },
            context,
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

  async #create(
    validated: ValidatedRunRequest,
    options: {
      runId: string;
      requestedAt: string;
      actor: string;
      source: string;
    },
  ): Promise<RunRecord> {
    const now = new Date().toISOString();
    const decision = this.#policy.decide({
      blueprint: validated.blueprint,
      owner: validated.owner,
    });
    const { blueprint } = validated;
    const run: RunRecord = {
      id: options.runId,
      kind: validated.kind,
      name: validated.name,
      owner: validated.owner,
      system: validated.system,
      entityRef: validated.entityRef,
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
        steps: blueprint.steps,
        catalogInfoPath: blueprint.catalogInfoPath,
        lifecycle: blueprint.lifecycle,
      },
      values: validated.values,
      status: decision.status,
      attempt: 1,
      maxAttempt: this.#retry.maxAttempts,
      eventCursor: { attempt: 0, delivery: 0, seq: 0 },
      lastLogSeq: 0,
      requestedAt: options.requestedAt,
      createdAt: now,
      updatedAt: now,
    };
    const outbox: OutboxEntry[] = [];
    try {
      await this.#store.transaction(async tx => {
        await tx.insertRun(run, planRunSteps(blueprint.steps));
        await tx.addTransition(
          run.id,
          {
            status: 'requested',
            at: now,
            actor: options.actor,
            reason: `via ${options.source}`,
          },
          {
            status: decision.status,
            at: now,
            actor: 'system:policy',
            reason: decision.reason,
          },
        );
        if (decision.status === 'queued') {
          outbox.push(
            await this.#enqueue(tx, run.id, 'job', buildJobMessage(run)),
          );
        }
      });
    } catch (error) {
      if (this.#store.isActiveRunConflict(error)) {
        throw new ConflictError(
          `name '${run.name}' is taken (field /name): another run is already provisioning ${run.entityRef}; choose another name`,
        );
      }
      throw error;
    }
    this.#relay.publishNow(outbox);
    void this.#notifier.runChanged(run, true);
    return run;
  }

  async #storeRejected(
    message: RunRequestedMessage,
    source: string,
    reason: string,
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
      attempt: 1,
      maxAttempt: 1,
      eventCursor: { attempt: 0, delivery: 0, seq: 0 },
      lastLogSeq: 0,
      requestedAt: message.requestedAt,
      createdAt: now,
      updatedAt: now,
      finishedAt: now,
    };
    await this.#store.transaction(async tx => {
      await tx.insertRun(run, []);
      await tx.addTransition(
        run.id,
        {
          status: 'requested',
          at: now,
          actor: message.requestedBy,
          reason: `via ${source}`,
        },
        {
          status: 'rejected',
          at: now,
          actor: 'system:validation',
          reason,
        },
      );
    });
    this.#logger.info(
      `Rejected run ${run.id} requested by ${message.requestedBy}: ${reason}`,
    );
    void this.#notifier.runChanged(run, true);
    return run;
  }

  /**
   * Locks the run, lets `decide` check it and describe the change, applies the change with its
   * history entry and outbox messages in the same transaction, then publishes and signals.
   * `decide` returning undefined means nothing to do.
   */
  async #change(
    runId: string,
    decide: (
      tx: RunStoreTransaction,
      run: RunRecord,
      now: string,
    ) => Promise<
      | {
          patch: Omit<RunPatch, 'updatedAt'> & { status: RunStatus };
          reason: string;
          outbox: Array<{ topic: OutboxEntry['topic']; payload: object }>;
        }
      | undefined
    >,
    context: ActionContext,
  ): Promise<RunRecord> {
    const outbox: OutboxEntry[] = [];
    let changed = false;
    let result: RunRecord;
    try {
      result = await this.#store.transaction(async tx => {
        const run = await tx.lockRun(runId);
        if (!run) {
          throw new NotFoundError(`run ${runId} does not exist`);
        }
        const now = new Date().toISOString();
        const change = await decide(tx, run, now);
        if (!change) {
          return run;
        }
        const patch: RunPatch = { ...change.patch, updatedAt: now };
        await tx.updateRun(runId, patch);
        await tx.addTransition(runId, {
          status: change.patch.status,
          at: now,
          actor: context.actor,
          reason: change.reason,
        });
        for (const message of change.outbox) {
          outbox.push(
            await this.#enqueue(tx, runId, message.topic, message.payload),
          );
        }
        changed = true;
        return applyPatch(run, patch);
      });
    } catch (error) {
      if (this.#store.isActiveRunConflict(error)) {
        throw new ConflictError(
          `run ${runId} cannot continue: another run is already provisioning the same entity`,
        );
      }
      throw error;
    }
    if (changed) {
      this.#relay.publishNow(outbox);
      void this.#notifier.runChanged(result, true);
    }
    return result;
  }

  async #enqueue(
    tx: RunStoreTransaction,
    runId: string,
    topic: OutboxEntry['topic'],
    payload: object,
  ): Promise<OutboxEntry> {
    const id = await tx.enqueueOutbox({
      runId,
      topic,
      payload,
      lease: this.#relay.newLease(),
    });
    return { id, runId, topic, payload, attempts: 0 };
  }

  async #audited<T extends RunRecord | undefined>(
    eventId: string,
    context: ActionContext,
    meta: JsonObject,
    action: () => Promise<T>,
  ): Promise<T> {
    const event = await this.#auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: context.request,
      meta: { ...meta, actor: context.actor },
    });
    try {
      const run = await action();
      await event.success({
        meta: run ? { runId: run.id, status: run.status } : {},
      });
      return run;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}

function assertAwaitingApproval(run: RunRecord) {
  if (run.status !== 'awaiting_approval') {
    throw new ConflictError(
      `run ${run.id} is ${run.status}; only runs awaiting approval can be approved or rejected`,
    );
  }
}

/** The run as it is after `patch`; `null` clears a field. */
export function applyPatch(run: RunRecord, patch: RunPatch): RunRecord {
  const next: Record<string, unknown> = { ...run };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete next[key];
    } else if (value !== undefined) {
      next[key] = value;
    }
  }
  return next as unknown as RunRecord;
}
