import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import {
  DeliveryContext,
  HandlerResult,
  ProvisionHubBroker,
  RenderLimits,
  RetryOptions,
  backoffDelayMs,
  redactSecrets,
} from '@provisionhub/plugin-provisionhub-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlueprintCache } from './blueprints/BlueprintCache';
import type { GitOptions } from './config';
import { isRetryable, messageOf } from './errors';
import {
  RunEventPublisher,
  RunEventPublisherOptions,
} from './events/RunEventPublisher';
import type { GitProvider } from './git/GitProvider';
import type { JobOutcome, WorkerMetrics } from './metrics';
import type { WorkerRegistry } from './modules/WorkerRegistry';
import { createRunLogger } from './runLogger';
import { PlannedStep, RunState, planSteps } from './steps';

/**
 * Why a run's AbortSignal fired: `cancelled` (a `run.cancel` message) ends the run,
 * `shutdown` (the worker is stopping) puts the job back in the queue.
 * @public
 */
export type AbortReason = 'cancelled' | 'shutdown';

/** @public */
export interface RunJobDependencies {
  broker: Pick<
    ProvisionHubBroker,
    'publishEvent' | 'publishJobRetry' | 'deadLetter' | 'names'
  >;
  provider: GitProvider;
  /** Blueprint step types (built in and from worker modules). */
  registry: WorkerRegistry;
  git: GitOptions;
  retry: RetryOptions;
  /** Limits of the render sandbox; the node package's defaults when absent. */
  renderLimits?: RenderLimits;
  blueprints: BlueprintCache;
  urlReader: Pick<UrlReaderService, 'readTree'>;
  logger: LoggerService;
  metrics: WorkerMetrics;
  workerId: string;
  /** Each delivery gets a fresh folder in here. */
  workspaceDir: string;
  secrets: readonly string[];
  events?: RunEventPublisherOptions;
}

type Ending =
  | { kind: 'succeeded'; state: RunState }
  | { kind: 'failed'; error: string; step?: string; retryable: boolean }
  | { kind: 'aborted'; reason: AbortReason; step?: string };

/**
 * Owns one delivery of one job: runs its steps, reports every step and the result as run
 * events, and decides what happens to the delivery — acknowledged (succeeded, failed for good,
 * cancelled, retried through the delay queue, or dead-lettered after the last attempt) or
 * requeued (the worker is shutting down). The broker's consumer settles the delivery exactly
 * once with the result; if events cannot be published this throws, and the consumer requeues
 * the delivery so another execution reports the run.
 * @public
 */
export async function runJob(
  job: JobMessage,
  delivery: DeliveryContext,
  signal: AbortSignal,
  deps: RunJobDependencies,
): Promise<HandlerResult> {
  const started = performance.now();
  const logger = deps.logger.child({
    runId: job.runId,
    attempt: job.attempt,
    delivery: delivery.delivery,
  });
  const events = new RunEventPublisher(
    deps.broker,
    job,
    delivery.delivery,
    deps.secrets,
    deps.events,
  );
  let outcome: JobOutcome = 'requeued';
  deps.metrics.jobStarted();
  let workspace: string | undefined;
  try {
    events.emit({ type: 'run.started', workerId: deps.workerId });
    await fs.mkdir(deps.workspaceDir, { recursive: true });
    workspace = await fs.mkdtemp(path.join(deps.workspaceDir, `${job.runId}-`));
    const ending = await runSteps(
      job,
      { ...deps, logger },
      events,
      signal,
      workspace,
    );
    const settled = await settle(job, delivery, ending, events, deps);
    outcome = settled.outcome;
    await events.settled();
    const seconds = (performance.now() - started) / 1000;
    logger.info(
      `Run ${job.runId} ${settled.summary} (attempt ${job.attempt} of ${
        job.maxAttempt
      }, delivery ${delivery.delivery}) in ${Math.round(seconds * 1000)} ms`,
    );
    return settled.result;
  } catch (error) {
    outcome = 'requeued';
    logger.error(
      `Run ${
        job.runId
      } stopped unexpectedly (e.g. its events could not be published); the job goes back to the queue: ${redactSecrets(
        messageOf(error),
        deps.secrets,
      )}`,
    );
    throw error;
  } finally {
    deps.metrics.jobFinished(outcome, (performance.now() - started) / 1000);
    if (workspace) {
      await fs
        .rm(workspace, { recursive: true, force: true })
        .catch(() => undefined);
    }
  }
}

async function runSteps(
  job: JobMessage,
  deps: RunJobDependencies,
  events: RunEventPublisher,
  signal: AbortSignal,
  workspace: string,
): Promise<Ending> {
  let steps: PlannedStep[];
  try {
    steps = planSteps(job, deps.registry);
  } catch (error) {
    return {
      kind: 'failed',
      error: redactSecrets(messageOf(error), deps.secrets),
      retryable: false,
    };
  }
  const state: RunState = {};
  for (const step of steps) {
    if (signal.aborted) {
      return {
        kind: 'aborted',
        reason: signal.reason as AbortReason,
        step: step.id,
      };
    }
    events.emit({ type: 'step.started', step: step.id });
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const result = await step.run(job, {
        logger: createRunLogger(
          deps.logger.child({ step: step.id }),
          events,
          step.id,
          deps.secrets,
        ),
        signal,
        workspace,
        state,
        provider: deps.provider,
        git: deps.git,
        blueprints: deps.blueprints,
        renderLimits: deps.renderLimits,
        urlReader: deps.urlReader,
        secrets: deps.secrets,
        step: step.spec,
      });
      const durationMs = elapsed();
      deps.metrics.stepFinished(step.kind, result.status, durationMs / 1000);
      events.emit({
        type: 'step.finished',
        step: step.id,
        status: result.status,
        durationMs,
        ...(result.detail ? { detail: result.detail } : {}),
      });
    } catch (error) {
      const durationMs = elapsed();
      if (signal.aborted) {
        // The step honoured the signal (e.g. git was stopped); not a failure of the run.
        deps.metrics.stepFinished(step.kind, 'aborted', durationMs / 1000);
        return {
          kind: 'aborted',
          reason: signal.reason as AbortReason,
          step: step.id,
        };
      }
      const retryable = isRetryable(error);
      const message = redactSecrets(messageOf(error), deps.secrets);
      deps.metrics.stepFinished(step.kind, 'failed', durationMs / 1000);
      events.emit({
        type: 'step.failed',
        step: step.id,
        durationMs,
        error: message,
        retryable,
      });
      return { kind: 'failed', error: message, step: step.id, retryable };
    }
  }
  return { kind: 'succeeded', state };
}

/** Reports the ending and decides the fate of the delivery. */
async function settle(
  job: JobMessage,
  delivery: DeliveryContext,
  ending: Ending,
  events: RunEventPublisher,
  deps: RunJobDependencies,
): Promise<{ outcome: JobOutcome; result: HandlerResult; summary: string }> {
  if (ending.kind === 'succeeded') {
    events.emit({ type: 'run.succeeded', outputs: ending.state.outputs! });
    return { outcome: 'succeeded', result: undefined, summary: 'succeeded' };
  }
  if (ending.kind === 'aborted') {
    if (ending.reason === 'cancelled') {
      events.emit({
        type: 'run.cancelled',
        ...(ending.step ? { step: ending.step } : {}),
      });
      return {
        outcome: 'cancelled',
        result: undefined,
        summary: `cancelled before ${ending.step}`,
      };
    }
    events.log(
      'warn',
      'The worker is shutting down; the job goes back to the queue',
      ending.step,
    );
    return {
      outcome: 'requeued',
      result: { requeue: true },
      summary: 'requeued (shutdown)',
    };
  }
  const at = ending.step ? ` at step ${ending.step}` : '';
  if (!ending.retryable) {
    events.emit({
      type: 'run.failed',
      error: ending.error,
      ...(ending.step ? { step: ending.step } : {}),
      retryable: false,
      deadLettered: false,
    });
    return {
      outcome: 'failed',
      result: undefined,
      summary: `failed${at}: ${ending.error}`,
    };
  }
  if (job.attempt < job.maxAttempt) {
    const nextAttempt = job.attempt + 1;
    const delayMs = backoffDelayMs(nextAttempt, deps.retry);
    await deps.broker.publishJobRetry(
      { ...job, attempt: nextAttempt },
      delayMs,
    );
    events.emit({
      type: 'run.retrying',
      error: ending.error,
      nextAttempt,
      delayMs,
    });
    return {
      outcome: 'retried',
      result: undefined,
      summary: `failed${at}, retrying as attempt ${nextAttempt} in ${delayMs} ms: ${ending.error}`,
    };
  }
  const reason = `attempt ${job.attempt} of ${job.maxAttempt} failed${at}: ${ending.error}`;
  await deps.broker.deadLetter(
    { content: delivery.raw.content, properties: delivery.raw.properties },
    reason,
    deps.broker.names.jobsQueue,
  );
  events.emit({
    type: 'run.failed',
    error: ending.error,
    ...(ending.step ? { step: ending.step } : {}),
    retryable: true,
    deadLettered: true,
  });
  return {
    outcome: 'dead_lettered',
    result: undefined,
    summary: `dead-lettered: ${reason}`,
  };
}
