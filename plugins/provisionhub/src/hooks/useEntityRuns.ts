import { useEffect } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  ListRunsQuery,
  Run,
  entitySignalChannel,
} from '@provisionhub/plugin-provisionhub-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../api';

/** How many runs the history views read. */
export const RUN_HISTORY_LIMIT = 100;

/**
 * The runs matching each query (merged, newest first), re-read whenever a signal says a run of
 * `entityRef` changed. Pass no entity ref to wait (e.g. until it is known).
 */
export function useEntityRuns(entityRef: string | undefined, queries: ListRunsQuery[]) {
  const api = useApi(provisionHubApiRef);
  const { lastSignal } = useSignal(entitySignalChannel(entityRef ?? ''));
  const key = JSON.stringify(queries);
  const state = useAsyncRetry(async (): Promise<Run[] | undefined> => {
    if (!entityRef) {
      return undefined;
    }
    const pages = await Promise.all(
      (JSON.parse(key) as ListRunsQuery[]).map(query =>
        api.listRuns({ limit: RUN_HISTORY_LIMIT, ...query }),
      ),
    );
    const byId = new Map<string, Run>();
    for (const run of pages.flatMap(page => page.items)) {
      byId.set(run.id, run);
    }
    return [...byId.values()].sort(
      (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
    );
  }, [api, entityRef, key]);

  const { retry } = state;
  useEffect(() => {
    if (lastSignal) {
      retry();
    }
  }, [lastSignal, retry]);
  return state;
}
