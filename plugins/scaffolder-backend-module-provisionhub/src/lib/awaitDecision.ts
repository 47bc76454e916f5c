import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  Run,
  describePolicyDecision,
} from '@provisionhub/plugin-provisionhub-common';
import { describeError, isAccessDenied } from './errors';
import type { ProvisionHubActionsApi } from './types';

/**
 * Waits until the control plane took a published request off the queue and decided on it:
 * queued, held for approval, or rejected (invalid, or denied by policy).
 *
 * @returns the run once accepted, or undefined when the control plane did not answer within
 * `timeoutMs` (the request stays queued and is decided when it is back)
 * @throws when the request was rejected, with the reason, or when the initiator may not read it
 */
export async function awaitDecision(options: {
  api: ProvisionHubActionsApi;
  runId: string;
  runUrl: string;
  logger: LoggerService;
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
}): Promise<Run | undefined> {
  const { api, runId, runUrl, logger } = options;
  const deadline = Date.now() + options.timeoutMs;
  let delay = Math.min(options.pollIntervalMs, 25);
  for (;;) {
    let run: Run | undefined;
    try {
      run = await api.getRun(runId);
    } catch (error) {
      if (isAccessDenied(error)) {
        throw new Error(`Cannot read run ${runId}: ${describeError(error)}`);
      }
      // Not taken off the queue yet (404), or the control plane is unreachable: ask again.
    }
    if (run) {
      if (run.status === 'rejected') {
        throw new Error(
          `Run ${runId} was rejected: ${
            run.rejectionReason ?? 'no reason given'
          }. Details: ${runUrl}`,
        );
      }
      logger.info(
        run.status === 'awaiting_approval' && run.policy
          ? `Run ${runId} waits for approval: it ${describePolicyDecision(
              run.policy,
            )}`
          : `The control plane accepted run ${runId} (${run.status})`,
      );
      return run;
    }
    if (Date.now() >= deadline || options.signal?.aborted) {
      logger.warn(
        `The control plane has not taken run ${runId} off the queue within ${Math.round(
          options.timeoutMs / 1000,
        )} s; the request stays queued and is decided when the control plane is back: ${runUrl}`,
      );
      return undefined;
    }
    await sleep(delay);
    // Most decisions take milliseconds; back off towards the poll interval after that.
    delay = Math.min(delay * 2, options.pollIntervalMs);
  }
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
