import type { AuthService } from '@backstage/backend-plugin-api';

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A fetch that calls another plugin of the same deployment as this plugin's own service
 * principal, with a plugin-to-plugin token for `targetPluginId`, and gives up after 30 seconds.
 */
export function createServiceFetch(
  auth: AuthService,
  targetPluginId: string,
): { fetch: typeof fetch } {
  return {
    async fetch(input, init) {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId,
      });
      const headers = new Headers(init?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return fetch(input, {
        ...init,
        headers,
        signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    },
  };
}
