import type { ConfigApi } from '@backstage/core-plugin-api';
import { keycloakAuthApiRef } from './keycloakAuthApiRef';

const DEFAULT_OIDC_TITLE = 'Keycloak';

/** The OIDC provider's name on the sign-in page and in the sign-in popup's request dialog. */
export function oidcTitle(config: ConfigApi) {
  return config.getOptionalString('app.signIn.oidcTitle') ?? DEFAULT_OIDC_TITLE;
}

/**
 * What the sign-in page offers: `app.signIn.providers` in its order, by default the guest in
 * the development auth environment and the OIDC provider everywhere else.
 */
export function signInProviders(config: ConfigApi) {
  const configured = config.getOptionalStringArray('app.signIn.providers');
  const names =
    configured ??
    (config.getOptionalString('auth.environment') === 'development'
      ? ['guest']
      : ['oidc']);
  return names.map(name => {
    if (name === 'guest') {
      return 'guest' as const;
    }
    if (name === 'oidc') {
      return {
        id: 'oidc',
        title: oidcTitle(config),
        message: 'Sign in with your company account',
        apiRef: keycloakAuthApiRef,
      };
    }
    throw new Error(
      `app.signIn.providers: unknown provider '${name}'; use guest or oidc`,
    );
  });
}
