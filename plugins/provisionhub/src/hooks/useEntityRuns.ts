import { useApi } from '@backstage/core-plugin-api';
import {
  ListRunsQuery,
  Run,
  entitySignalChannel,
} from '@provisionhub/plugin-provisionhub-common';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../api';
import { useSignalVersion } from './useSignalVersion';

/** How many runs the history views read. */
export const RUN_HISTORY_LIMIT = 100;

/**
 * The runs matching each query (merged, newest first), re-read whenever a signal says a run of
 * `entityRef` changed. Pass no entity ref to wait (e.g. until it is known).
 */
export function useEntityRuns(
  entityRef: string | undefined,
  queries: ListRunsQuery[],
) {
  const api = useApi(provisionHubApiRef);
  const version = useSignalVersion(entitySignalChannel(entityRef ?? ''));
  const key = JSON.stringify(queries);
  return useAsync(async (): Promise<Run[] | undefined> => {
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
    // version: re-read on every signal.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, key, version]);
}
