import type { RunStatus } from './types';

/**
 * The signal channel that carries every change of one run.
 * @public
 */
export function runSignalChannel(runId: string): string {
  return `provisionhub:run:${runId}`;
}

/**
 * The signal channel that carries run changes of one system or component, by entity ref.
 * @public
 */
export function entitySignalChannel(entityRef: string): string {
  return `provisionhub:entity:${entityRef.toLocaleLowerCase('en-US')}`;
}

/**
 * What is pushed on both channels when a run changes; clients re-read what they need.
 * @public
 */
export interface RunChangedSignal {
  runId: string;
  entityRef: string;
  status: RunStatus;
  /** Highest log sequence stored so far. */
  lastLogSeq: number;
}
