import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  RunEventMessage,
  RunLogLine,
} from '@provisionhub/plugin-provisionhub-common';
import { redactSecrets } from '@provisionhub/plugin-provisionhub-node';
import type {
  EventKey,
  RunStore,
  RunStoreTransaction,
  StepPatch,
} from '../database/RunStore';
import { buildProvisionedEntity } from './buildProvisionedEntity';
import { entityKindOf } from './RunRequestValidator';
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

/** A run the events of a batch touch: read and locked once per batch. */
interface RunInBatch {
  change: RunChange;
  /** The run may have events waiting in `run_pending_events`. */
  buffered: boolean;
  applied: number;
  /**
   * Writes held back until the run's next other event or the end of the batch: consecutive
   * reports on one step (started, then finished) become one update, and the batch's log lines
   * of the run one insert.
   */
  step?: { id: string; patch: StepPatch };
  lines: RunLogLine[];
}

/** Only URL credentials can be recognised here; workers redact their own secrets. */
function redact(text: string) {
  return redactSecrets(text, []);
}

/** Holds a step's report back, merged with the run's previous one when it is about the same step. */
async function writeStep(state: RunInBatch, stepId: string, patch: StepPatch) {
  if (state.step && state.step.id !== stepId) {
    await flushStep(state);
  }
  state.step = { id: stepId, patch: { ...state.step?.patch, ...patch } };
}

async function flushStep(state: RunInBatch) {
  if (state.step) {
    const { tx, run } = state.change;
    await tx.updateStep(run.id, state.step.id, state.step.patch);
    state.step = undefined;
  }
}

async function flushWrites(state: RunInBatch) {
  await flushStep(state);
  if (state.lines.length) {
    const { tx, run } = state.change;
    await tx.appendLogLines(run.id, state.lines);
    state.lines = [];
  }
}

/**
 * Applies worker events to runs exactly once and in order (docs/design.md, step 6). Ordering
 * key `(attempt, delivery, seq)`: an event at or below the run's cursor is a duplicate; the next
 * one is applied together with any buffered successors; a later one waits in the buffer; the
 * first event (`seq` 1) of a newer execution takes over. One transaction per delivery batch.
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
  apply(message: RunEventMessage): Promise<number> {
    return this.applyAll([message]);
  }

  /**
   * Applies the events of one delivery batch in one transaction, in order. Each run is read and
   * locked once, and its event cursor and log position are written once.
   * @returns how many events were applied
   */
  async applyAll(messages: RunEventMessage[]): Promise<number> {
    const applied = await this.#store.transaction(async tx => {
      const runs = new Map<string, RunInBatch | undefined>();
      for (const message of messages) {
        await this.#applyInOrder(tx, runs, message);
      }
      const changed = [...runs.values()].filter(
        (run): run is RunInBatch => run !== undefined && run.applied > 0,
      );
      for (const state of changed) {
        await flushWrites(state);
      }
      for (const { change } of changed) {
        await change.patch({
          eventCursor: change.run.eventCursor,
          lastLogSeq: change.run.lastLogSeq,
        });
      }
      return changed;
    });
    for (const { change } of applied) {
      this.#transitions.published(change);
    }
    return applied.reduce((sum, run) => sum + run.applied, 0);
  }

  async #applyInOrder(
    tx: RunStoreTransaction,
    runs: Map<string, RunInBatch | undefined>,
    message: RunEventMessage,
  ) {
    if (!runs.has(message.runId)) {
      const run = await tx.lockRun(message.runId);
      if (!run) {
        this.#logger.warn(
          `Dropping a ${message.event.type} event of unknown run ${message.runId}`,
        );
      }
      runs.set(
        message.runId,
        run && {
          change: this.#transitions.begin(tx, run),
          buffered: await tx.hasBufferedEvents(run.id),
          applied: 0,
          lines: [],
        },
      );
    }
    const state = runs.get(message.runId);
    if (!state) {
      return;
    }
    const { change } = state;
    const key = keyOf(message);
    const cursor = change.run.eventCursor;
    if (compareEventKeys(key, cursor) <= 0) {
      return;
    }
    const sameExecution =
      key.attempt === cursor.attempt && key.delivery === cursor.delivery;
    const isNext = sameExecution ? key.seq === cursor.seq + 1 : key.seq === 1;
    if (!isNext) {
      await tx.bufferEvent(message, new Date().toISOString());
      state.buffered = true;
      return;
    }
    if (!sameExecution && state.buffered) {
      await tx.dropBufferedEventsBefore(message.runId, key);
    }
    let next: RunEventMessage | undefined = message;
    while (next) {
      await this.#applyOne(state, next);
      state.applied++;
      const position = keyOf(next);
      change.run = { ...change.run, eventCursor: position };
      next = state.buffered
        ? await tx.takeBufferedEvent(message.runId, {
            ...position,
            seq: position.seq + 1,
          })
        : undefined;
    }
  }

  async #applyOne(state: RunInBatch, message: RunEventMessage) {
    const { event, at } = message;
    const { change } = state;
    const { run, tx } = change;
    if (!event.type.startsWith('step.') && event.type !== 'log') {
      // Status changes may touch steps (cancel, retry) and read them: write what waits first.
      await flushWrites(state);
    }
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
        await writeStep(state, event.step, {
          status: 'running',
          attempt: message.attempt,
          startedAt: at,
          finishedAt: null,
          durationMs: null,
          error: null,
        });
        return;
      case 'step.finished':
        await writeStep(state, event.step, {
          status: event.status,
          finishedAt: at,
          durationMs: Math.round(event.durationMs),
          detail: event.detail === undefined ? null : redact(event.detail),
        });
        return;
      case 'step.failed':
        await writeStep(state, event.step, {
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
        state.lines.push(...lines);
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
        if (live && run.kind === 'decommission') {
          // The row and the runs stay; the entity leaves the catalog.
          const { repoUrl, defaultBranch, archived } = event.outputs;
          await change.setStatus('succeeded', {
            actor: 'system:worker',
            reason: archived
              ? `repository ${repoUrl} archived`
              : `repository ${repoUrl} was gone; nothing to archive`,
            patch: {
              finishedAt: at,
              error: null,
              outputs: { repoUrl, defaultBranch, entityRef: run.entityRef },
            },
          });
          await tx.markDecommissioned({
            kind: entityKindOf(run.entityRef),
            name: run.name,
            runId: run.id,
            at,
          });
          change.decommissioned = { entityRef: run.entityRef, runId: run.id };
        } else if (live && run.kind === 'promote') {
          const { repoUrl, defaultBranch, deployments = [] } = event.outputs;
          const [written] = deployments;
          await change.setStatus('succeeded', {
            actor: 'system:worker',
            reason: written
              ? `${written.environment} ${written.state} at ${written.version} in ${repoUrl}`
              : `nothing written to ${repoUrl}`,
            patch: {
              finishedAt: at,
              error: null,
              outputs: {
                repoUrl,
                defaultBranch,
                entityRef: run.entityRef,
                deployments,
                ...(written?.branch ? { branch: written.branch } : {}),
                ...(written?.mergeRequestUrl
                  ? { mergeRequestUrl: written.mergeRequestUrl }
                  : {}),
              },
            },
          });
          await tx.recordDeployments({
            kind: 'component',
            name: run.name,
            runId: run.id,
            at,
            deployments,
          });
        } else if (live && run.kind === 'upgrade') {
          // The component keeps its version and values until the branch is merged.
          const { repoUrl, defaultBranch, branch, mergeRequestUrl } =
            event.outputs;
          await change.setStatus('succeeded', {
            actor: 'system:worker',
            reason: mergeRequestUrl
              ? `merge request ${mergeRequestUrl}`
              : `branch ${branch ?? '(none)'} of ${repoUrl}`,
            patch: {
              finishedAt: at,
              error: null,
              outputs: {
                repoUrl,
                defaultBranch,
                entityRef: run.entityRef,
                ...(branch ? { branch } : {}),
                ...(mergeRequestUrl ? { mergeRequestUrl } : {}),
              },
            },
          });
        } else if (
          live &&
          (run.kind === 'system' || run.kind === 'component')
        ) {
          const entity = buildProvisionedEntity(run, {
            repoUrl: event.outputs.repoUrl,
            entity: event.outputs.entity ?? {},
          });
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
                ...(event.outputs.deployments
                  ? { deployments: event.outputs.deployments }
                  : {}),
              },
            },
          });
          if (event.outputs.deployments?.length) {
            await tx.recordDeployments({
              kind: run.kind,
              name: run.name,
              runId: run.id,
              at,
              deployments: event.outputs.deployments,
            });
          }
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
