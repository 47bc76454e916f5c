/**
 * HTTP credentials for a Git remote.
 * @public
 */
export interface GitHttpCredentials {
  /** Base URL the credentials are scoped to, e.g. `https://gitlab.example.com`. */
  baseUrl: string;
  /** `oauth2` for GitLab, `x-access-token` for GitHub. */
  username: string;
  /** Secret. */
  token: string;
}

/**
 * Gives git an `Authorization` header for one base URL through `GIT_CONFIG_*` variables, so a
 * token is never part of a command line (visible in `ps`) or a remote URL (echoed in errors).
 * Git providers put it in `ProvisionedRepository.gitEnv`.
 * @public
 */
export function gitCredentialsEnv(
  credentials: GitHttpCredentials | undefined,
): Record<string, string> {
  if (!credentials) {
    return {};
  }
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${credentials.baseUrl.replace(
      /\/*$/,
      '/',
    )}.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basicAuth(credentials)}`,
  };
}

/**
 * Secrets to redact besides the token itself: its Basic form appears in git's traces.
 * @public
 */
export function gitCredentialSecrets(
  credentials: GitHttpCredentials | undefined,
): string[] {
  return credentials ? [credentials.token, basicAuth(credentials)] : [];
}

function basicAuth(credentials: GitHttpCredentials) {
  return Buffer.from(`${credentials.username}:${credentials.token}`).toString(
    'base64',
  );
}
