export interface Config {
  /** ProvisionHub: self-service provisioning on RabbitMQ and a worker fleet. */
  provisionhub?: {
    amqp?: {
      /**
       * AMQP URL of the RabbitMQ broker, including credentials.
       * Defaults to amqp://guest:guest@localhost:5672.
       * @visibility secret
       */
      url?: string;
      /** Prefix of every exchange and queue name. Defaults to `provisionhub`. */
      prefix?: string;
      /** Largest message body accepted by consumers, in bytes. Defaults to 1 MiB. */
      maxMessageBytes?: number;
    };
    runs?: {
      /** How many times a job is attempted before it is dead-lettered. Defaults to 5. */
      maxAttempts?: number;
      /** Capped exponential backoff between attempts. */
      backoff?: {
        /** Delay before the second attempt, in milliseconds. Defaults to 1000. */
        initialMs?: number;
        /** Longest delay between attempts, in milliseconds. Defaults to 60000. */
        maxMs?: number;
      };
    };
    /** Where the portal shows ProvisionHub's pages, for the links the backend parts produce. */
    routes?: {
      /**
       * Path of a run's page under `app.baseUrl`, with `:id` for the run id. Change it together
       * with the path the ProvisionHub page is mounted at. Defaults to `/provisionhub/runs/:id`.
       */
      run?: string;
    };
    /** Limits of one blueprint render (worker render step and the control plane's dry run). */
    render?: {
      /** The whole blueprint must render within this time, in milliseconds. Defaults to 10000. */
      timeoutMs?: number;
      /** Total size of the rendered files, in bytes. Defaults to 67108864 (64 MiB). */
      maxOutputBytes?: number;
    };
  };
}
