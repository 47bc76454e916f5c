import { ResponseError } from '@backstage/errors';

/** The control plane answered 403: the permission framework said no. */
export function isPermissionDenied(error: unknown): boolean {
  if (ResponseError.is(error)) {
    return error.statusCode === 403 || error.cause.name === 'NotAllowedError';
  }
  return error instanceof Error && error.name === 'NotAllowedError';
}

/** The message the control plane gave, without the HTTP wrapping. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The control plane answered 404: what was asked for does not exist (there). */
export function isNotFound(error: unknown): boolean {
  if (ResponseError.is(error)) {
    return error.statusCode === 404;
  }
  return error instanceof Error && error.name === 'NotFoundError';
}
