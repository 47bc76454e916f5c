import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ProvisionHubClient } from '@provisionhub/plugin-provisionhub-common';
import { provisionHubApiRef } from './ProvisionHubApiRef';

/** The one factory that both the legacy plugin and the new frontend system register. */
export const provisionHubApiFactory = createApiFactory({
  api: provisionHubApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new ProvisionHubClient({ discoveryApi, fetchApi }),
});
