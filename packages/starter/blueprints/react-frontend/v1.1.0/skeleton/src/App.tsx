import { useCallback, useEffect, useState } from 'react';
import { fetchGreeting } from './api';
import { GreetingCard, GreetingState } from './components/GreetingCard';
import { appConfig } from './config';

export function App({ load = fetchGreeting }: { load?: typeof fetchGreeting }) {
  const [state, setState] = useState<GreetingState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(a => a + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    load('visitor', { signal: controller.signal }).then(
      greeting => setState({ status: 'ready', message: greeting.message }),
      (error: Error) => {
        if (!controller.signal.aborted) {
          setState({ status: 'failed', error: error.message });
        }
      },
    );
    return () => controller.abort();
  }, [load, attempt]);

  return (
    <main>
      <header>
        <h1>{appConfig.title}</h1>
        <p className="subtitle">
          {appConfig.service} · part of {appConfig.system}
        </p>
      </header>
      <GreetingCard state={state} onRetry={retry} />
    </main>
  );
}
