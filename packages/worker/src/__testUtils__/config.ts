import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readWorkerConfig } from '../config';

/** An app-config for a test worker, read by the real config reader. */
export function testAppConfig(options: {
  amqpUrl: string;
  prefix: string;
  remoteBase?: string;
  workspaceDir: string;
  retry?: { maxAttempts: number; initialMs: number; maxMs: number };
  git?: JsonObject;
  integrations?: JsonObject;
  concurrency?: number;
  shutdownTimeoutMs?: number;
  /** `provisionhub.worker.modules`: packages loaded by name, as in production. */
  modules?: string[];
}): JsonObject {
  const retry = options.retry ?? { maxAttempts: 3, initialMs: 100, maxMs: 200 };
  return {
    provisionhub: {
      amqp: { url: options.amqpUrl, prefix: options.prefix },
      runs: {
        maxAttempts: retry.maxAttempts,
        backoff: { initialMs: retry.initialMs, maxMs: retry.maxMs },
      },
      git: options.git ?? {
        provider: 'git',
        defaultBranch: 'main',
        author: { name: 'ProvisionHub', email: 'provisionhub@example.com' },
        git: { remoteBase: options.remoteBase },
      },
      worker: {
        concurrency: options.concurrency ?? 2,
        port: 0,
        shutdownTimeoutMs: options.shutdownTimeoutMs ?? 30000,
        workspaceDir: options.workspaceDir,
        ...(options.modules ? { modules: options.modules } : {}),
      },
    },
    ...(options.integrations ? { integrations: options.integrations } : {}),
  };
}

export function readTestConfig(data: JsonObject) {
  const rootConfig = new ConfigReader(data);
  return { rootConfig, config: readWorkerConfig(rootConfig) };
}
