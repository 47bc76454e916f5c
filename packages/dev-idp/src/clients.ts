/**
 * The clients the development identity provider knows. The portal's `app-config.oidc.yaml`
 * uses the same ids and secrets; they are development values, never production ones.
 * @public
 */
export const devIdpClients = {
  /** The portal's sign-in (authorization code flow with refresh tokens). */
  portal: { id: 'provisionhub-portal', secret: 'dev-portal-secret' },
  /** A machine client, e.g. a CI pipeline (client credentials). */
  ci: { id: 'provisionhub-ci', secret: 'dev-secret' },
} as const;

/**
 * The resource indicator of the ProvisionHub API and the audience (`aud`) of the access tokens
 * the provider issues for it; the backend's `jwks` external access accepts that audience.
 * @public
 */
export const provisionHubApi = {
  resource: 'urn:provisionhub:api',
  audience: 'provisionhub',
} as const;
