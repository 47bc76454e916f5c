import type { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  readAmqpOptions,
  readRenderLimits,
  readRetryOptions,
} from '@provisionhub/plugin-provisionhub-node';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './ConfigError';
import { GIT_USERNAMES, collectSecrets } from './collectSecrets';
import type {
  GitCliProviderOptions,
  GitOptions,
  GitProviderOptions,
  WorkerConfig,
  WorkerOptions,
} from './types';

/** Defaults that make `yarn start` work on a laptop with no Git server. */
const DEFAULTS = {
  provider: 'git',
  defaultBranch: 'main',
  author: { name: 'ProvisionHub', email: 'provisionhub@example.com' },
  remoteBase: '.provisionhub/git',
  concurrency: 4,
  port: 7008,
  shutdownTimeoutMs: 30000,
  blueprintCacheSize: 50,
} as const;

/** Names of Git providers and of module packages (npm package names). */
const PROVIDER_NAME = /^[a-z][a-z0-9-]*$/;
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * Reads and checks `provisionhub.amqp`, `provisionhub.runs`, `provisionhub.git`,
 * `provisionhub.worker` and the `integrations:` credentials the chosen provider needs.
 *
 * @param cwd - relative folders (`remoteBase`, `workspaceDir`) are resolved against it
 * @throws ConfigError naming the key that is missing or wrong
 * @public
 */
export function readWorkerConfig(
  config: Config,
  overrides: { concurrency?: number; cwd?: string } = {},
): WorkerConfig {
  const cwd = overrides.cwd ?? process.cwd();
  const amqp = wrap(() => readAmqpOptions(config));
  const retry = wrap(() => readRetryOptions(config));
  const render = wrap(() => readRenderLimits(config));
  const git = wrap(() => readGitOptions(config, cwd));
  const worker = wrap(() =>
    readWorkerOptions(config, cwd, overrides.concurrency),
  );
  const secrets = collectSecrets(config, amqp.url);
  return { amqp, retry, render, git, worker, secrets };
}

function readGitOptions(
  config: Config,
  cwd: string,
): GitOptions & GitProviderOptions {
  const git = config.getOptionalConfig('provisionhub.git');
  const provider = git?.getOptionalString('provider') ?? DEFAULTS.provider;
  const defaultBranch =
    git?.getOptionalString('defaultBranch') ?? DEFAULTS.defaultBranch;
  if (!isValidBranchName(defaultBranch)) {
    throw new ConfigError(
      `provisionhub.git.defaultBranch '${defaultBranch}' is not a valid Git branch name`,
    );
  }
  const author = {
    name: git?.getOptionalString('author.name') ?? DEFAULTS.author.name,
    email: git?.getOptionalString('author.email') ?? DEFAULTS.author.email,
  };
  if (
    !/^[^<>\n]+$/.test(author.name) ||
    !/^[^<>\s]+@[^<>\s]+$/.test(author.email)
  ) {
    throw new ConfigError(
      'provisionhub.git.author needs a name and an e-mail address without < > or line breaks',
    );
  }
  const base = { defaultBranch, author };
  if (provider === 'git') {
    return { ...base, provider, git: readGitCliOptions(config, cwd) };
  }
  if (!PROVIDER_NAME.test(provider)) {
    throw new ConfigError(
      `provisionhub.git.provider must be 'git' or the name of a provider a worker module registers (e.g. 'gitlab'), got '${provider}'`,
    );
  }
  return { ...base, provider: 'module', name: provider };
}

function readGitCliOptions(config: Config, cwd: string): GitCliProviderOptions {
  const raw =
    config.getOptionalString('provisionhub.git.git.remoteBase') ??
    DEFAULTS.remoteBase;
  if (!raw.trim()) {
    throw new ConfigError('provisionhub.git.git.remoteBase must not be empty');
  }
  const isUrl =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || /^[^/@\s]+@[^:/\s]+:/.test(raw);
  const remoteBase = isUrl ? raw.replace(/\/+$/, '') : path.resolve(cwd, raw);
  if (!/^https?:\/\//i.test(remoteBase)) {
    return { remoteBase };
  }
  // Tokens come from the integrations block, like the rest of the portal's Git access.
  const url = new URL(remoteBase);
  const integrations = readIntegrations(config);
  for (const type of ['github', 'gitlab'] as const) {
    const token = integrations[type].byHost(url.host)?.config.token;
    if (token) {
      return {
        remoteBase,
        credentials: {
          baseUrl: url.origin,
          username: GIT_USERNAMES[type],
          token,
        },
      };
    }
  }
  return { remoteBase };
}

function readWorkerOptions(
  config: Config,
  cwd: string,
  concurrencyOverride: number | undefined,
): WorkerOptions {
  const worker = config.getOptionalConfig('provisionhub.worker');
  const options: WorkerOptions = {
    concurrency:
      concurrencyOverride ??
      worker?.getOptionalNumber('concurrency') ??
      DEFAULTS.concurrency,
    port: worker?.getOptionalNumber('port') ?? DEFAULTS.port,
    shutdownTimeoutMs:
      worker?.getOptionalNumber('shutdownTimeoutMs') ??
      DEFAULTS.shutdownTimeoutMs,
    workspaceDir: path.resolve(
      cwd,
      worker?.getOptionalString('workspaceDir') ??
        path.join(os.tmpdir(), 'provisionhub-worker'),
    ),
    blueprintCacheSize:
      worker?.getOptionalNumber('blueprintCacheSize') ??
      DEFAULTS.blueprintCacheSize,
    modules: worker?.getOptionalStringArray('modules') ?? [],
  };
  options.modules.forEach((name, i) => {
    if (!PACKAGE_NAME.test(name)) {
      throw new ConfigError(
        `provisionhub.worker.modules[${i}] '${name}' is not an npm package name`,
      );
    }
  });
  if (new Set(options.modules).size !== options.modules.length) {
    throw new ConfigError('provisionhub.worker.modules names a package twice');
  }
  requireInteger(
    'provisionhub.worker.concurrency',
    options.concurrency,
    1,
    256,
  );
  requireInteger('provisionhub.worker.port', options.port, 0, 65535);
  requireInteger(
    'provisionhub.worker.shutdownTimeoutMs',
    options.shutdownTimeoutMs,
    0,
    3600000,
  );
  requireInteger(
    'provisionhub.worker.blueprintCacheSize',
    options.blueprintCacheSize,
    0,
    10000,
  );
  return options;
}

function requireInteger(key: string, value: number, min: number, max: number) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${key} must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
}

/** The rules of `git check-ref-format --branch`, the ones a config typo can break. */
function isValidBranchName(name: string): boolean {
  return (
    /^[^\s~^:?*[\\]+$/.test(name) &&
    ![...name].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock') &&
    !name.endsWith('.') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.includes('@{')
  );
}

function readIntegrations(config: Config) {
  try {
    return ScmIntegrations.fromConfig(config);
  } catch (error) {
    throw new ConfigError(`integrations: ${(error as Error).message}`);
  }
}

/** Errors from Backstage's config reader already name the key; keep them, typed. */
function wrap<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw error;
    }
    throw new ConfigError((error as Error).message);
  }
}
