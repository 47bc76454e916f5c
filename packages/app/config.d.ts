export interface Config {
  app?: {
    /** The dev portal's sign-in page. */
    signIn?: {
      /**
       * The sign-in providers the page offers, in this order. Default: `guest` when
       * `auth.environment` is `development`, `oidc` otherwise.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'oidc'>;
      /**
       * The OIDC provider's name on the sign-in page (default: Keycloak).
       * @visibility frontend
       */
      oidcTitle?: string;
    };
  };
}
