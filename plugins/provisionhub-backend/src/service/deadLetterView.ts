import type { DeadLetter } from '@provisionhub/plugin-provisionhub-common';
import type { StoredDeadLetter } from '../database/RunStore';

/**
 * Only a valid job names a run whose pinned blueprint can be executed again.
 * @internal
 */
export function isRedrivable(deadLetter: StoredDeadLetter): boolean {
  return (
    deadLetter.valid && deadLetter.kind === 'job' && Boolean(deadLetter.runId)
  );
}

/**
 * A dead letter as the API shows it.
 * @internal
 */
export function toApiDeadLetter(deadLetter: StoredDeadLetter): DeadLetter {
  return { ...deadLetter, redrivable: isRedrivable(deadLetter) };
}
