import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import { BlueprintCache } from './blueprints/BlueprintCache';
import type { WorkerConfig } from './config';
import type { RunEventPublisherOptions } from './events/RunEventPublisher';
import { checkGitVersion } from './git/checkGitVersion';
import { readiness } from './http/readiness';
import { HttpServerHandle, startHttpServer } from './http/startHttpServer';
import { WorkerMetrics } from './metrics';
import { builtinWorkerModule } from './modules/builtinWorkerModule';
import { loadWorkerModules } from './modules/loadWorkerModules';
import { LoadedWorkerModule, WorkerRegistry } from './modules/WorkerRegistry';
import { Worker } from './Worker';

/** @public */
export interface RunningWorker {
  worker: Worker;
  metrics: WorkerMetrics;
  /** The port `/livez`, `/readyz` and `/metrics` listen on. */
  port: number;
  /** Drains the worker, then closes the HTTP server and the broker. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a worker: worker modules, broker connection, Git provider, URL readers, job and control
 * consumers and the HTTP endpoints. The CLI calls this; tests and embedders may too.
 * @public
 */
export async function startWorker(options: {
  config: WorkerConfig;
  /** The whole app-config, for the URL readers (`integrations:`, `backend.reading`) and modules. */
  rootConfig: Config;
  logger: LoggerService;
  workerId?: string;
  events?: RunEventPublisherOptions;
  /** Modules already loaded; by default the packages `provisionhub.worker.modules` names. */
  modules?: LoadedWorkerModule[];
}): Promise<RunningWorker> {
  const { config, rootConfig, logger } = options;
  const modules = options.modules ?? loadWorkerModules(config.worker.modules);
  const registry = await WorkerRegistry.create(
    [builtinWorkerModule(config), ...modules],
    rootConfig,
  );
  const provider = await registry.createGitProvider(
    config.git.provider === 'module' ? config.git.name : config.git.provider,
    { git: config.git, logger, secrets: config.secrets },
  );
  for (const { source, module } of modules) {
    logger.info(`Loaded worker module ${source} (id '${module.id}')`);
  }
  const workerId =
    options.workerId ??
    `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const metrics = new WorkerMetrics();
  const broker = ProvisionHubBroker.create({
    amqp: config.amqp,
    retry: config.retry,
    logger,
    connectionName: `provisionhub-worker ${workerId}`,
  });
  let worker: Worker | undefined;
  let http: HttpServerHandle | undefined;
  try {
    logger.info(`Using ${await checkGitVersion()}`);
    await fs.mkdir(config.worker.workspaceDir, { recursive: true });
    http = await startHttpServer({
      port: config.worker.port,
      metrics,
      readiness: () => readiness(broker, worker),
    });
    worker = await Worker.start({
      broker,
      provider,
      registry,
      git: config.git,
      retry: config.retry,
      renderLimits: config.render,
      blueprints: new BlueprintCache({
        maxEntries: config.worker.blueprintCacheSize,
      }),
      urlReader: lazyUrlReader(rootConfig, logger),
      logger,
      metrics,
      workerId,
      workspaceDir: config.worker.workspaceDir,
      secrets: config.secrets,
      concurrency: config.worker.concurrency,
      shutdownTimeoutMs: config.worker.shutdownTimeoutMs,
      events: options.events,
    });
  } catch (error) {
    await http?.close();
    await broker.close();
    throw error;
  }
  const running = worker;
  const server = http;
  let stopped: Promise<void> | undefined;
  return {
    worker: running,
    metrics,
    port: server.port,
    stop: () => {
      stopped ??= (async () => {
        await running.stop();
        await server.close();
        await broker.close();
        logger.info(`Worker ${workerId} stopped`);
      })();
      return stopped;
    },
  };
}

/**
 * Backstage's URL readers, loaded on first use: they pull in every cloud SDK (about 20 MB of
 * memory), and most blueprints are read from local folders.
 */
function lazyUrlReader(
  config: Config,
  logger: LoggerService,
): Pick<UrlReaderService, 'readTree'> {
  let reader: Promise<UrlReaderService> | undefined;
  return {
    readTree: async (url, options) => {
      reader ??= import('@backstage/backend-defaults/urlReader').then(
        ({ UrlReaders }) => UrlReaders.default({ config, logger }),
      );
      return (await reader).readTree(url, options);
    },
  };
}
