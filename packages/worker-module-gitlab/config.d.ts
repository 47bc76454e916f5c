export interface Config {
  provisionhub?: {
    git?: {
      /**
       * Settings of the `gitlab` provider (`@provisionhub/worker-module-gitlab`), used when
       * `provisionhub.git.provider` is `gitlab`. The token is `integrations.gitlab[host].token`.
       */
      gitlab?: {
        /** Host of an `integrations.gitlab` entry, e.g. `gitlab.example.com`. */
        host: string;
        /** Full path of the base group; each system becomes a subgroup of it. */
        group: string;
        /** Visibility of created groups and projects. Defaults to `private`. */
        visibility?: 'private' | 'internal' | 'public';
      };
    };
  };
}
