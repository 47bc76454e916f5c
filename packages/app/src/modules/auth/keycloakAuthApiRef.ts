import {
  BackstageIdentityApi,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
  createApiRef,
} from '@backstage/core-plugin-api';

/**
 * Sign-in through the backend's `oidc` auth provider: Keycloak in app-config.production.yaml,
 * the local development provider in app-config.oidc.yaml.
 */
export const keycloakAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>({ id: 'app.auth.keycloak' });
