import {
  ProvisionHubApi,
  Run,
  RunProgress,
  RunProgressEntry,
  isTerminalRunStatus,
  readRunLogLines,
} from '@provisionhub/plugin-provisionhub-common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, EXIT, toCliError } from './errors';
import type { Output } from './output';

/** @internal */
export interface FollowRunOptions {
  api: ProvisionHubApi;
  runId: string;
  out: Output;
  /** The portal, for messages. */
  target: string;
  pollIntervalMs: number;
  /** Give up waiting after this long (the run keeps going). */
  timeoutMs: number;
  /** Read once and return: what happened so far (`runs logs` without `--follow`). */
  once?: boolean;
  /** Write each entry as a JSON line on standard output (`runs logs --json`). */
  jsonLines?: boolean;
  /** Aborted on Ctrl-C: stop following; the run keeps going. */
  signal?: AbortSignal;
}

/**
 * Prints a run's status changes, worker steps and log lines as they happen, until the run ends
 * (or once). Unreachable or failing portal answers are reported once and asked again until the
 * timeout; a missing permission or an unknown run ends it at once.
 *
 * @returns the run as last read
 */
export async function followRun(options: FollowRunOptions): Promise<Run> {
  const { api, runId, out } = options;
  const deadline = Date.now() + options.timeoutMs;
  const progress = new RunProgress();
  let lastProblem: string | undefined;

  for (;;) {
    let run: Run | undefined;
    try {
      run = await api.getRun(runId);
      // After the run, so the step of every line is already known to have started.
      const lines = await readRunLogLines(api, runId, progress.lastSeq);
      for (const entry of progress.update(run, lines)) {
        write(out, entry, options.jsonLines);
      }
      lastProblem = undefined;
    } catch (error) {
      const problem = toCliError(error, options.target);
      if (!isTransient(problem) || options.once) {
        throw problem;
      }
      if (problem.message !== lastProblem) {
        out.error(
          out.style.yellow(`${problem.message}; asking again until it answers`),
        );
        lastProblem = problem.message;
      }
    }
    if (run && (options.once || isTerminalRunStatus(run.status))) {
      return run;
    }
    if (Date.now() >= deadline) {
      throw new CliError(
        `run ${runId} did not end within ${formatWait(
          options.timeoutMs,
        )} (it is ${
          progress.status ?? 'not readable'
        }); it keeps going: provisionhub runs logs ${runId} --follow`,
        EXIT.failed,
        { name: 'TimeoutError' },
      );
    }
    await pause(options.pollIntervalMs, options.signal);
    if (options.signal?.aborted) {
      throw new CliError(
        `stopped following run ${runId}; it keeps going: provisionhub runs logs ${runId} --follow`,
        EXIT.interrupted,
        { name: 'Interrupted' },
      );
    }
  }
}

/** The portal was unreachable, timed out or failed: asking again may work. */
function isTransient(error: CliError): boolean {
  return (
    error.name === 'ConnectionError' ||
    (error.statusCode !== undefined && error.statusCode >= 500)
  );
}

function write(out: Output, entry: RunProgressEntry, jsonLines?: boolean) {
  if (jsonLines) {
    out.jsonLine(entry);
    return;
  }
  const time = entry.at ? new Date(entry.at).toTimeString().slice(0, 8) : '';
  out.info(`${out.style.dim(time.padEnd(8))}  ${styled(out, entry)}`);
}

/** Problems in colour; status and step changes stand out from the worker's log lines. */
function styled(out: Output, entry: RunProgressEntry): string {
  if (entry.level === 'error') {
    return out.style.red(entry.message);
  }
  if (entry.level === 'warn') {
    return out.style.yellow(entry.message);
  }
  return entry.phase === 'log' ? entry.message : out.style.bold(entry.message);
}

/** A wait for people: minutes, or seconds under a minute. */
export function formatWait(ms: number): string {
  const minutes = ms / 60_000;
  return minutes >= 1
    ? `${Number(minutes.toFixed(1))} minute(s)`
    : `${Math.round(ms / 1000)} s`;
}

/** Waits `ms`, or less when the signal is aborted. */
async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
