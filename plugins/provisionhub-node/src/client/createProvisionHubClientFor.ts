import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ProvisionHubClient } from '@provisionhub/plugin-provisionhub-common';

/**
 * Clients of the control plane's REST API that call it on behalf of given credentials (a
 * scaffolder task's initiator, the caller of an action), with a fresh plugin-to-plugin token per
 * request: the control plane then checks that user's own permissions, never the calling
 * plugin's. Backstage forwards a user's identity this way; for a service caller it issues a
 * token of the calling plugin instead, and refuses to delegate a token whose external access
 * lists permissions.
 *
 * @public
 */
export function createProvisionHubClientFor(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): (credentials: BackstageCredentials) => ProvisionHubClient {
  const { discovery, auth } = options;
  return credentials =>
    new ProvisionHubClient({
      discoveryApi: discovery,
      fetchApi: {
        fetch: async (input, init) => {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'provisionhub',
          });
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      },
    });
}
