import { useEffect, useReducer } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';

/**
 * A number that goes up with every message on `channel`; put it in the dependencies of a read
 * to repeat the read on every change. Stays 0 when the portal has no signals.
 */
export function useSignalVersion(channel: string): number {
  const { lastSignal } = useSignal(channel);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (lastSignal) {
      bump();
    }
  }, [lastSignal]);
  return version;
}
