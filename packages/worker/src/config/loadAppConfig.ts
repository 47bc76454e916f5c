import {
  ConfigSources,
  EnvConfigSource,
  StaticConfigSource,
} from '@backstage/config-loader';
import type { Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './ConfigError';

/**
 * Shortcuts for the settings operators most often set per deployment; they win over the files.
 * `APP_CONFIG_<path>` variables (Backstage's own convention) work as well.
 */
const ENV_SHORTCUTS: Record<
  string,
  { key: string[]; type: 'string' | 'number' }
> = {
  PROVISIONHUB_AMQP_URL: {
    key: ['provisionhub', 'amqp', 'url'],
    type: 'string',
  },
  PROVISIONHUB_AMQP_PREFIX: {
    key: ['provisionhub', 'amqp', 'prefix'],
    type: 'string',
  },
  PROVISIONHUB_WORKER_PORT: {
    key: ['provisionhub', 'worker', 'port'],
    type: 'number',
  },
};

/**
 * Loads app-config files the way Backstage does (later files win, `${VAR}` substitution,
 * `$include`/`$file`), then `APP_CONFIG_*` variables, then the ProvisionHub shortcuts.
 *
 * @param files - config files; when empty, what a Backstage backend reads by default:
 *   `app-config.yaml` in `cwd`, then `app-config.local.yaml` there if it exists
 * @public
 */
export async function loadAppConfig(options: {
  files: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}): Promise<Config> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const files =
    options.files.length > 0
      ? options.files.map(f => path.resolve(cwd, f))
      : defaultFiles(cwd);
  for (const file of files) {
    if (!fs.existsSync(file)) {
      throw new ConfigError(
        `config file ${file} does not exist; pass the portal's app-config with --config <path>`,
      );
    }
  }
  const source = ConfigSources.merge([
    ConfigSources.defaultForTargets({
      rootDir: cwd,
      targets: files.map(target => ({ type: 'path' as const, target })),
      substitutionFunc: async name => env[name]?.trim(),
    }),
    EnvConfigSource.create({ env }),
    StaticConfigSource.create({
      data: shortcutData(env),
      context: 'environment',
    }),
  ]);
  try {
    const config = await ConfigSources.toConfig(source);
    config.close();
    return config;
  } catch (error) {
    throw new ConfigError(
      `cannot load configuration: ${(error as Error).message}`,
    );
  }
}

function defaultFiles(cwd: string): string[] {
  const local = path.resolve(cwd, 'app-config.local.yaml');
  return [
    path.resolve(cwd, 'app-config.yaml'),
    ...(fs.existsSync(local) ? [local] : []),
  ];
}

function shortcutData(env: Record<string, string | undefined>): JsonObject {
  const data: JsonObject = {};
  for (const [name, { key, type }] of Object.entries(ENV_SHORTCUTS)) {
    const value = env[name];
    if (value === undefined || value === '') {
      continue;
    }
    if (type === 'number' && !/^\d+$/.test(value)) {
      throw new ConfigError(`${name} must be a whole number, got '${value}'`);
    }
    let node = data;
    for (const part of key.slice(0, -1)) {
      node = (node[part] ??= {}) as JsonObject;
    }
    node[key[key.length - 1]] = type === 'number' ? Number(value) : value;
  }
  return data;
}
