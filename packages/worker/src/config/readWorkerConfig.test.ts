import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { createTempDir } from '@provisionhub/test-utils';
import { ConfigError } from './ConfigError';
import { loadAppConfig } from './loadAppConfig';
import { readWorkerConfig } from './readWorkerConfig';

const read = (data: object, overrides = {}) =>
  readWorkerConfig(new ConfigReader(data as any), {
    cwd: '/srv/portal',
    ...overrides,
  });

describe('readWorkerConfig', () => {
  it('has defaults that work on a laptop: git provider into .provisionhub/git', () => {
    const config = read({});
    expect(config.git).toEqual({
      provider: 'git',
      defaultBranch: 'main',
      author: { name: 'ProvisionHub', email: 'provisionhub@example.com' },
      git: { remoteBase: '/srv/portal/.provisionhub/git' },
    });
    expect(config.worker).toMatchObject({
      concurrency: 4,
      port: 7008,
      shutdownTimeoutMs: 30000,
      blueprintCacheSize: 50,
    });
    expect(config.amqp.prefix).toBe('provisionhub');
    expect(config.retry.maxAttempts).toBe(5);
  });

  it('reads the worker modules and a provider that a module registers', () => {
    const config = read({
      provisionhub: {
        git: { provider: 'github' },
        worker: {
          modules: [
            '@provisionhub/worker-module-github',
            'provisionhub-worker-module-x',
          ],
        },
      },
    });
    expect(config.git).toMatchObject({ provider: 'module', name: 'github' });
    expect(config.worker.modules).toEqual([
      '@provisionhub/worker-module-github',
      'provisionhub-worker-module-x',
    ]);
    expect(read({}).worker.modules).toEqual([]);
  });

  it('knows the credentials of worker modules under provisionhub.worker', () => {
    const config = read({
      provisionhub: {
        worker: {
          http: {
            credentials: {
              deploy: {
                urlPrefix: 'https://hooks.example.com/',
                token: 'Bearer s3cr3t-hook',
              },
            },
          },
        },
      },
    });
    expect(config.secrets).toContain('Bearer s3cr3t-hook');
    expect(config.secrets).not.toContain('https://hooks.example.com/');
  });

  it('lets --concurrency override the config', () => {
    expect(
      read({ provisionhub: { worker: { concurrency: 2 } } }, { concurrency: 8 })
        .worker.concurrency,
    ).toBe(8);
  });

  it('leaves the gitlab provider to its module, and knows every integration token in the form git sends it', () => {
    const config = read({
      provisionhub: {
        amqp: { url: 'amqp://worker:amqp-pass-123@rabbit:5672' },
        git: {
          provider: 'gitlab',
          gitlab: { host: 'gitlab.example.com', group: '/platform/' },
        },
        worker: { modules: ['@provisionhub/worker-module-gitlab'] },
      },
      integrations: {
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: 'https://gitlab.example.com/api/v4',
            token: 'glpat-abcdef',
          },
        ],
        github: [{ host: 'github.com', token: 'ghp_123456' }],
      },
    });
    expect(config.git).toEqual({
      provider: 'module',
      name: 'gitlab',
      defaultBranch: 'main',
      author: { name: 'ProvisionHub', email: 'provisionhub@example.com' },
    });
    expect(config.secrets.sort()).toEqual(
      [
        'amqp-pass-123',
        'glpat-abcdef',
        'ghp_123456',
        Buffer.from('oauth2:glpat-abcdef').toString('base64'),
        Buffer.from('x-access-token:ghp_123456').toString('base64'),
      ].sort(),
    );
  });

  it('takes https credentials of the git provider from the matching integration', () => {
    const config = read({
      provisionhub: {
        git: { git: { remoteBase: 'https://github.com/acme/' } },
      },
      integrations: { github: [{ host: 'github.com', token: 'ghp_123456' }] },
    });
    expect(config.git).toMatchObject({
      git: {
        remoteBase: 'https://github.com/acme',
        credentials: {
          baseUrl: 'https://github.com',
          username: 'x-access-token',
          token: 'ghp_123456',
        },
      },
    });
  });

  it.each([
    [
      { git: { provider: 'Git Hub' } },
      "provisionhub.git.provider must be 'git' or the name of a provider a worker module registers (e.g. 'gitlab'), got 'Git Hub'",
    ],
    [
      { worker: { modules: ['../../etc/passwd'] } },
      "provisionhub.worker.modules[0] '../../etc/passwd' is not an npm package name",
    ],
    [
      { worker: { modules: ['@acme/x', '@acme/x'] } },
      'provisionhub.worker.modules names a package twice',
    ],
    [
      { git: { defaultBranch: 'bad..name' } },
      "provisionhub.git.defaultBranch 'bad..name' is not a valid Git branch name",
    ],
    [
      { worker: { concurrency: 0 } },
      'provisionhub.worker.concurrency must be a whole number from 1 to 256, got 0',
    ],
    [{ worker: { port: 'http' } }, 'provisionhub.worker.port'],
    [
      { runs: { maxAttempts: 0 } },
      'provisionhub.runs.maxAttempts must be a whole number of at least 1',
    ],
    [{ amqp: { prefix: 'has space' } }, "provisionhub.amqp.prefix 'has space'"],
  ])('names the key that is wrong: %j', (input, message) => {
    const { integrations, ...provisionhub } = input as {
      integrations?: object;
    };
    const data = { provisionhub, ...(integrations ? { integrations } : {}) };
    expect(() => read(data)).toThrow(ConfigError);
    expect(() => read(data)).toThrow(message);
  });
});

describe('loadAppConfig', () => {
  let temp: { dir: string; remove(): Promise<void> };
  beforeEach(async () => {
    temp = await createTempDir();
  });
  afterEach(() => temp.remove());

  it('layers files, substitutes ${VARS}, then applies APP_CONFIG_ and PROVISIONHUB_ overrides', async () => {
    await fs.writeFile(
      path.join(temp.dir, 'app-config.yaml'),
      'provisionhub:\n  amqp:\n    url: ${AMQP_URL}\n  worker:\n    port: 7008\n    concurrency: 2\n',
    );
    await fs.writeFile(
      path.join(temp.dir, 'app-config.production.yaml'),
      'provisionhub:\n  worker:\n    concurrency: 6\n',
    );
    const config = await loadAppConfig({
      files: ['app-config.yaml', 'app-config.production.yaml'],
      cwd: temp.dir,
      env: {
        AMQP_URL: 'amqp://a:b@file-host',
        APP_CONFIG_provisionhub_worker_shutdownTimeoutMs: '5000',
        PROVISIONHUB_WORKER_PORT: '9100',
      },
    });
    const worker = readWorkerConfig(config, { cwd: temp.dir });
    expect(worker.amqp.url).toBe('amqp://a:b@file-host');
    expect(worker.worker).toMatchObject({
      port: 9100,
      concurrency: 6,
      shutdownTimeoutMs: 5000,
    });

    const overridden = await loadAppConfig({
      files: ['app-config.yaml'],
      cwd: temp.dir,
      env: {
        AMQP_URL: 'amqp://a:b@file-host',
        PROVISIONHUB_AMQP_URL: 'amqp://c:d@env-host',
      },
    });
    expect(readWorkerConfig(overridden).amqp.url).toBe('amqp://c:d@env-host');
  });

  it('reads app-config.yaml and app-config.local.yaml by default, as a Backstage backend does', async () => {
    await fs.writeFile(
      path.join(temp.dir, 'app-config.yaml'),
      'provisionhub:\n  worker:\n    port: 7008\n    concurrency: 2\n',
    );
    const alone = await loadAppConfig({ files: [], cwd: temp.dir, env: {} });
    expect(readWorkerConfig(alone).worker.concurrency).toBe(2);

    await fs.writeFile(
      path.join(temp.dir, 'app-config.local.yaml'),
      'provisionhub:\n  worker:\n    concurrency: 3\n',
    );
    const layered = await loadAppConfig({ files: [], cwd: temp.dir, env: {} });
    expect(readWorkerConfig(layered).worker).toMatchObject({
      port: 7008,
      concurrency: 3,
    });
  });

  it('says which file is missing and how to pass one', async () => {
    await expect(
      loadAppConfig({ files: ['nope.yaml'], cwd: temp.dir, env: {} }),
    ).rejects.toThrow(
      `config file ${path.join(
        temp.dir,
        'nope.yaml',
      )} does not exist; pass the portal's app-config with --config <path>`,
    );
  });

  it('refuses a non-numeric port shortcut', async () => {
    await fs.writeFile(path.join(temp.dir, 'app-config.yaml'), 'app: {}\n');
    await expect(
      loadAppConfig({
        files: [],
        cwd: temp.dir,
        env: { PROVISIONHUB_WORKER_PORT: 'eighty' },
      }),
    ).rejects.toThrow(
      "PROVISIONHUB_WORKER_PORT must be a whole number, got 'eighty'",
    );
  });
});
