import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  Run,
  RunLogLine,
  RunProgress,
  describeRunFailure,
  isTerminalRunStatus,
  readRunLogLines,
} from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubActionsApi } from './types';
import { describeError, isAccessDenied, isNotFound } from './errors';

/** @internal */
export interface FollowRunOptions {
  api: ProvisionHubActionsApi;
  runId: string;
  runUrl: string;
  /** The task log. */
  logger: LoggerService;
  /** Aborted when the scaffolder task is cancelled: the run is cancelled too. */
  signal?: AbortSignal;
  timeoutMinutes: number;
  pollIntervalMs: number;
}

/**
 * Follows a run until it ends, writing its status changes, worker step changes and log lines
 * into the task log as they arrive.
 *
 * @returns the run once it has succeeded
 * @throws when the run fails, is rejected or cancelled, when the task is cancelled (after
 * cancelling the run) and when the timeout passes (the run keeps going)
 */
export async function followRun(options: FollowRunOptions): Promise<Run> {
  const { api, runId, runUrl, logger, signal, timeoutMinutes, pollIntervalMs } =
    options;
  const deadline = Date.now() + timeoutMinutes * 60_000;
  const progress = new RunProgress();
  let lastProblem: string | undefined;

  logger.info(`Following run ${runId}: ${runUrl}`);
  for (;;) {
    if (signal?.aborted) {
      await cancelRun(api, runId, logger, pollIntervalMs);
      throw new Error(
        `The task was cancelled, so run ${runId} was cancelled as well`,
      );
    }

    let run: Run | undefined;
    let lines: RunLogLine[] = [];
    try {
      run = await api.getRun(runId);
      // Logs are read after the run, so the step of every line is already known to have started.
      lines = await readRunLogLines(api, runId, progress.lastSeq);
      lastProblem = undefined;
    } catch (error) {
      if (isAccessDenied(error)) {
        throw new Error(`Cannot follow run ${runId}: ${describeError(error)}`);
      }
      run = undefined;
      const problem = isNotFound(error)
        ? `Run ${runId} is not known to the control plane yet; waiting for it to take the request off the queue`
        : `Could not read run ${runId} (${describeError(error)}); trying again`;
      if (problem !== lastProblem) {
        logger[isNotFound(error) ? 'info' : 'warn'](problem);
        lastProblem = problem;
      }
    }

    if (run) {
      const ended = isTerminalRunStatus(run.status);
      for (const entry of progress.update(run, lines)) {
        logger[entry.level](entry.message);
      }

      if (ended) {
        return settle(run, runUrl);
      }
    }

    if (Date.now() >= deadline) {
      throw new Error(
        `Run ${runId} did not end within ${timeoutMinutes} minute(s) (it is ${
          progress.status ?? 'not yet accepted'
        }); ` +
          `this step stops waiting but the run keeps going: follow it at ${runUrl}`,
      );
    }
    await pause(pollIntervalMs, signal);
  }
}

function settle(run: Run, runUrl: string): Run {
  const failure = describeRunFailure(run);
  if (failure) {
    throw new Error(`${failure}. Details: ${runUrl}`);
  }
  return run;
}

/** How long a cancelled task keeps trying to cancel a run the control plane has not accepted yet. */
const CANCEL_PATIENCE_MS = 30_000;

async function cancelRun(
  api: ProvisionHubActionsApi,
  runId: string,
  logger: LoggerService,
  pollIntervalMs: number,
) {
  const giveUpAt = Date.now() + CANCEL_PATIENCE_MS;
  for (;;) {
    try {
      const run = await api.cancelRun(runId);
      logger.warn(`Task cancelled: cancelled run ${runId} (now ${run.status})`);
      return;
    } catch (error) {
      // The request may still be on its way through the queue: cancel it once it arrives.
      if (!isNotFound(error) || Date.now() >= giveUpAt) {
        logger.warn(
          `Task cancelled, but run ${runId} could not be cancelled: ${describeError(
            error,
          )}`,
        );
        return;
      }
    }
    await pause(pollIntervalMs);
  }
}

/** Waits `ms`, or less when the signal is aborted. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
