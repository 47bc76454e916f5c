import { loadAppConfig, readWorkerConfig } from '../config';
import { ConfigError } from '../config/ConfigError';
import { createWorkerLogger } from '../createWorkerLogger';
import { RunningWorker, startWorker } from '../startWorker';
import { USAGE, parseArguments } from './parseArguments';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** A repeated signal this soon after the first is the same request to stop, delivered twice. */
const SAME_SIGNAL_WINDOW_MS = 1000;

/**
 * The `provisionhub-worker` program. Resolves with the exit code: 0 after a clean shutdown on
 * SIGTERM/SIGINT, 1 when the command line or the configuration (worker modules and the Git
 * provider included) is wrong (one line on stderr that names the problem) or the worker cannot
 * start.
 * @public
 */
export async function main(
  argv: string[] = process.argv.slice(2),
): Promise<number> {
  let args;
  try {
    args = parseArguments(argv);
  } catch (error) {
    process.stderr.write(
      `provisionhub-worker: ${(error as Error).message}\n\n${USAGE}`,
    );
    return 1;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  let rootConfig;
  let config;
  try {
    rootConfig = await loadAppConfig({ files: args.configs });
    config = readWorkerConfig(rootConfig, { concurrency: args.concurrency });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `provisionhub-worker: invalid configuration: ${error.message}\n`,
      );
      return 1;
    }
    throw error;
  }

  const logger = createWorkerLogger(config.secrets);
  let running: RunningWorker | undefined;
  let stopping: Promise<number> | undefined;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>(resolve => {
    finish = resolve;
  });
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping && Date.now() - firstSignalAt < SAME_SIGNAL_WINDOW_MS) {
      // `yarn provisionhub-worker` signalled as a process group: the worker gets the signal
      // from the group and again from yarn, which forwards it. One request to stop, one drain.
      return;
    }
    if (stopping) {
      logger.warn(
        `${signal} again: aborting the runs in flight; they go back to the queue`,
      );
      running?.worker.abortAll();
      return;
    }
    firstSignalAt = Date.now();
    logger.info(`${signal} received: draining`);
    stopping = (running ? running.stop() : Promise.resolve()).then(
      () => 0,
      error => {
        logger.error(`Shutdown failed: ${(error as Error).message}`);
        return 1;
      },
    );
    stopping.then(finish);
  };
  // Added together here and removed together below, whatever happens.
  SIGNALS.forEach(s => process.on(s, onSignal));
  try {
    try {
      running = await startWorker({ config, rootConfig, logger });
    } catch (error) {
      if (error instanceof ConfigError) {
        // Worker modules and the Git provider they register are configuration too.
        process.stderr.write(
          `provisionhub-worker: invalid configuration: ${error.message}\n`,
        );
        return 1;
      }
      const { code, message } = error as NodeJS.ErrnoException;
      logger.error(
        code === 'EADDRINUSE'
          ? `provisionhub.worker.port ${config.worker.port} is already in use; choose another port`
          : `The worker could not start: ${message}`,
      );
      return 1;
    }
    logger.info(
      `Probes and metrics on http://localhost:${running.port}/livez, /readyz and /metrics`,
    );
    if (stopping) {
      // A signal arrived while starting: stop what just started.
      await running.stop();
    }
    return await done;
  } finally {
    SIGNALS.forEach(s => process.off(s, onSignal));
  }
}
