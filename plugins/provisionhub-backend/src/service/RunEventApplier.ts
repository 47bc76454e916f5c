import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ProvisionedEntityEvent,
  RunEventMessage,
  RunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import { redactSecrets } from '@provisionhub/plugin-provisionhub-node';
import type {
  EventKey,
  OutboxEntry,
  RunPatch,
  RunRecord,
  RunStoreTransaction,
  RunStore,
} from '../database/RunStore';
import { buildProvisionedEntity } from './buildProvisionedEntity';
import type { OutboxRelay } from './OutboxRelay';
import type { RunNotifier } from './RunNotifier';
import { applyPatch } from './RunService';

interface ApplyState {
  run: RunRecord;
  applied: number;
  statusChanged: boolean;
  provisioned?: ProvisionedEntityEvent;
  outbox: OutboxEntry[];
}

/** @internal */
export function compareEventKeys(a: EventKey, b: EventKey): number {
  return a.attempt - b.attempt || a.delivery - b.delivery || a.seq - b.seq;
}

function keyOf(message: RunEventMessage): EventKey {
  return {
    attempt: message.attempt,
    delivery: message.delivery,
    seq: message.seq,
  };
}

/** Only URL credentials can be recognised here; workers redact their own secrets. */
function redact(text: string) {
  return redactSecrets(text, []);
}

/**
 * Applies worker events to runs exactly once and in order (docs/design.md, step 6). Ordering
 * key `(attempt, delivery, seq)`: an event at or below the run's cursor is a duplicate; the next
 * one is applied together with any buffered successors; a later one waits in the buffer; the
 * first event (`seq` 1) of a newer execution takes over. One transaction per delivery.
 * @internal
 */
export class RunEventApplier {
  readonly #store: RunStore;
  readonly #relay: OutboxRelay;
  readonly #notifier: RunNotifier;
  readonly #logger: LoggerService;

  constructor(options: {
    store: RunStore;
    relay: OutboxRelay;
    notifier: RunNotifier;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#relay = options.relay;
    this.#notifier = options.notifier;
    this.#logger = options.logger;
  }

  /** @returns how many events were applied (0 for a duplicate or a buffered event) */
  async apply(message: RunEventMessage): Promise<number> {
    const state = await this.#store.transaction(async tx => {
      const run = await tx.lockRun(message.runId);
      if (!run) {
        this.#logger.warn(
          `Dropping a ${message.event.type} event of unknown run ${message.runId}`,
        );
        return undefined;
      }
      const key = keyOf(message);
      const cursor = run.eventCursor;
      if (compareEventKeys(key, cursor) <= 0) {
        return undefined;
      }
      const sameExecution =
        key.attempt === cursor.attempt && key.delivery === cursor.delivery;
      const isNext = sameExecution ? key.seq === cursor.seq + 1 : key.seq === 1;
      if (!isNext) {
        await tx.bufferEvent(message, new Date().toISOString());
        return undefined;
      }
      if (!sameExecution) {
        await tx.dropBufferedEventsBefore(run.id, key);
      }
      const applying: ApplyState = {
        run,
        applied: 0,
        statusChanged: false,
        outbox: [],
      };
      let next: RunEventMessage | undefined = message;
      while (next) {
        await this.#applyOne(tx, applying, next);
        applying.applied++;
        const position = keyOf(next);
        next = await tx.takeBufferedEvent(run.id, {
          ...position,
          seq: position.seq + 1,
        });
        applying.run = { ...applying.run, eventCursor: position };
      }
      await tx.updateRun(run.id, {
        eventCursor: applying.run.eventCursor,
        lastLogSeq: applying.run.lastLogSeq,
        updatedAt: new Date().toISOString(),
      });
      return applying;
    });
    if (!state) {
      return 0;
    }
    this.#relay.publishNow(state.outbox);
    await this.#notifier.runChanged(state.run, state.statusChanged);
    if (state.provisioned) {
      await this.#notifier.entityProvisioned(state.provisioned);
    }
    return state.applied;
  }

  async #applyOne(
    tx: RunStoreTransaction,
    state: ApplyState,
    message: RunEventMessage,
  ) {
    const { event, at } = message;
    const run = state.run;
    // Only a run the workers may still be executing follows their reports; a cancelled,
    // failed or succeeded run keeps its status (its steps and logs are still recorded).
    const live = run.status === 'queued' || run.status === 'running';
    switch (event.type) {
      case 'run.started':
        if (run.status === 'cancelled') {
          // The worker took a job whose run was cancelled meanwhile: tell it (again) to stop.
          state.outbox.push(await this.#enqueueCancel(tx, run.id));
        } else if (run.status === 'queued') {
          await this.#setStatus(
            tx,
            state,
            'running',
            `system:worker:${event.workerId}`,
            `attempt ${message.attempt} of ${run.maxAttempt}${
              message.delivery ? `, redelivery ${message.delivery}` : ''
            }`,
            { startedAt: run.startedAt ?? at },
          );
        }
        return;
      case 'step.started':
        await tx.updateStep(run.id, event.step, {
          status: 'running',
          attempt: message.attempt,
          startedAt: at,
          finishedAt: null,
          durationMs: null,
          error: null,
        });
        return;
      case 'step.finished':
        await tx.updateStep(run.id, event.step, {
          status: event.status,
          finishedAt: at,
          durationMs: Math.round(event.durationMs),
          detail: event.detail === undefined ? null : redact(event.detail),
        });
        return;
      case 'step.failed':
        await tx.updateStep(run.id, event.step, {
          status: 'failed',
          finishedAt: at,
          durationMs: Math.round(event.durationMs),
          error: redact(event.error),
        });
        return;
      case 'log': {
        const lines = event.lines.map((line, i) => ({
          seq: run.lastLogSeq + i + 1,
          at: line.at,
          step: line.step,
          level: line.level,
          message: redact(line.message),
        }));
        await tx.appendLogLines(run.id, lines);
        state.run = { ...run, lastLogSeq: run.lastLogSeq + lines.length };
        return;
      }
      case 'run.retrying':
        if (live) {
          await this.#setStatus(
            tx,
            state,
            'queued',
            'system:worker',
            `attempt ${message.attempt} failed (${redact(
              event.error,
            )}); attempt ${event.nextAttempt} starts in ${event.delayMs} ms`,
            { attempt: event.nextAttempt },
          );
        }
        return;
      case 'run.succeeded':
        if (live) {
          const entity = buildProvisionedEntity(run, event.outputs);
          await this.#setStatus(
            tx,
            state,
            'succeeded',
            'system:worker',
            `repository ${event.outputs.repoUrl}`,
            {
              finishedAt: at,
              error: null,
              outputs: {
                repoUrl: event.outputs.repoUrl,
                defaultBranch: event.outputs.defaultBranch,
                entityRef: run.entityRef,
              },
            },
          );
          await tx.recordProvisioned({
            kind: run.kind,
            name: run.name,
            system: run.system,
            type:
              run.kind === 'system' ? 'system' : (entity.spec?.type as string),
            owner: run.owner,
            entityRef: run.entityRef,
            blueprint: run.blueprint,
            repoUrl: event.outputs.repoUrl,
            defaultBranch: event.outputs.defaultBranch,
            runId: run.id,
            entity,
            at,
          });
          state.provisioned = { entityRef: run.entityRef, entity };
        }
        return;
      case 'run.failed':
        if (live) {
          await this.#setStatus(
            tx,
            state,
            'failed',
            'system:worker',
            redact(event.error),
            {
              finishedAt: at,
              error: {
                message: redact(event.error),
                step: event.step,
                retryable: event.retryable,
                deadLettered: event.deadLettered,
              },
            },
          );
        }
        return;
      case 'run.cancelled':
        await tx.cancelOpenSteps(run.id, at);
        if (live) {
          await this.#setStatus(
            tx,
            state,
            'cancelled',
            'system:worker',
            'the worker stopped the run',
            {
              finishedAt: at,
            },
          );
        }
        return;
      default:
        this.#logger.warn(
          `Ignoring run event of unknown type ${
            (event as { type: string }).type
          }`,
        );
    }
  }

  async #setStatus(
    tx: RunStoreTransaction,
    state: ApplyState,
    status: RunStatus,
    actor: string,
    reason: string,
    extra: Omit<RunPatch, 'updatedAt' | 'status'>,
  ) {
    const now = new Date().toISOString();
    const patch: RunPatch = { ...extra, status, updatedAt: now };
    await tx.updateRun(state.run.id, patch);
    await tx.addTransition(state.run.id, { status, at: now, actor, reason });
    state.run = applyPatch(state.run, patch);
    state.statusChanged = true;
  }

  async #enqueueCancel(
    tx: RunStoreTransaction,
    runId: string,
  ): Promise<OutboxEntry> {
    const payload = { kind: 'run.cancel', version: 1, runId };
    const id = await tx.enqueueOutbox({
      runId,
      topic: 'run.cancel',
      payload,
      lease: this.#relay.newLease(),
    });
    return { id, runId, topic: 'run.cancel', payload, attempts: 0 };
  }
}
