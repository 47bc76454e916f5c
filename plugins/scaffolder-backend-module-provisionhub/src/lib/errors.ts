import { ResponseError } from '@backstage/errors';

/** True when a REST call answered 404 (the client throws a ResponseError carrying the status). */
export function isNotFound(error: unknown): boolean {
  return ResponseError.is(error)
    ? error.statusCode === 404
    : (error as Error)?.name === 'NotFoundError';
}

/** True for answers that asking again will not change: the caller lacks a token or a permission. */
export function isAccessDenied(error: unknown): boolean {
  return (
    ResponseError.is(error) &&
    (error.statusCode === 401 || error.statusCode === 403)
  );
}

/** The message of an error from the REST client, without the "Request failed with 404" noise. */
export function describeError(error: unknown): string {
  if (ResponseError.is(error)) {
    return `${error.cause.message || error.message} (HTTP ${error.statusCode})`;
  }
  return error instanceof Error ? error.message : String(error);
}
