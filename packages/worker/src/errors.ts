import {
  BlueprintDigestMismatchError,
  BlueprintRenderError,
  PermanentError,
  TransientError,
} from '@provisionhub/plugin-provisionhub-node';

export { PermanentError, TransientError };

/** Backstage's error names (`@backstage/errors`) that describe a request that will never work. */
const PERMANENT_NAMES = new Set([
  'InputError',
  'NotFoundError',
  'NotAllowedError',
  'AuthenticationError',
  'ConflictError',
  'NotModifiedError',
  'BlueprintRenderError',
  'BlueprintDigestMismatchError',
  'PermanentError',
]);

/**
 * Whether retrying the job may help. Network errors (ECONN*, timeouts), 5xx answers and broker
 * failures are transient, and so is anything unknown: the retry budget
 * (`provisionhub.runs.maxAttempts`) bounds them, and a bug shows up as a dead letter. Steps and
 * providers throw {@link PermanentError} for what can never work.
 * @public
 */
export function isRetryable(error: unknown): boolean {
  if (
    error instanceof PermanentError ||
    error instanceof BlueprintRenderError ||
    error instanceof BlueprintDigestMismatchError
  ) {
    return false;
  }
  return !(error instanceof Error && PERMANENT_NAMES.has(error.name));
}

/** Classifies an HTTP status: 5xx and 429 may pass, any other 4xx will not. */
export function errorForStatus(status: number, message: string): Error {
  return status >= 500 || status === 429 || status === 408
    ? new TransientError(message)
    : new PermanentError(message);
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
