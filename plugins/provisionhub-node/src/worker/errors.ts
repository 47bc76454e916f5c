/**
 * A failure that retrying cannot fix: invalid blueprint or values, a repository path taken by
 * someone else, a digest mismatch, an authentication or other 4xx answer. Worker steps and Git
 * providers throw it to fail the run at once.
 * @public
 */
export class PermanentError extends Error {
  /** The worker also recognises the class by this name. */
  readonly name = 'PermanentError';
}

/**
 * A failure that may go away: network, 5xx, a broker hiccup. The worker retries the run with
 * backoff (as it does for any error that is not a {@link PermanentError}).
 * @public
 */
export class TransientError extends Error {
  /** The error's name in logs. */
  readonly name = 'TransientError';
}
