import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RunEventMessage } from '@provisionhub/plugin-provisionhub-common';
import { redactSecrets } from '@provisionhub/plugin-provisionhub-node';
import type { EventKey, RunStore } from '../database/RunStore';
import { buildProvisionedEntity } from './buildProvisionedEntity';
import type { RunChange, RunTransitions } from './RunTransitions';

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
  readonly #transitions: RunTransitions;
  readonly #logger: LoggerService;

  constructor(options: {
    store: RunStore;
    transitions: RunTransitions;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#transitions = options.transitions;
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
      const change = this.#transitions.begin(tx, run);
      let applied = 0;
      let position = key;
      let next: RunEventMessage | undefined = message;
      while (next) {
        await this.#applyOne(change, next);
        applied++;
        position = keyOf(next);
        next = await tx.takeBufferedEvent(run.id, {
          ...position,
          seq: position.seq + 1,
        });
      }
      await change.patch({
        eventCursor: position,
        lastLogSeq: change.run.lastLogSeq,
      });
      return { change, applied };
    });
    if (!state) {
      return 0;
    }
    await this.#transitions.published(state.change);
    return state.applied;
  }

  async #applyOne(change: RunChange, message: RunEventMessage) {
    const { event, at } = message;
    const { run, tx } = change;
    // Only a run the workers may still be executing follows their reports; a cancelled,
    // failed or succeeded run keeps its status (its steps and logs are still recorded).
    const live = run.status === 'queued' || run.status === 'running';
    switch (event.type) {
      case 'run.started':
        if (run.status === 'cancelled') {
          // The worker took a job whose run was cancelled meanwhile: tell it (again) to stop.
          await change.enqueueCancel();
        } else if (run.status === 'queued') {
          await change.setStatus('running', {
            actor: `system:worker:${event.workerId}`,
            reason: `attempt ${message.attempt} of ${run.maxAttempt}${
              message.delivery ? `, redelivery ${message.delivery}` : ''
            }`,
            patch: { startedAt: run.startedAt ?? at },
          });
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
        change.run = { ...run, lastLogSeq: run.lastLogSeq + lines.length };
        return;
      }
      case 'run.retrying':
        if (live) {
          await change.setStatus('queued', {
            actor: 'system:worker',
            reason: `attempt ${message.attempt} failed (${redact(
              event.error,
            )}); attempt ${event.nextAttempt} starts in ${event.delayMs} ms`,
            patch: { attempt: event.nextAttempt },
          });
        }
        return;
      case 'run.succeeded':
        if (live) {
          const entity = buildProvisionedEntity(run, event.outputs);
          await change.setStatus('succeeded', {
            actor: 'system:worker',
            reason: `repository ${event.outputs.repoUrl}`,
            patch: {
              finishedAt: at,
              error: null,
              outputs: {
                repoUrl: event.outputs.repoUrl,
                defaultBranch: event.outputs.defaultBranch,
                entityRef: run.entityRef,
              },
            },
          });
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
          change.provisioned = { entityRef: run.entityRef, entity };
        }
        return;
      case 'run.failed':
        if (live) {
          await change.setStatus('failed', {
            actor: 'system:worker',
            reason: redact(event.error),
            patch: {
              finishedAt: at,
              error: {
                message: redact(event.error),
                step: event.step,
                retryable: event.retryable,
                deadLettered: event.deadLettered,
              },
            },
          });
        }
        return;
      case 'run.cancelled':
        await tx.cancelOpenSteps(run.id, at);
        if (live) {
          await change.setStatus('cancelled', {
            actor: 'system:worker',
            reason: 'the worker stopped the run',
            patch: {
              finishedAt: at,
            },
          });
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
}
