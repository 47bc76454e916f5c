export interface Config {
  /** ProvisionHub: self-service provisioning on RabbitMQ and a worker fleet. */
  provisionhub?: {
    /**
     * Control-plane policy: a run whose blueprint or owner is listed waits in
     * `awaiting_approval` until someone with `provisionhub.run.approve` approves or rejects it;
     * every other run is queued at once.
     */
    approval?: {
      /** Blueprint names whose runs need approval, e.g. `postgres-database`. */
      blueprints?: string[];
      /** Owner entity refs whose runs need approval, e.g. `group:default/contractors`. */
      owners?: string[];
      /**
       * Entity refs (users or groups) notified when a run starts waiting for approval.
       * Nobody is notified when absent.
       */
      approvers?: string[];
    };
    /** Which Blueprint entities may be used, and where their files may come from. */
    blueprints?: {
      /**
       * Catalog locations whose Blueprint entities may be used. An entity is trusted when its
       * `backstage.io/managed-by-location` is inside one of these locations (whole path
       * segments) and, when the entry lists owners, its `spec.owner` is one of them. Blueprints
       * from anywhere else are listed with the reason "not from a trusted source" and their runs
       * and dry runs are refused. Nothing is trusted when absent.
       */
      trusted?: Array<{
        /**
         * `file:<path>` (a relative path is resolved from the backend's working directory, like
         * catalog file locations) or `url:<url>`, e.g.
         * `url:https://gitlab.example.com/platform/blueprints/-/blob/main/`.
         */
        location: string;
        /**
         * Only entities with one of these `spec.owner` refs. `spec.owner` is written by whoever
         * can write to the location, so this narrows a trusted location; it never makes an
         * untrusted one trusted.
         */
        owners?: string[];
      }>;
      /**
       * Folders that `spec.files[].from` may use besides the blueprint's own folder (shared
       * partials such as Helm charts), as `file:<path>` or `url:<url>` like `trusted`.
       */
      sharedFolders?: string[];
    };
  };
}
