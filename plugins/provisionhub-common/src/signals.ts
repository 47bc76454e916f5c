import type { RunStatus } from './types';

/**
 * The signal channel that carries every change of every run of one system or component, by
 * entity ref (a run's `entityRef`). A page that follows one run listens on its entity's channel
 * and re-reads the run on each signal: one signal per change, not one per channel, since each
 * signal is a round trip through the portal's events backend.
 * @public
 */
export function entitySignalChannel(entityRef: string): string {
  return `provisionhub:entity:${entityRef.toLocaleLowerCase('en-US')}`;
}

/**
 * What is pushed on the entity's channel when one of its runs changes; clients re-read what
 * they need.
 * @public
 */
export interface RunChangedSignal {
  runId: string;
  entityRef: string;
  status: RunStatus;
  /** Highest log sequence stored so far. */
  lastLogSeq: number;
}
