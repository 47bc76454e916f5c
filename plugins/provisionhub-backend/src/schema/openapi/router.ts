import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from './spec';

/**
 * An express router typed by `openapi.yaml` that validates every request (path, query and
 * body) against it before a handler runs.
 * @internal
 */
export function createOpenApiRouter(
  options?: Parameters<typeof createValidatedOpenApiRouter>[1],
) {
  return createValidatedOpenApiRouter<typeof spec>(spec, options);
}
