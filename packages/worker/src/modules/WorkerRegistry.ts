import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { checkStepInputSchema } from '@provisionhub/plugin-provisionhub-common';
import type {
  GitProvider,
  GitProviderFactory,
  WorkerGitSettings,
  WorkerModule,
  WorkerStep,
} from '@provisionhub/plugin-provisionhub-node';
import { ConfigError } from '../config/ConfigError';
import { messageOf } from '../errors';

/** A module and where it came from: its package name, or `built-in`. */
export interface LoadedWorkerModule {
  source: string;
  module: WorkerModule;
}

const STEP_TYPE = /^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)*$/;
const PROVIDER_NAME = /^[a-z][a-z0-9-]*$/;

/** Providers of the worker modules ProvisionHub ships, so a config that lacks one is told which. */
const SHIPPED_PROVIDERS: Readonly<Record<string, string>> = {
  gitlab: '@provisionhub/worker-module-gitlab',
  github: '@provisionhub/worker-module-github',
};

/**
 * The step types and Git providers the worker's modules registered. Module code is untrusted
 * input: every registration is checked, and a wrong one stops the worker at startup with a
 * ConfigError that names the module.
 * @public
 */
export class WorkerRegistry {
  readonly #steps = new Map<string, { step: WorkerStep; source: string }>();
  readonly #providers = new Map<
    string,
    { factory: GitProviderFactory; source: string }
  >();

  /** Runs `register` of every module, in order. */
  static async create(
    modules: readonly LoadedWorkerModule[],
    config: Config,
  ): Promise<WorkerRegistry> {
    const registry = new WorkerRegistry(config);
    for (const loaded of modules) {
      await registry.#register(loaded);
    }
    return registry;
  }

  private constructor(readonly config: Config) {}

  getStep(type: string): WorkerStep | undefined {
    return this.#steps.get(type)?.step;
  }

  stepTypes(): string[] {
    return [...this.#steps.keys()].sort();
  }

  providerNames(): string[] {
    return [...this.#providers.keys()].sort();
  }

  /** Builds the provider `provisionhub.git.provider` names. */
  async createGitProvider(
    name: string,
    options: {
      git: WorkerGitSettings;
      logger: LoggerService;
      secrets: readonly string[];
    },
  ): Promise<GitProvider> {
    const entry = this.#providers.get(name);
    if (!entry) {
      const shipped = Object.hasOwn(SHIPPED_PROVIDERS, name)
        ? `'${SHIPPED_PROVIDERS[name]}'`
        : 'the worker module that provides it';
      throw new ConfigError(
        `provisionhub.git.provider '${name}' is not registered; known providers: ${this.providerNames().join(
          ', ',
        )}. Add ${shipped} to provisionhub.worker.modules`,
      );
    }
    let provider: GitProvider;
    try {
      provider = await entry.factory({ ...options, config: this.config });
    } catch (error) {
      throw new ConfigError(
        `Git provider '${name}' (${entry.source}): ${messageOf(error)}`,
      );
    }
    const methods = [
      'ensureRepository',
      'ensureSharedRepository',
      'afterPush',
      'findRepository',
      'openMergeRequest',
      'archiveRepository',
    ];
    const missing = methods.filter(
      m =>
        typeof (provider as unknown as Record<string, unknown>)?.[m] !==
        'function',
    );
    if (missing.length) {
      throw new ConfigError(
        `Git provider '${name}' (${entry.source}) is missing ${missing.join(
          ', ',
        )}`,
      );
    }
    return provider;
  }

  async #register({ source, module }: LoadedWorkerModule) {
    const label = `worker module ${source} (id '${module.id}')`;
    const fail = (message: string): never => {
      throw new ConfigError(`${label}: ${message}`);
    };
    let open = true;
    const env = {
      config: this.config,
      registerStep: (type: string, step: WorkerStep<any>) => {
        if (!open) {
          fail(`registerStep('${type}') was called after register() finished`);
        }
        if (typeof type !== 'string' || !STEP_TYPE.test(type)) {
          fail(
            `step type ${JSON.stringify(
              type,
            )} must be lowercase words joined by '-', optionally namespaced with ':' (e.g. http:request)`,
          );
        }
        const taken = this.#steps.get(type);
        if (taken) {
          fail(`step type '${type}' is already registered by ${taken.source}`);
        }
        if (typeof step?.run !== 'function') {
          fail(`step type '${type}' has no run function`);
        }
        const schema = step.schema?.input as JsonObject | undefined;
        if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
          fail(`step type '${type}' has no schema.input (a JSON Schema)`);
        }
        const problem = checkStepInputSchema(schema!);
        if (problem) {
          fail(`step type '${type}' has an invalid schema.input: ${problem}`);
        }
        this.#steps.set(type, { step, source });
      },
      registerGitProvider: (name: string, factory: GitProviderFactory) => {
        if (!open) {
          fail(
            `registerGitProvider('${name}') was called after register() finished`,
          );
        }
        if (typeof name !== 'string' || !PROVIDER_NAME.test(name)) {
          fail(
            `Git provider name ${JSON.stringify(
              name,
            )} must be lowercase letters, digits and '-'`,
          );
        }
        const taken = this.#providers.get(name);
        if (taken) {
          fail(
            `Git provider '${name}' is already registered by ${taken.source}`,
          );
        }
        if (typeof factory !== 'function') {
          fail(`Git provider '${name}' needs a factory function`);
        }
        this.#providers.set(name, { factory, source });
      },
    };
    try {
      await module.register(env);
    } catch (error) {
      if (error instanceof ConfigError) {
        throw error;
      }
      fail(`register() failed: ${messageOf(error)}`);
    } finally {
      open = false;
    }
  }
}
