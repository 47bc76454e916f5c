export type GreetingState =
  | { status: 'loading' }
  | { status: 'ready'; message: string }
  | { status: 'failed'; error: string };

/** Shows what the backend said, or why it said nothing. */
export function GreetingCard({ state, onRetry }: { state: GreetingState; onRetry?: () => void }) {
  switch (state.status) {
    case 'loading':
      return (
        <section className="card" aria-busy="true">
          Asking the backend…
        </section>
      );
    case 'ready':
      return (
        <section className="card">
          <p className="message">{state.message}</p>
        </section>
      );
    case 'failed':
      return (
        <section className="card error" role="alert">
          <p>{state.error}</p>
          {onRetry && (
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          )}
        </section>
      );
  }
}
