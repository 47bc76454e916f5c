import { NotFoundError } from '@backstage/errors';
import type { RunStore } from '../database/RunStore';
import { makeRunRecord } from '../__testUtils__/runRecords';
import type { BlueprintRegistry, ResolvedBlueprint } from './BlueprintRegistry';
import { UpgradeValidator, diffValues } from './UpgradeValidator';

const RUN_ID = '0f8c7b5e-1111-4a2b-9c3d-000000000001';

const parameters = (extra: object = {}) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer', default: 8080 },
    ...extra,
  },
});

function blueprint(version: string, extra: Partial<ResolvedBlueprint> = {}) {
  return {
    name: 'node-backend',
    version,
    type: 'backend',
    parameters: parameters(),
    files: [{ location: `file:/bp/${version}`, target: '' }],
    ...extra,
  } as unknown as ResolvedBlueprint;
}

/**
 * The validator against a stored component (made from node-backend 1.1.0 with `{ port: 9000,
 * legacy: true }`) and a registry holding the versions given.
 */
function validator(versions: ResolvedBlueprint[]) {
  const createRun = makeRunRecord({
    id: 'run-create',
    kind: 'component',
    values: { port: 9000, legacy: true },
    blueprint: { name: 'node-backend', version: '1.1.0', digest: 'sha256:b1' },
  });
  createRun.blueprintJob = {
    name: 'node-backend',
    version: '1.1.0',
    type: 'backend',
    digest: 'sha256:b1',
    files: [{ location: 'file:/bp/1.1.0', target: '' }],
    steps: [],
    catalogInfoPath: 'catalog-info.yaml',
    lifecycle: 'experimental',
  };
  const store = {
    getComponent: async (name: string) =>
      name === 'payments-api'
        ? {
            name,
            owner: 'group:default/payments',
            system: 'payments',
            entityRef: 'component:default/payments-api',
            type: 'service',
            blueprint: createRun.blueprint,
            runId: 'run-create',
            createdAt: '2026-11-27T10:00:00.000Z',
          }
        : undefined,
    getRun: async (id: string) => (id === 'run-create' ? createRun : undefined),
  } as unknown as RunStore;
  const registry = {
    resolve: async (_name: string, version: string) => {
      const found = versions.find(v => v.version === version);
      if (!found) {
        throw new NotFoundError(`no version '${version}'`);
      }
      return found;
    },
    digest: async (b: ResolvedBlueprint) => `sha256:${b.version}`,
    changelog: async (_name: string, from: string, to: string) => [
      { version: to, changes: `after ${from}` },
    ],
  } as unknown as BlueprintRegistry;
  return new UpgradeValidator({ registry, store });
}

describe('UpgradeValidator', () => {
  it('carries over the values the target declares, lays the changes over them, fills defaults', async () => {
    const target = blueprint('1.2.0', {
      parameters: parameters({
        logLevel: { type: 'string', default: 'info' },
        replicas: { type: 'integer' },
      }),
    });
    const validated = await validator([target]).validate(
      'payments-api',
      { version: '1.2.0', values: { replicas: 3 } },
      RUN_ID,
    );
    expect(validated).toMatchObject({
      kind: 'upgrade',
      name: 'payments-api',
      owner: 'group:default/payments',
      system: 'payments',
      entityRef: 'component:default/payments-api',
      digest: 'sha256:1.2.0',
      values: { port: 9000, logLevel: 'info', replicas: 3 },
      upgrade: {
        from: {
          name: 'node-backend',
          version: '1.1.0',
          digest: 'sha256:b1',
          files: [{ location: 'file:/bp/1.1.0', target: '' }],
          values: { port: 9000, legacy: true },
        },
        branch: 'provisionhub/upgrade-1.2.0',
        changedValues: [
          { key: 'legacy', from: true },
          { key: 'logLevel', to: 'info' },
          { key: 'replicas', to: 3 },
        ],
        changelog: [{ version: '1.2.0', changes: 'after 1.1.0' }],
      },
    });
  });

  it('changes values on the same version on a branch of the run, with no changelog', async () => {
    const validated = await validator([blueprint('1.1.0')]).validate(
      'payments-api',
      { version: '1.1.0', values: { port: 9100 } },
      RUN_ID,
    );
    expect(validated.upgrade).toMatchObject({
      branch: 'provisionhub/values-0f8c7b5e',
      changedValues: [
        { key: 'legacy', from: true },
        { key: 'port', from: 9000, to: 9100 },
      ],
      changelog: [],
    });
  });

  it.each([
    [{}, 'InputError', '/version is required'],
    [
      { version: '1.2.0', values: [1] },
      'InputError',
      '/values must be an object',
    ],
    [{ version: '1.0.0' }, 'InputError', 'downgrades are not supported'],
    [{ version: '1.1.0' }, 'InputError', 'nothing to change'],
    [
      { version: '1.2.0', values: { port: 'high' } },
      'InputError',
      'Invalid values for blueprint node-backend@1.2.0',
    ],
    [{ version: '1.3.0' }, 'InputError', "creates 'frontend' components"],
    [{ version: '9.0.0' }, 'NotFoundError', "no version '9.0.0'"],
  ])('refuses %j', async (body, name, message) => {
    const check = validator([
      blueprint('1.0.0'),
      blueprint('1.1.0', { parameters: parameters({ legacy: {} }) }),
      blueprint('1.2.0'),
      blueprint('1.3.0', { type: 'frontend' }),
    ]).validate('payments-api', body, RUN_ID);
    await expect(check).rejects.toMatchObject({
      name,
      message: expect.stringContaining(message),
    });
  });

  it('answers 404 for a component ProvisionHub did not provision', async () => {
    await expect(
      validator([]).validate('other', { version: '1.2.0' }, RUN_ID),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('diffValues', () => {
  it('compares nested values by content', () => {
    expect(
      diffValues(
        { a: { x: [1, 2] }, b: 1, c: 'same' },
        { a: { x: [1, 2] }, b: 2, c: 'same', d: null },
      ),
    ).toEqual([
      { key: 'b', from: 1, to: 2 },
      { key: 'd', to: null },
    ]);
  });
});
