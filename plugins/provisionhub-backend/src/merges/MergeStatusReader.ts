import type { RunOutputs } from '@provisionhub/plugin-provisionhub-common';

/**
 * Where an upgrade's branch or merge request stands: `open` (ask again later), `merged`, or
 * `closed` (will never be merged); `detail` is one line for the log.
 * @internal
 */
export interface MergeStatus {
  state: 'open' | 'merged' | 'closed';
  detail: string;
}

/**
 * Tells whether an upgrade run's result — its merge request, or on plain git its branch — was
 * merged into the default branch. Throws when it cannot tell (the server is down, a token is
 * wrong); the message says what to check and never contains a credential.
 * @internal
 */
export interface MergeStatusReader {
  read(outputs: RunOutputs): Promise<MergeStatus>;
}
