import type {
  AmqpOptions,
  GitHttpCredentials,
  RenderLimits,
  RetryOptions,
} from '@provisionhub/plugin-provisionhub-node';

/** @public */
export interface GitAuthor {
  name: string;
  email: string;
}

export type { GitHttpCredentials };

/** @public */
export interface GitCliProviderOptions {
  /** Absolute folder, or a URL prefix (`file://`, `ssh://`, `https://`, `git@host:group`). */
  remoteBase: string;
  credentials?: GitHttpCredentials;
}

/** @public */
export type GitProviderOptions =
  | { provider: 'git'; git: GitCliProviderOptions }
  /** A provider a worker module registers (e.g. `gitlab`); it reads its own settings. */
  | { provider: 'module'; name: string };

/** @public */
export interface GitOptions {
  defaultBranch: string;
  author: GitAuthor;
}

/** @public */
export interface WorkerOptions {
  concurrency: number;
  /** Port of `/livez`, `/readyz` and `/metrics`; 0 picks a free one. */
  port: number;
  shutdownTimeoutMs: number;
  workspaceDir: string;
  /** Blueprints kept in memory by digest. */
  blueprintCacheSize: number;
  /** Packages of worker modules to load (`provisionhub.worker.modules`). */
  modules: string[];
}

/**
 * Everything the worker reads from app-config, validated.
 * @public
 */
export interface WorkerConfig {
  amqp: AmqpOptions;
  retry: RetryOptions;
  /** `provisionhub.render`; the node package's defaults when absent. */
  render?: RenderLimits;
  git: GitOptions & GitProviderOptions;
  worker: WorkerOptions;
  /** Every secret found in the config: redacted from logs, events and errors. */
  secrets: string[];
}
