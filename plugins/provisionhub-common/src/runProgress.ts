import type { ProvisionHubApi } from './api';
import {
  Run,
  RunLogLine,
  RunStatus,
  StepStatus,
  isTerminalRunStatus,
} from './types';

/**
 * What an entry of a run's progress reports.
 * @public
 */
export type RunProgressPhase =
  | 'runStart'
  | 'stepStart'
  | 'log'
  | 'stepEnd'
  | 'runEnd';

/**
 * One thing that happened to a run: a status change, a step starting or ending, or a log line,
 * with the sentence that says so (the same sentence in a scaffolder task log and a terminal).
 * @public
 */
export interface RunProgressEntry {
  /** When it happened (ISO 8601), by the clock of whoever reported it. */
  at?: string;
  /** What it is: the run's status changing, a step starting or ending, or a log line. */
  phase: RunProgressPhase;
  /** The step a step change or log line belongs to. */
  step?: string;
  /** `error` for failures, `warn` for cancellations and warnings. */
  level: 'info' | 'warn' | 'error';
  /** The sentence that says it, e.g. `Step "Render files" (render) succeeded in 12 ms`. */
  message: string;
}

/** How many log lines one request asks for. */
const LOG_PAGE_SIZE = 500;

/**
 * Turns successive reads of a run (`GET /runs/:id` and the log lines after the last one seen)
 * into the entries that tell what happened in between, in the order it happened. One instance
 * follows one run.
 * @public
 */
export class RunProgress {
  readonly #seenSteps = new Map<string, StepStatus>();
  #seenStatus: RunStatus | undefined;
  #lastSeq = 0;

  /** The sequence number of the last log line seen: ask for the lines after it next. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The status of the last read, if any. */
  get status(): RunStatus | undefined {
    return this.#seenStatus;
  }

  /**
   * The entries for what changed since the previous call. Read the run before its log lines,
   * so that the step of every line is already known to have started.
   */
  update(run: Run, lines: RunLogLine[]): RunProgressEntry[] {
    const fresh = lines.filter(line => line.seq > this.#lastSeq);
    if (fresh.length > 0) {
      this.#lastSeq = fresh[fresh.length - 1].seq;
    }
    const entries = order(
      [
        ...(run.status !== this.#seenStatus ? [describeStatus(run)] : []),
        ...stepChanges(run, this.#seenSteps),
        ...fresh.map(logEntry),
      ],
      (run.steps ?? []).map(step => step.id),
    );
    this.#seenStatus = run.status;
    return entries;
  }
}

/**
 * Every log line of a run after sequence number `after`, however many pages that takes.
 * @public
 */
export async function readRunLogLines(
  api: Pick<ProvisionHubApi, 'getRunLogs'>,
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

/**
 * Why a run that ended did not succeed, in one sentence for its requester (e.g. "Run … failed
 * at step push: … (the job was dead-lettered; an operator can retry it)"); undefined for a run
 * that succeeded or has not ended.
 * @public
 */
export function describeRunFailure(run: Run): string | undefined {
  switch (run.status) {
    case 'failed': {
      const error = run.error;
      const where = error?.step ? ` at step ${error.step}` : '';
      const dead = error?.deadLettered
        ? 'the job was dead-lettered; an operator can retry it'
        : 'it was not dead-lettered';
      return `Run ${run.id} failed${where}: ${
        error?.message ?? 'no reason given'
      } (${dead}${
        error?.retryable
          ? '; the failure looks transient, a retry may succeed'
          : ''
      })`;
    }
    case 'rejected':
      return `Run ${run.id} was rejected: ${
        run.rejectionReason ?? 'no reason given'
      }`;
    case 'cancelled': {
      const by = [...(run.history ?? [])]
        .reverse()
        .find(h => h.status === 'cancelled');
      return `Run ${run.id} was cancelled${by ? ` by ${by.actor}` : ''}${
        by?.reason ? `: ${by.reason}` : ''
      }`;
    }
    default:
      return undefined;
  }
}

/**
 * A duration for people: `850 ms`, `12.4 s`.
 * @public
 */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function describeStatus(run: Run): RunProgressEntry {
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

function stepChanges(
  run: Run,
  seen: Map<string, StepStatus>,
): RunProgressEntry[] {
  const entries: RunProgressEntry[] = [];
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
    const base = { at: step.finishedAt, step: step.id };
    switch (step.status) {
      case 'running':
        entries.push({
          at: step.startedAt,
          step: step.id,
          phase: 'stepStart',
          level: 'info',
          message: `${name} started`,
        });
        break;
      case 'succeeded':
      case 'skipped':
        entries.push({
          ...base,
          phase: 'stepEnd',
          level: 'info',
          message: `${name} ${step.status}${took}${detail}`,
        });
        break;
      case 'failed':
        entries.push({
          ...base,
          phase: 'stepEnd',
          level: 'error',
          message: `${name} failed${took}: ${step.error ?? 'no reason given'}`,
        });
        break;
      case 'cancelled':
        entries.push({
          ...base,
          phase: 'stepEnd',
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

function logEntry(line: RunLogLine): RunProgressEntry {
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
 * Puts the entries of one read in time order. The times come from different clocks (worker and
 * control plane), so the order is also made to follow the run's shape: the run starts before
 * everything else of the read and ends after it, steps follow their plan, and a step's log
 * lines sit between its start and its end.
 */
function order(
  entries: RunProgressEntry[],
  plan: string[],
): RunProgressEntry[] {
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
  return timed.map(item => item.entry);
}

/** Where an entry goes among entries of the same time. */
function slotOf(entry: RunProgressEntry, plan: string[]): number {
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

/**
 * Where the ProvisionHub frontend plugin shows a run, unless `provisionhub.routes.run` says
 * otherwise: the path under `app.baseUrl`, with `:id` standing for the run id.
 * @public
 */
export const DEFAULT_RUN_ROUTE = '/provisionhub/runs/:id';

/**
 * The run's page in the portal: `<appBaseUrl><route>` with `:id` replaced by the run id, e.g.
 * `https://portal.example.com/provisionhub/runs/<runId>`. An empty `appBaseUrl` gives the path alone.
 * @public
 */
export function runPageUrl(
  appBaseUrl: string,
  runId: string,
  route: string = DEFAULT_RUN_ROUTE,
): string {
  return `${appBaseUrl.replace(/\/+$/, '')}${route.replace(
    ':id',
    encodeURIComponent(runId),
  )}`;
}
