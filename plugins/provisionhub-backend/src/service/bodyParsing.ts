import { CustomErrorBase, InputError } from '@backstage/errors';
import express, { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * A request body over the limit. Backstage's error middleware answers with its `statusCode`.
 * @internal
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** Largest JSON body the API accepts. */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * JSON body parsing with a size limit, turning the parser's errors into clear API errors:
 * 413 for a body over the limit, 400 for a body that is not JSON.
 * @internal
 */
export function jsonBody(
  limitBytes = DEFAULT_BODY_LIMIT_BYTES,
): Array<RequestHandler | ErrorRequestHandler> {
  const explain: ErrorRequestHandler = (error, _req, _res, next) => {
    if (error?.type === 'entity.too.large') {
      next(
        new PayloadTooLargeError(
          `the request body is ${
            error.length
          } bytes, over the limit of ${limitBytes} bytes (${Math.round(
            limitBytes / 1024,
          )} KiB); send fewer or smaller values`,
        ),
      );
    } else if (error?.type === 'entity.parse.failed') {
      next(
        new InputError(`the request body is not valid JSON: ${error.message}`),
      );
    } else {
      next(error);
    }
  };
  return [express.json({ limit: limitBytes }), explain];
}
