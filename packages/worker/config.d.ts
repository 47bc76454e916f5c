export interface Config {
  provisionhub?: {
    /** Where the worker creates repositories and pushes rendered blueprints. */
    git?: {
      /**
       * `git`: the git CLI against local folders or any remote git can push to (default).
       * Any other name: a provider that a module in `provisionhub.worker.modules` registers,
       * e.g. `gitlab` (`@provisionhub/worker-module-gitlab`) or `github`
       * (`@provisionhub/worker-module-github`).
       */
      provider?: string;
      /** Branch of every new repository. Defaults to `main`. */
      defaultBranch?: string;
      /** Author and committer of the commits the worker makes. */
      author?: {
        /** Defaults to `ProvisionHub`. */
        name?: string;
        /** Defaults to `provisionhub@example.com`. */
        email?: string;
      };
      /** Settings of the `git` provider. */
      git?: {
        /**
         * A folder (relative to the worker's working directory), a `file://` URL, or a URL prefix
         * (`ssh://`, `https://`, `git@host:group`). Repositories are `<remoteBase>/<system>/<name>.git`.
         * For folders the worker creates bare repositories itself; for https remotes the token
         * comes from the matching `integrations.github` / `integrations.gitlab` entry.
         * Defaults to `.provisionhub/git`.
         */
        remoteBase?: string;
      };
    };
    /** The worker process (`provisionhub-worker`). */
    worker?: {
      /** Jobs run at once (RabbitMQ prefetch). Defaults to 4; `--concurrency` overrides it. */
      concurrency?: number;
      /** Port of the probes (`/livez`, `/readyz`) and `/metrics`; 0 picks a free port. Defaults to 7008. */
      port?: number;
      /**
       * On SIGTERM, how long in-flight runs may take to finish before they are aborted and
       * returned to the queue, in milliseconds. Defaults to 30000.
       */
      shutdownTimeoutMs?: number;
      /** Folder for per-run workspaces. Defaults to `<tmpdir>/provisionhub-worker`. */
      workspaceDir?: string;
      /** Blueprint versions kept in memory by digest. Defaults to 50; 0 disables the cache. */
      blueprintCacheSize?: number;
      /**
       * Worker modules to load at startup, by package name, e.g.
       * `['@provisionhub/worker-module-http']`. Each adds blueprint step types and Git providers
       * (see the node library's README). The packages must be installed where the worker runs.
       * Their settings live under `provisionhub.worker.<module>`, where values of keys named
       * like credentials (`token`, `password`, …) are redacted.
       */
      modules?: string[];
    };
  };
}
