import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  Run,
  RunLogLine,
  entitySignalChannel,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import { provisionHubApiRef } from '../api';

/** Poll interval while the portal has no signals (no signal API registered). */
export const POLL_INTERVAL_MS = 2000;
/**
 * Poll interval while signals are registered: signals do the work, this only covers a push
 * connection that dropped silently, which the signal API does not report.
 */
export const SAFETY_POLL_INTERVAL_MS = 10000;
/** Log lines asked for per request; a full page means there may be more. */
export const LOG_PAGE_SIZE = 500;

/** @public */
export interface LiveRun {
  run?: Run;
  /** Every log line received so far, in sequence order, without duplicates. */
  logs: RunLogLine[];
  /** The last refresh failed; `run` and `logs` still hold what was read before. */
  error?: Error;
  loading: boolean;
  /** Whether updates are pushed through signals (otherwise they are polled). */
  live: 'signals' | 'polling';
  /** Re-read the run and any new log lines now. */
  refresh(): Promise<void>;
  /** Show a run returned by an action (cancel, retry) at once, then refresh. */
  applyRun(run: Run): void;
}

interface State {
  run?: Run;
  logs: RunLogLine[];
  error?: Error;
  loading: boolean;
}

/**
 * A run and its logs, kept current: once the run is read, every signal on its entity's channel
 * triggers a re-read of the run and of the log lines after the last sequence seen (a signal of
 * another run of the entity costs a read that finds nothing new; the signal's run id is not
 * trusted to filter, since two signals in one render would show only the last); without
 * signals it polls while the run is not finished.
 */
export function useLiveRun(runId: string): LiveRun {
  const api = useApi(provisionHubApiRef);
  const [state, setState] = useState<State>({ logs: [], loading: true });
  const entityRef = state.run?.id === runId ? state.run.entityRef : undefined;
  const { lastSignal, isSignalsAvailable } = useSignal(
    entitySignalChannel(entityRef ?? ''),
  );

  const lastSeq = useRef(0);
  const inFlight = useRef<Promise<void> | undefined>(undefined);
  const again = useRef(false);
  const current = useRef({ runId, active: true });

  const readOnce = useCallback(async () => {
    const target = current.current;
    try {
      const run = await api.getRun(runId);
      const fresh: RunLogLine[] = [];
      let after = lastSeq.current;
      for (;;) {
        const seen = after;
        const page = await api.getRunLogs(runId, {
          after: seen,
          limit: LOG_PAGE_SIZE,
        });
        const lines = page.items.filter(line => line.seq > seen);
        fresh.push(...lines);
        after = Math.max(after, page.lastSeq, ...lines.map(line => line.seq));
        if (page.items.length < LOG_PAGE_SIZE || lines.length === 0) {
          break;
        }
      }
      if (!target.active) {
        return;
      }
      lastSeq.current = after;
      setState(prev => ({
        run,
        logs: fresh.length > 0 ? [...prev.logs, ...fresh] : prev.logs,
        error: undefined,
        loading: false,
      }));
    } catch (e) {
      if (target.active) {
        setState(prev => ({ ...prev, error: e as Error, loading: false }));
      }
    }
  }, [api, runId]);

  // One read at a time; a request that arrives meanwhile causes exactly one more read.
  const refresh = useCallback((): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const work = (async () => {
      do {
        again.current = false;
        await readOnce();
      } while (again.current && current.current.active);
    })().finally(() => {
      if (inFlight.current === work) {
        inFlight.current = undefined;
      }
    });
    inFlight.current = work;
    return work;
  }, [readOnce]);

  useEffect(() => {
    const marker = { runId, active: true };
    current.current = marker;
    lastSeq.current = 0;
    inFlight.current = undefined;
    again.current = false;
    setState({ logs: [], loading: true });
    refresh();
    return () => {
      marker.active = false;
    };
  }, [runId, refresh]);

  useEffect(() => {
    if (lastSignal) {
      refresh();
    }
  }, [lastSignal, refresh]);

  // The channel is known only after the first read: read once more when listening starts, for
  // a change that happened in between.
  useEffect(() => {
    if (entityRef && isSignalsAvailable) {
      refresh();
    }
  }, [entityRef, isSignalsAvailable, refresh]);

  const status = state.run?.status;
  const finished = status === undefined || isTerminalRunStatus(status);
  useEffect(() => {
    if (finished) {
      return undefined;
    }
    const timer = setInterval(
      () => refresh(),
      isSignalsAvailable ? SAFETY_POLL_INTERVAL_MS : POLL_INTERVAL_MS,
    );
    return () => clearInterval(timer);
  }, [finished, isSignalsAvailable, refresh]);

  const applyRun = useCallback(
    (run: Run) => {
      setState(prev => ({ ...prev, run: { ...prev.run, ...run } }));
      refresh();
    },
    [refresh],
  );

  return {
    ...state,
    live: isSignalsAvailable ? 'signals' : 'polling',
    refresh,
    applyRun,
  };
}
