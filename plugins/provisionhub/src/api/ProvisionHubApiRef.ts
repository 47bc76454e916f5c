import { createApiRef } from '@backstage/core-plugin-api';
import type { ProvisionHubApi } from '@provisionhub/plugin-provisionhub-common';

/**
 * The ProvisionHub control plane's REST API; implemented by `ProvisionHubClient` from
 * `@provisionhub/plugin-provisionhub-common`, which both plugin flavours register as its factory.
 * @public
 */
export const provisionHubApiRef = createApiRef<ProvisionHubApi>({
  id: 'plugin.provisionhub.api',
});
