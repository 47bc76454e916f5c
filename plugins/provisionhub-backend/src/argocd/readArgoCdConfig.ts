import type { Config } from '@backstage/config';
import type { ArgoCdClientOptions } from './ArgoCdClient';

const KEY = 'provisionhub.argocd';
const DEFAULT_TIMEOUT_MS = 3000;

/**
 * Reads `provisionhub.argocd`: where Argo CD's API is and the token to call it with. Undefined
 * when the portal does not configure it (environment status then comes from the GitOps
 * repository alone).
 * @throws Error naming the key and what is wrong with it; never containing the token
 * @internal
 */
export function readArgoCdConfig(
  config: Config,
): ArgoCdClientOptions | undefined {
  const argocd = config.getOptionalConfig(KEY);
  if (!argocd) {
    return undefined;
  }
  const rawUrl = argocd.getString('baseUrl').trim();
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(
      `${KEY}.baseUrl '${rawUrl}' is not a URL; give Argo CD's address, e.g. https://argocd.example.com`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `${KEY}.baseUrl '${rawUrl}' must be an http or https URL, e.g. https://argocd.example.com`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(
      `${KEY}.baseUrl must be a plain address without credentials, query or fragment; put the token in ${KEY}.token`,
    );
  }
  const token = argocd.getString('token').trim();
  if (!token) {
    throw new Error(
      `${KEY}.token is empty; give an Argo CD API token (argocd account generate-token)`,
    );
  }
  const timeoutMs = argocd.getOptionalNumber('timeoutMs') ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(
      `${KEY}.timeoutMs must be a whole number of milliseconds above 0, got ${timeoutMs}`,
    );
  }
  return {
    baseUrl: url.toString().replace(/\/+$/, ''),
    token,
    timeoutMs,
  };
}
