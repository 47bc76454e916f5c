export interface Config {
  provisionhub?: {
    git?: {
      /**
       * Settings of the `github` provider (`@provisionhub/worker-module-github`), used when
       * `provisionhub.git.provider` is `github`. The token is `integrations.github[host].token`.
       */
      github?: {
        /** Host of an `integrations.github` entry. Defaults to `github.com`. */
        host?: string;
        /** The organization repositories are created in. */
        organization: string;
        /** Visibility of created repositories. Defaults to `private`. */
        visibility?: 'private' | 'internal' | 'public';
      };
    };
  };
}
