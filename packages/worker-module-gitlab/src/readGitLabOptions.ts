import type { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';

/**
 * Settings of the `gitlab` provider, checked.
 * @public
 */
export interface GitLabProviderOptions {
  /** Host of the `integrations.gitlab` entry. */
  host: string;
  /** Base URL of the GitLab instance, e.g. `https://gitlab.example.com`. */
  baseUrl: string;
  /** API base URL, e.g. `https://gitlab.example.com/api/v4`. */
  apiBaseUrl: string;
  /** Secret; from the integration. */
  token: string;
  /** Full path of the base group; systems become subgroups. */
  group: string;
  /** Of created groups and projects. */
  visibility: 'private' | 'internal' | 'public';
}

const VISIBILITIES = ['private', 'internal', 'public'] as const;

/**
 * Reads `provisionhub.git.gitlab` and the token of the matching `integrations.gitlab` entry;
 * throws naming the key that is missing or wrong.
 * @public
 */
export function readGitLabOptions(config: Config): GitLabProviderOptions {
  const gitlab = config.getOptionalConfig('provisionhub.git.gitlab');
  const host = gitlab?.getOptionalString('host');
  const group = gitlab?.getOptionalString('group')?.replace(/^\/+|\/+$/g, '');
  if (!host) {
    throw new Error(
      'provisionhub.git.gitlab.host is required when provisionhub.git.provider is gitlab',
    );
  }
  if (!group) {
    throw new Error(
      'provisionhub.git.gitlab.group (the base group, e.g. platform) is required when provisionhub.git.provider is gitlab',
    );
  }
  const visibility = gitlab?.getOptionalString('visibility') ?? 'private';
  if (!(VISIBILITIES as readonly string[]).includes(visibility)) {
    throw new Error(
      `provisionhub.git.gitlab.visibility must be one of ${VISIBILITIES.join(
        ', ',
      )}, got '${visibility}'`,
    );
  }
  const integration = ScmIntegrations.fromConfig(config).gitlab.byHost(host);
  if (!integration) {
    throw new Error(
      `integrations.gitlab has no entry for host '${host}' (provisionhub.git.gitlab.host); add one with a token`,
    );
  }
  const { token, baseUrl, apiBaseUrl } = integration.config;
  if (!token) {
    throw new Error(
      `integrations.gitlab entry for host '${host}' has no token; the worker needs one that may create projects and groups`,
    );
  }
  return {
    host,
    baseUrl,
    apiBaseUrl,
    token,
    group,
    visibility: visibility as GitLabProviderOptions['visibility'],
  };
}
