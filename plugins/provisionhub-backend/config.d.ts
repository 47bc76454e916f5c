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
  };
}
