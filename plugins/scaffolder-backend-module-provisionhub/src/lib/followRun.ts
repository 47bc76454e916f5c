import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  Run,
  RunLogLine,
  RunStatus,
  StepStatus,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubActionsApi } from './types';
import { describeError, isAccessDenied, isNotFound } from './errors';

const LOG_PAGE_SIZE = 500;

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

/** What an entry of the task log reports; {@link write} orders entries by it. */
type Phase = 'runStart' | 'stepStart' | 'log' | 'stepEnd' | 'runEnd';

/** One line for the task log, placed in time among the others of the same poll. */
interface Entry {
  at?: string;
  phase: Phase;
  /** The step a step change or log line belongs to. */
  step?: string;
  level: 'info' | 'warn' | 'error';
  message: string;
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
  const seenSteps = new Map<string, StepStatus>();
  let seenStatus: RunStatus | undefined;
  let lastSeq = 0;
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
      lines = await readNewLogLines(api, runId, lastSeq);
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
      if (lines.length > 0) {
        lastSeq = lines[lines.length - 1].seq;
      }
      const ended = isTerminalRunStatus(run.status);
      write(
        logger,
        [
          ...(run.status !== seenStatus ? [describeStatus(run)] : []),
          ...stepChanges(run, seenSteps),
          ...lines.map(logEntry),
        ],
        (run.steps ?? []).map(step => step.id),
      );
      seenStatus = run.status;

      if (ended) {
        return settle(run, runUrl);
      }
    }

    if (Date.now() >= deadline) {
      throw new Error(
        `Run ${runId} did not end within ${timeoutMinutes} minute(s) (it is ${
          seenStatus ?? 'not yet accepted'
        }); ` +
          `this step stops waiting but the run keeps going: follow it at ${runUrl}`,
      );
    }
    await pause(pollIntervalMs, signal);
  }
}

function describeStatus(run: Run): Entry {
  const at = run.history?.[run.history.length - 1]?.at ?? run.updatedAt;
  const messages: Record<RunStatus, string> = {
    requested: 'has been received by the control plane',
    awaiting_approval: 'is waiting for an approval',
    queued: 'is queued for a worker',
    running: `is running (attempt ${run.attempt})`,
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'was cancelled',
    rejected: 'was rejected',
  };
  return {
    at,
    phase: isTerminalRunStatus(run.status) ? 'runEnd' : 'runStart',
    level:
      run.status === 'failed' || run.status === 'rejected' ? 'error' : 'info',
    message: `Run ${run.id} ${messages[run.status]}`,
  };
}

function stepChanges(run: Run, seen: Map<string, StepStatus>): Entry[] {
  const entries: Entry[] = [];
  for (const step of run.steps ?? []) {
    const before = seen.get(step.id) ?? 'pending';
    seen.set(step.id, step.status);
    if (step.status === before) {
      continue;
    }
    const name = `Step "${step.title}" (${step.id})`;
    const took =
      step.durationMs !== undefined
        ? ` in ${formatDuration(step.durationMs)}`
        : '';
    const detail = step.detail ? `: ${step.detail}` : '';
    switch (step.status) {
      case 'running':
        entries.push({
          at: step.startedAt,
          phase: 'stepStart',
          step: step.id,
          level: 'info',
          message: `${name} started`,
        });
        break;
      case 'succeeded':
      case 'skipped':
        entries.push({
          at: step.finishedAt,
          phase: 'stepEnd',
          step: step.id,
          level: 'info',
          message: `${name} ${step.status}${took}${detail}`,
        });
        break;
      case 'failed':
        entries.push({
          at: step.finishedAt,
          phase: 'stepEnd',
          step: step.id,
          level: 'error',
          message: `${name} failed${took}: ${step.error ?? 'no reason given'}`,
        });
        break;
      case 'cancelled':
        entries.push({
          at: step.finishedAt,
          phase: 'stepEnd',
          step: step.id,
          level: 'warn',
          message: `${name} cancelled`,
        });
        break;
      default:
        // Back to pending: a retry starts the run over from its first unfinished step.
        break;
    }
  }
  return entries;
}

async function readNewLogLines(
  api: ProvisionHubActionsApi,
  runId: string,
  after: number,
): Promise<RunLogLine[]> {
  const lines: RunLogLine[] = [];
  let cursor = after;
  for (;;) {
    const page = await api.getRunLogs(runId, {
      after: cursor,
      limit: LOG_PAGE_SIZE,
    });
    lines.push(...page.items);
    if (page.items.length < LOG_PAGE_SIZE || page.lastSeq <= cursor) {
      return lines;
    }
    cursor = page.lastSeq;
  }
}

function logEntry(line: RunLogLine): Entry {
  const level =
    line.level === 'warn' || line.level === 'error' ? line.level : 'info';
  return {
    at: line.at,
    phase: 'log',
    step: line.step,
    level,
    message: line.step ? `[${line.step}] ${line.message}` : line.message,
  };
}

/**
 * Writes the entries of one poll in time order. The times come from different clocks (worker
 * and control plane), so the order is also made to follow the run's shape: the run starts
 * before everything else of the poll and ends after it, steps follow their plan, and a step's
 * log lines sit between its start and its end.
 */
function write(logger: LoggerService, entries: Entry[], plan: string[]) {
  // An entry without a time stays right after the one before it.
  let previous = -Infinity;
  const timed = entries.map((entry, index) => {
    const t = entry.at ? Date.parse(entry.at) : NaN;
    previous = Number.isNaN(t) ? previous : t;
    return { entry, index, t: previous, slot: slotOf(entry, plan) };
  });
  for (const item of timed) {
    const { step, phase } = item.entry;
    if (phase !== 'stepStart' && phase !== 'stepEnd') {
      continue;
    }
    for (const other of timed) {
      if (other.entry.phase === 'log' && other.entry.step === step) {
        item.t =
          phase === 'stepStart'
            ? Math.min(item.t, other.t)
            : Math.max(item.t, other.t);
      }
    }
  }
  const times = timed.map(item => item.t);
  for (const item of timed) {
    if (item.entry.phase === 'runStart') {
      item.t = Math.min(...times);
    } else if (item.entry.phase === 'runEnd') {
      item.t = Math.max(...times);
    }
  }
  timed.sort((a, b) => a.t - b.t || a.slot - b.slot || a.index - b.index);
  for (const { entry } of timed) {
    logger[entry.level](entry.message);
  }
}

/** Where an entry goes among entries of the same time. */
function slotOf(entry: Entry, plan: string[]): number {
  const step = entry.step ? plan.indexOf(entry.step) : -1;
  switch (entry.phase) {
    case 'runStart':
      return -1;
    case 'runEnd':
      return plan.length * 3 + 1;
    default:
      if (step < 0) {
        return plan.length * 3;
      }
      return step * 3 + ['stepStart', 'log', 'stepEnd'].indexOf(entry.phase);
  }
}

function settle(run: Run, runUrl: string): Run {
  switch (run.status) {
    case 'succeeded':
      return run;
    case 'failed': {
      const error = run.error;
      const where = error?.step ? ` at step ${error.step}` : '';
      const dead = error?.deadLettered
        ? 'the job was dead-lettered; an operator can retry it'
        : 'it was not dead-lettered';
      throw new Error(
        `Run ${run.id} failed${where}: ${
          error?.message ?? 'no reason given'
        } (${dead}${
          error?.retryable
            ? '; the failure looks transient, a retry may succeed'
            : ''
        }). Details: ${runUrl}`,
      );
    }
    case 'rejected':
      throw new Error(
        `Run ${run.id} was rejected: ${
          run.rejectionReason ?? 'no reason given'
        }. Details: ${runUrl}`,
      );
    case 'cancelled': {
      const by = [...(run.history ?? [])]
        .reverse()
        .find(h => h.status === 'cancelled');
      throw new Error(
        `Run ${run.id} was cancelled${by ? ` by ${by.actor}` : ''}${
          by?.reason ? `: ${by.reason}` : ''
        }. Details: ${runUrl}`,
      );
    }
    default:
      throw new Error(
        `Run ${run.id} ended in an unexpected state, ${run.status}`,
      );
  }
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

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
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
