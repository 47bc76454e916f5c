import path from 'node:path';
import type { JsonObject } from '@backstage/types';
import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import { FakeGitLab, TestBroker } from '@provisionhub/test-utils';
import { RunningWorker, startWorker } from '../startWorker';
import { startClientFor } from './client';
import { readTestConfig, testAppConfig } from './config';
import type { EventCollector } from './events';
import { createCapturingLogger } from './logger';

/**
 * The `provisionhub.git` and `integrations` of a worker whose provider is `gitlab` (group
 * `platform`) on the GitLab test server, with the gitlab module named in
 * `provisionhub.worker.modules` as in production.
 */
export function gitlabTestAppConfig(
  gitlab: FakeGitLab,
  token: string,
  options: Omit<Parameters<typeof testAppConfig>[0], 'git' | 'integrations'>,
): JsonObject {
  const host = new URL(gitlab.url).host;
  return testAppConfig({
    ...options,
    git: {
      provider: 'gitlab',
      defaultBranch: 'main',
      gitlab: { host, group: 'platform', visibility: 'private' },
    },
    integrations: {
      gitlab: [
        {
          host,
          apiBaseUrl: `${gitlab.url}/api/v4`,
          baseUrl: gitlab.url,
          token,
        },
      ],
    },
    modules: ['@provisionhub/worker-module-gitlab', ...(options.modules ?? [])],
  });
}

/** A worker started in this process from `appConfig`, and a control-plane client on its broker. */
export interface TestWorker {
  client: ProvisionHubBroker;
  events: EventCollector;
  running: RunningWorker;
  stop(): Promise<void>;
}

/** Starts a worker from an app-config (see `testAppConfig`) and a client that publishes its jobs. */
export async function startTestWorker(
  appConfig: JsonObject,
  workerId: string,
): Promise<TestWorker> {
  const { config, rootConfig } = readTestConfig(appConfig);
  const logger = createCapturingLogger();
  const { client, events } = await startClientFor(
    config,
    logger,
    `${workerId}-client`,
  );
  const running = await startWorker({ config, rootConfig, logger, workerId });
  return {
    client,
    events,
    running,
    async stop() {
      await running.stop();
      await events.close();
      await client.close();
    },
  };
}

/** A GitLab test server with the group `platform`, a worker using it, and a control-plane client. */
export async function startGitLabWorker(options: {
  broker: Pick<TestBroker, 'url' | 'prefix'>;
  /** Folder for the server's repositories and the worker's workspaces. */
  dir: string;
  token: string;
  workerId: string;
}): Promise<TestWorker & { gitlab: FakeGitLab }> {
  const gitlab = await FakeGitLab.start({
    token: options.token,
    root: path.join(options.dir, 'gitlab'),
  });
  gitlab.addGroup('platform');
  const worker = await startTestWorker(
    gitlabTestAppConfig(gitlab, options.token, {
      amqpUrl: options.broker.url,
      prefix: options.broker.prefix,
      workspaceDir: path.join(options.dir, 'gitlab-workspaces'),
    }),
    options.workerId,
  );
  return {
    ...worker,
    gitlab,
    async stop() {
      await worker.stop();
      await gitlab.close();
    },
  };
}
