import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ProvisionHubClient } from '@provisionhub/plugin-provisionhub-common';

/**
 * A client of the control plane's REST API that calls it as this plugin (a plugin-to-plugin
 * token), since the actions run in the scaffolder's task worker, not inside a user request.
 *
 * @internal
 */
export function createProvisionHubServiceClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ProvisionHubClient {
  const { discovery, auth } = options;
  return new ProvisionHubClient({
    discoveryApi: discovery,
    fetchApi: {
      fetch: async (input, init) => {
        const { token } = await auth.getPluginRequestToken({
          onBehalfOf: await auth.getOwnServiceCredentials(),
          targetPluginId: 'provisionhub',
        });
        const headers = new Headers(init?.headers);
        headers.set('Authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    },
  });
}
