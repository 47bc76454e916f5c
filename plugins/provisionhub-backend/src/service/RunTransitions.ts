import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  DecommissionedEntityEvent,
  ProvisionedEntityEvent,
  RunStatus,
  RunTransition,
} from '@provisionhub/plugin-provisionhub-common';
import type { RetryOptions } from '@provisionhub/plugin-provisionhub-node';
import type {
  OutboxEntry,
  OutboxTopic,
  RunPatch,
  RunRecord,
  RunStore,
  RunStoreTransaction,
} from '../database/RunStore';
import {
  Approver,
  approvalBlocker,
  approvalDeadline,
  missingApprovals,
  requirementsOf,
  rulesApprovedBy,
} from '../policy/approvals';
import { buildJobMessage } from './jobs';
import type { ControlPlaneMetrics } from './ControlPlaneMetrics';
import type { OutboxRelay } from './OutboxRelay';
import type { RunNotifier } from './RunNotifier';

/** Who the history names for runs recovered by the stuck-run check. */
const STUCK_RUNS_ACTOR = 'system:stuck-runs';

/**
 * Which status may follow which. A status follows itself where a change keeps it: an approval
 * recorded while more are needed, a retry scheduled while queued, a dead letter noted on a
 * failed run.
 * @internal
 */
export const RUN_STATUS_TRANSITIONS: Readonly<
  Record<RunStatus, readonly RunStatus[]>
> = {
  requested: ['awaiting_approval', 'queued', 'rejected'],
  awaiting_approval: ['awaiting_approval', 'queued', 'rejected', 'cancelled'],
  queued: ['queued', 'running', 'succeeded', 'failed', 'cancelled'],
  running: ['queued', 'succeeded', 'failed', 'cancelled'],
  failed: ['failed', 'queued', 'awaiting_approval'],
  cancelled: ['queued', 'awaiting_approval'],
  succeeded: [],
  rejected: [],
};

/** @internal */
export function isCancellable(status: RunStatus): boolean {
  return RUN_STATUS_TRANSITIONS[status].includes('cancelled');
}

/** @internal */
export function isRetryable(run: RunRecord): boolean {
  return (
    (run.status === 'failed' || run.status === 'cancelled') &&
    Boolean(run.blueprintJob)
  );
}

/** The run as it is after `patch`; `null` clears a field. */
function applyPatch(run: RunRecord, patch: RunPatch): RunRecord {
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

/**
 * One run being changed inside a transaction: every status change is checked against
 * {@link RUN_STATUS_TRANSITIONS} and written with its history entry; outgoing messages join the
 * same transaction (outbox). Published by {@link RunTransitions.published} after commit.
 * @internal
 */
export class RunChange {
  readonly tx: RunStoreTransaction;
  readonly #relay: OutboxRelay;
  /** The status before this change; undefined for a new run. */
  readonly previousStatus?: RunStatus;
  run: RunRecord;
  statusChanged = false;
  changed = false;
  readonly outbox: OutboxEntry[] = [];
  provisioned?: ProvisionedEntityEvent;
  decommissioned?: DecommissionedEntityEvent;

  constructor(
    tx: RunStoreTransaction,
    run: RunRecord,
    relay: OutboxRelay,
    isNew = false,
  ) {
    this.tx = tx;
    this.run = run;
    this.previousStatus = isNew ? undefined : run.status;
    this.#relay = relay;
  }

  /** @throws ConflictError when the run's status cannot become `status` */
  async setStatus(
    status: RunStatus,
    change: {
      actor: string;
      reason: string;
      patch?: Omit<RunPatch, 'updatedAt' | 'status'>;
    },
  ): Promise<void> {
    const from = this.run.status;
    if (!RUN_STATUS_TRANSITIONS[from].includes(status)) {
      throw new ConflictError(
        `run ${this.run.id} is ${from} and cannot become ${status}`,
      );
    }
    const now = new Date().toISOString();
    const patch: RunPatch = { ...change.patch, status, updatedAt: now };
    await this.tx.updateRun(this.run.id, patch);
    await this.tx.addTransition(this.run.id, {
      status,
      at: now,
      actor: change.actor,
      reason: change.reason,
    });
    this.run = applyPatch(this.run, patch);
    this.statusChanged ||= status !== from;
    this.changed = true;
  }

  /** Writes fields that are not the status (event cursor, log position). */
  async patch(fields: Omit<RunPatch, 'updatedAt' | 'status'>): Promise<void> {
    const patch: RunPatch = { ...fields, updatedAt: new Date().toISOString() };
    await this.tx.updateRun(this.run.id, patch);
    this.run = applyPatch(this.run, patch);
    this.changed = true;
  }

  async enqueue(topic: OutboxTopic, payload: object): Promise<void> {
    const id = await this.tx.enqueueOutbox({
      runId: this.run.id,
      topic,
      payload,
      lease: this.#relay.newLease(),
    });
    this.outbox.push({ id, runId: this.run.id, topic, payload, attempts: 0 });
  }

  enqueueJob(): Promise<void> {
    return this.enqueue('job', buildJobMessage(this.run));
  }

  enqueueCancel(): Promise<void> {
    return this.enqueue('run.cancel', {
      kind: 'run.cancel',
      version: 1,
      runId: this.run.id,
    });
  }
}

/**
 * The one place where run statuses change: the status table, the rules for approval, expiry,
 * cancel and retry, and the change routine (lock, check, write with history and outbox, commit,
 * then publish and notify). The run service and the event applier both change runs through it.
 * @internal
 */
export class RunTransitions {
  readonly #store: RunStore;
  readonly #relay: OutboxRelay;
  readonly #notifier: RunNotifier;
  readonly #retryOptions: RetryOptions;
  readonly #metrics?: Pick<ControlPlaneMetrics, 'runChanged'>;

  constructor(options: {
    store: RunStore;
    relay: OutboxRelay;
    notifier: RunNotifier;
    retry: RetryOptions;
    metrics?: Pick<ControlPlaneMetrics, 'runChanged'>;
  }) {
    this.#store = options.store;
    this.#relay = options.relay;
    this.#notifier = options.notifier;
    this.#retryOptions = options.retry;
    this.#metrics = options.metrics;
  }

  /** For a caller that holds a transaction and has locked the run itself. */
  begin(tx: RunStoreTransaction, run: RunRecord): RunChange {
    return new RunChange(tx, run, this.#relay);
  }

  /**
   * After commit: publishes the change's messages and tells the outside world. Never waits for
   * signals, notifications or events: they are sent in the background (see RunNotifier).
   */
  published(change: RunChange): void {
    this.#relay.publishNow(change.outbox);
    this.#metrics?.runChanged(change.run, change.statusChanged);
    this.#notifier.runChanged(
      change.run,
      change.statusChanged,
      change.previousStatus,
    );
    if (change.provisioned) {
      this.#notifier.entityProvisioned(change.provisioned);
    }
    if (change.decommissioned) {
      this.#notifier.entityDecommissioned(change.decommissioned);
    }
  }

  /**
   * Locks the run in a transaction of its own, lets `decide` change it, commits, publishes.
   * @throws NotFoundError for an unknown run; whatever `decide` throws (nothing is written)
   */
  async change(
    runId: string,
    decide: (change: RunChange) => Promise<void>,
  ): Promise<RunRecord> {
    let change: RunChange;
    try {
      change = await this.#store.transaction(async tx => {
        const run = await tx.lockRun(runId);
        if (!run) {
          throw new NotFoundError(`run ${runId} does not exist`);
        }
        const started = this.begin(tx, run);
        await decide(started);
        return started;
      });
    } catch (error) {
      if (this.#store.isActiveRunConflict(error)) {
        throw new ConflictError(
          `run ${runId} cannot continue: another run is already provisioning the same entity`,
        );
      }
      throw error;
    }
    if (change.changed) {
      this.published(change);
    }
    return change.run;
  }

  /**
   * Stores a new run, `requested` and then the status policy gave it (`queued` with its job,
   * `awaiting_approval` until its deadline, or `rejected`), in one transaction.
   */
  async create(
    run: RunRecord,
    steps: Array<{ id: string; title: string }>,
    history: { requested: RunTransition; decided: RunTransition },
  ): Promise<RunRecord> {
    const stored =
      run.status === 'awaiting_approval'
        ? { ...run, approvalExpiresAt: approvalDeadline(run, run.createdAt) }
        : run;
    const change = await this.#store.transaction(async tx => {
      await tx.insertRun(stored, steps);
      await tx.addTransition(run.id, history.requested, history.decided);
      const created = new RunChange(tx, stored, this.#relay, true);
      created.statusChanged = true;
      created.changed = true;
      if (stored.status === 'queued') {
        await created.enqueueJob();
      }
      return created;
    });
    this.published(change);
    return change.run;
  }

  cancel(runId: string, actor: string): Promise<RunRecord> {
    return this.change(runId, async change => {
      const { run } = change;
      if (!isCancellable(run.status)) {
        throw new ConflictError(
          `run ${runId} is ${run.status}; only ${Object.entries(
            RUN_STATUS_TRANSITIONS,
          )
            .filter(([, next]) => next.includes('cancelled'))
            .map(([status]) => status)
            .join(', ')} runs can be cancelled`,
        );
      }
      const now = new Date().toISOString();
      await change.tx.cancelOpenSteps(runId, now);
      const wasRunning = run.status === 'running';
      await change.setStatus('cancelled', {
        actor,
        reason: wasRunning
          ? 'cancelled while running; workers were told to stop'
          : 'cancelled before it started',
        patch: { finishedAt: now },
      });
      // A queued job is stopped when its worker reports run.started (see RunEventApplier).
      if (wasRunning) {
        await change.enqueueCancel();
      }
    });
  }

  /**
   * A new attempt of a failed or cancelled run. A run whose approvals are not complete waits for
   * them again (cancel and retry never skip approval); an approved run keeps its approvals.
   */
  retry(runId: string, actor: string): Promise<RunRecord> {
    return this.change(runId, change => this.#newAttempt(change, actor));
  }

  /**
   * Re-drives a dead-lettered job: removes the dead letter and retries its run (see
   * {@link RunTransitions.retry}) in one transaction, so a dead letter is re-driven at most once
   * however many operators press the button.
   * @throws NotFoundError when the dead letter is gone (re-driven or purged meanwhile)
   */
  redrive(
    deadLetter: { id: string; runId: string },
    actor: string,
  ): Promise<RunRecord> {
    return this.change(deadLetter.runId, async change => {
      if (!(await change.tx.deleteDeadLetter(deadLetter.id))) {
        throw new NotFoundError(
          `dead letter ${deadLetter.id} does not exist (it was re-driven or purged)`,
        );
      }
      await this.#newAttempt(
        change,
        actor,
        `re-driven dead letter ${deadLetter.id}`,
      );
    });
  }

  /**
   * A `running` run with no change for `timeoutMs` (its worker vanished without a redelivery):
   * queued again as the next attempt while attempts remain, otherwise failed (retryable), with
   * the reason "no progress for …". A run that changed meanwhile is left alone.
   * @returns what was done, or undefined when the run was not stuck after all
   */
  async recoverStuck(
    runId: string,
    timeoutMs: number,
    now = new Date(),
  ): Promise<'retried' | 'failed' | undefined> {
    let outcome: 'retried' | 'failed' | undefined;
    await this.change(runId, async change => {
      const { run } = change;
      if (
        run.status !== 'running' ||
        Date.parse(run.updatedAt) > now.getTime() - timeoutMs
      ) {
        return;
      }
      const reason = `no progress for ${describeDuration(timeoutMs)}`;
      const at = now.toISOString();
      if (run.attempt < run.maxAttempt) {
        const attempt = run.attempt + 1;
        await change.tx.resetUnfinishedSteps(runId);
        await change.setStatus('queued', {
          actor: STUCK_RUNS_ACTOR,
          reason: `${reason}; attempt ${attempt} of ${run.maxAttempt} resumes at the first unfinished step`,
          patch: { attempt },
        });
        await change.enqueueJob();
        outcome = 'retried';
        return;
      }
      await change.tx.failRunningSteps(runId, at, reason);
      await change.setStatus('failed', {
        actor: STUCK_RUNS_ACTOR,
        reason,
        patch: {
          finishedAt: at,
          error: { message: reason, retryable: true, deadLettered: false },
        },
      });
      outcome = 'failed';
    });
    return outcome;
  }

  /** What retry and re-drive do to the locked run; `why` starts the history reason. */
  async #newAttempt(change: RunChange, actor: string, why = 'retried') {
    const { run } = change;
    if (!isRetryable(run)) {
      throw new ConflictError(
        `run ${run.id} is ${run.status}; only failed or cancelled runs can be retried`,
      );
    }
    await change.tx.resetUnfinishedSteps(run.id);
    const attempt = run.attempt + 1;
    const patch = {
      attempt,
      maxAttempt: attempt + this.#retryOptions.maxAttempts - 1,
      error: null,
      finishedAt: null,
    };
    if (await this.#awaitsApproval(change)) {
      const now = new Date().toISOString();
      await change.setStatus('awaiting_approval', {
        actor,
        reason: `${why} as attempt ${attempt}; it was never approved, so it waits for approval again`,
        patch: {
          ...patch,
          approvalExpiresAt: approvalDeadline(run, now) ?? null,
        },
      });
      return;
    }
    await change.setStatus('queued', {
      actor,
      reason: `${why} as attempt ${attempt}; resumes at the first unfinished step`,
      patch,
    });
    await change.enqueueJob();
  }

  /**
   * Records one approval; the run is queued once every approval requirement is met.
   * @throws NotAllowedError for the requester or a non-member of the approver groups
   */
  approve(
    runId: string,
    approver: Approver,
    comment?: string,
  ): Promise<RunRecord> {
    return this.change(runId, async change => {
      const { run } = change;
      assertAwaitingApproval(run);
      const approvals = await change.tx.getApprovals(runId);
      const blocker = approvalBlocker(run, approvals, approver, 'approve');
      if (blocker) {
        throw blocker;
      }
      const approval = {
        approver: approver.ref,
        at: new Date().toISOString(),
        ...(comment ? { comment } : {}),
        rules: rulesApprovedBy(run, approvals, approver),
      };
      await change.tx.addApproval(runId, approval);
      const missing = missingApprovals(requirementsOf(run), [
        ...approvals,
        approval,
      ]);
      const said = comment ? `: ${comment}` : '';
      if (missing.length) {
        await change.setStatus('awaiting_approval', {
          actor: approver.ref,
          reason: `approved${said} (still needed: ${missing
            .map(
              r =>
                `${r.missing} from ${r.groups.join(' or ') || 'an approver'}`,
            )
            .join('; ')})`,
        });
        return;
      }
      await change.setStatus('queued', {
        actor: approver.ref,
        reason: `approved${said}`,
        patch: { approvalExpiresAt: null },
      });
      await change.enqueueJob();
    });
  }

  /** @throws NotAllowedError for the requester or a non-member of the approver groups */
  reject(
    runId: string,
    approver: Approver,
    reason: string,
  ): Promise<RunRecord> {
    if (!reason?.trim()) {
      throw new InputError(
        'reason is required (field /reason): tell the requester why the run was rejected',
      );
    }
    return this.change(runId, async change => {
      assertAwaitingApproval(change.run);
      const blocker = approvalBlocker(
        change.run,
        await change.tx.getApprovals(runId),
        approver,
        'reject',
      );
      if (blocker) {
        throw blocker;
      }
      await this.#rejectWaiting(change, approver.ref, reason);
    });
  }

  /**
   * Rejects the run when it still awaits approval after its deadline.
   * @returns whether it was rejected now
   */
  async expire(runId: string, now = new Date()): Promise<boolean> {
    let expired = false;
    await this.change(runId, async change => {
      const { run } = change;
      if (
        run.status !== 'awaiting_approval' ||
        !run.approvalExpiresAt ||
        Date.parse(run.approvalExpiresAt) > now.getTime()
      ) {
        return;
      }
      const rules = requirementsOf(run)
        .filter(r => r.expiresAfterMs !== undefined)
        .map(r => r.rule);
      await this.#rejectWaiting(
        change,
        'system:policy',
        `approval expired: nobody approved the run by ${
          run.approvalExpiresAt
        } (rule ${rules.join(', ')})`,
      );
      expired = true;
    });
    return expired;
  }

  /**
   * The job of an attempt reached the dead-letter exchange: the run of that attempt fails,
   * marked dead-lettered and retryable. Older attempts' dead letters change nothing.
   */
  failDeadLettered(
    runId: string,
    attempt: number,
    reason: string,
  ): Promise<RunRecord> {
    return this.change(runId, async change => {
      const { run } = change;
      if (
        run.attempt !== attempt ||
        !['queued', 'running', 'failed'].includes(run.status)
      ) {
        return;
      }
      await change.setStatus('failed', {
        actor: 'system:dead-letter',
        reason: `dead-lettered: ${reason}`,
        patch: {
          finishedAt: run.finishedAt ?? new Date().toISOString(),
          error: {
            message:
              run.error?.message ?? `the job was dead-lettered: ${reason}`,
            step: run.error?.step,
            retryable: true,
            deadLettered: true,
          },
        },
      });
    });
  }

  async #rejectWaiting(change: RunChange, actor: string, reason: string) {
    const now = new Date().toISOString();
    await change.tx.cancelOpenSteps(change.run.id, now);
    await change.setStatus('rejected', {
      actor,
      reason,
      patch: {
        rejectionReason: reason,
        finishedAt: now,
        approvalExpiresAt: null,
      },
    });
  }

  /** A run held by policy whose approvals are not (all) given. */
  async #awaitsApproval(change: RunChange): Promise<boolean> {
    const { run } = change;
    if (run.policy?.decision !== 'require-approval') {
      return false;
    }
    const approvals = await change.tx.getApprovals(run.id);
    return missingApprovals(requirementsOf(run), approvals).length > 0;
  }
}

/** "90 seconds", "30 minutes", "2 hours": whole units, as operators configure them. */
function describeDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  for (const [unit, size] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}

function assertAwaitingApproval(run: RunRecord) {
  if (run.status !== 'awaiting_approval') {
    throw new ConflictError(
      `run ${run.id} is ${run.status}; only runs awaiting approval can be approved or rejected`,
    );
  }
}
