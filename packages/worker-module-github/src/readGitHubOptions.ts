import type { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';

/**
 * Settings of the `github` provider, checked.
 * @public
 */
export interface GitHubProviderOptions {
  /** Host of the `integrations.github` entry. */
  host: string;
  /** REST API base URL, e.g. `https://api.github.com`. */
  apiBaseUrl: string;
  /** Secret; from the integration. */
  token: string;
  /** Where repositories are created. */
  organization: string;
  /** Of created repositories. */
  visibility: 'private' | 'internal' | 'public';
}

const VISIBILITIES = ['private', 'internal', 'public'] as const;
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/**
 * Reads `provisionhub.git.github` and the token of the matching `integrations.github` entry;
 * throws naming the key that is missing or wrong.
 * @public
 */
export function readGitHubOptions(config: Config): GitHubProviderOptions {
  const github = config.getOptionalConfig('provisionhub.git.github');
  const host = github?.getOptionalString('host') ?? 'github.com';
  const organization = github?.getOptionalString('organization');
  if (!organization || !ORGANIZATION.test(organization)) {
    throw new Error(
      `provisionhub.git.github.organization ${
        organization
          ? `'${organization}' is not a GitHub organization name`
          : 'is required'
      } when provisionhub.git.provider is github`,
    );
  }
  const visibility = github?.getOptionalString('visibility') ?? 'private';
  if (!(VISIBILITIES as readonly string[]).includes(visibility)) {
    throw new Error(
      `provisionhub.git.github.visibility must be one of ${VISIBILITIES.join(
        ', ',
      )}, got '${visibility}'`,
    );
  }
  const integration = ScmIntegrations.fromConfig(config).github.byHost(host);
  if (!integration) {
    throw new Error(
      `integrations.github has no entry for host '${host}' (provisionhub.git.github.host); add one with a token`,
    );
  }
  const { token, apiBaseUrl } = integration.config;
  if (!token) {
    throw new Error(
      `integrations.github entry for host '${host}' has no token; the worker needs one that may create repositories in ${organization}`,
    );
  }
  if (!apiBaseUrl) {
    throw new Error(
      `integrations.github entry for host '${host}' has no apiBaseUrl`,
    );
  }
  return {
    host,
    apiBaseUrl,
    token,
    organization,
    visibility: visibility as GitHubProviderOptions['visibility'],
  };
}
