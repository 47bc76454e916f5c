import { ConfigReader } from '@backstage/config';
import {
  WorkerModuleEnvironment,
  createWorkerModule,
} from '@provisionhub/plugin-provisionhub-node';
import { createCapturingLogger } from '../__testUtils__/logger';
import { ConfigError } from '../config/ConfigError';
import { LoadedWorkerModule, WorkerRegistry } from './WorkerRegistry';

const config = new ConfigReader({});
const step = {
  schema: { input: { type: 'object' } },
  run: async () => undefined,
};
const provider = {
  type: 'fake',
  ensureRepository: jest.fn(),
  ensureSharedRepository: jest.fn(),
  afterPush: jest.fn(),
  findRepository: jest.fn(),
  openMergeRequest: jest.fn(),
  archiveRepository: jest.fn(),
};

function module(
  source: string,
  register: (env: WorkerModuleEnvironment) => void | Promise<void>,
): LoadedWorkerModule {
  return { source, module: createWorkerModule({ id: 'm', register }) };
}

const settings = {
  git: {
    defaultBranch: 'main',
    author: { name: 'P', email: 'p@example.com' },
  },
  logger: createCapturingLogger(),
  secrets: [],
};

describe('WorkerRegistry', () => {
  it('keeps the step types and providers of every module', async () => {
    const registry = await WorkerRegistry.create(
      [
        module('@acme/a', env => env.registerStep('acme:one', step)),
        module('@acme/b', async env => {
          env.registerStep('acme:two', step);
          env.registerGitProvider('fake', options => ({
            ...provider,
            type: options.git.defaultBranch,
          }));
        }),
      ],
      config,
    );
    expect(registry.stepTypes()).toEqual(['acme:one', 'acme:two']);
    expect(registry.getStep('acme:two')).toBe(step);
    expect(registry.getStep('acme:three')).toBeUndefined();
    expect((await registry.createGitProvider('fake', settings)).type).toBe(
      'main',
    );
  });

  it.each([
    [
      module('@acme/a', env => env.registerStep('Acme Step', step)),
      'worker module @acme/a (id \'m\'): step type "Acme Step" must be lowercase words',
    ],
    [
      module('@acme/a', env => env.registerStep('acme:x', {} as any)),
      "worker module @acme/a (id 'm'): step type 'acme:x' has no run function",
    ],
    [
      module('@acme/a', env =>
        env.registerStep('acme:x', { run: step.run } as any),
      ),
      "step type 'acme:x' has no schema.input (a JSON Schema)",
    ],
    [
      module('@acme/a', env =>
        env.registerStep('acme:x', {
          ...step,
          schema: { input: { type: 'nonsense' } },
        }),
      ),
      "step type 'acme:x' has an invalid schema.input: schema is invalid",
    ],
    [
      module('@acme/a', env =>
        env.registerGitProvider('Git Hub', () => provider),
      ),
      'Git provider name "Git Hub" must be lowercase',
    ],
    [
      module('@acme/a', env => env.registerGitProvider('x', 'no' as any)),
      "Git provider 'x' needs a factory function",
    ],
    [
      module('@acme/a', () => {
        throw new Error('boom');
      }),
      "worker module @acme/a (id 'm'): register() failed: boom",
    ],
  ])(
    'refuses a wrong registration with the module named (%#)',
    async (m, message) => {
      const created = WorkerRegistry.create([m], config);
      await expect(created).rejects.toThrow(ConfigError);
      await expect(created).rejects.toThrow(message);
    },
  );

  it('refuses a step type or provider that another module registered', async () => {
    await expect(
      WorkerRegistry.create(
        [
          module('@acme/a', env => env.registerStep('acme:x', step)),
          module('@acme/b', env => env.registerStep('acme:x', step)),
        ],
        config,
      ),
    ).rejects.toThrow(
      "worker module @acme/b (id 'm'): step type 'acme:x' is already registered by @acme/a",
    );
    await expect(
      WorkerRegistry.create(
        [
          module('@acme/a', env =>
            env.registerGitProvider('x', () => provider),
          ),
          module('@acme/b', env =>
            env.registerGitProvider('x', () => provider),
          ),
        ],
        config,
      ),
    ).rejects.toThrow("Git provider 'x' is already registered by @acme/a");
  });

  it('refuses registrations after register() finished', async () => {
    let later: WorkerModuleEnvironment | undefined;
    await WorkerRegistry.create(
      [
        module('@acme/a', env => {
          later = env;
        }),
      ],
      config,
    );
    expect(() => later!.registerStep('acme:late', step)).toThrow(
      "registerStep('acme:late') was called after register() finished",
    );
  });

  it('names the provider that is missing, broken or incomplete', async () => {
    const registry = await WorkerRegistry.create(
      [
        module('@acme/a', env => {
          env.registerGitProvider('broken', () => {
            throw new Error('provisionhub.git.acme.org is required');
          });
          env.registerGitProvider(
            'partial',
            () => ({ type: 'partial' } as any),
          );
        }),
      ],
      config,
    );
    await expect(registry.createGitProvider('acme', settings)).rejects.toThrow(
      "provisionhub.git.provider 'acme' is not registered; known providers: broken, partial. Add the worker module that provides it to provisionhub.worker.modules",
    );
    await expect(
      registry.createGitProvider('gitlab', settings),
    ).rejects.toThrow(
      "provisionhub.git.provider 'gitlab' is not registered; known providers: broken, partial. Add '@provisionhub/worker-module-gitlab' to provisionhub.worker.modules",
    );
    await expect(
      registry.createGitProvider('broken', settings),
    ).rejects.toThrow(
      "Git provider 'broken' (@acme/a): provisionhub.git.acme.org is required",
    );
    await expect(
      registry.createGitProvider('partial', settings),
    ).rejects.toThrow(
      "Git provider 'partial' (@acme/a) is missing ensureRepository, ensureSharedRepository, afterPush, findRepository, openMergeRequest, archiveRepository",
    );
  });
});
