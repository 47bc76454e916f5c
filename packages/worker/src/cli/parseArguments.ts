import { parseArgs } from 'node:util';

/** @public */
export interface WorkerArguments {
  configs: string[];
  concurrency?: number;
  help: boolean;
}

export const USAGE = `Usage: provisionhub-worker --config app-config.yaml [--config app-config.production.yaml] [--concurrency N]

Consumes ProvisionHub jobs from RabbitMQ and renders blueprints into Git repositories.

Options:
  -c, --config <path>    app-config file; repeat to layer files (later ones win).
                         Default, as a Backstage backend: app-config.yaml and,
                         if present, app-config.local.yaml in the current folder.
                         Pass the same files as to the portal's backend.
      --concurrency <N>  jobs run at once; overrides provisionhub.worker.concurrency
  -h, --help             show this help

Environment:
  APP_CONFIG_<path>      Backstage config overrides, e.g. APP_CONFIG_provisionhub_worker_port=7009
  PROVISIONHUB_AMQP_URL, PROVISIONHUB_AMQP_PREFIX, PROVISIONHUB_WORKER_PORT
  LOG_LEVEL              error, warn, info (default) or debug
`;

/** Parses the command line; throws an Error with a one-line reason. */
export function parseArguments(argv: string[]): WorkerArguments {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c', multiple: true },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (
      !/^\d+$/.test(values.concurrency) ||
      concurrency < 1 ||
      concurrency > 256
    ) {
      throw new Error(
        `--concurrency must be a whole number from 1 to 256, got '${values.concurrency}'`,
      );
    }
  }
  return {
    configs: values.config ?? [],
    concurrency,
    help: values.help ?? false,
  };
}
