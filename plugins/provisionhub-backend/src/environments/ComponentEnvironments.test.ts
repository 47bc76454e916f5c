import { ConfigReader } from '@backstage/config';
import type { ProvisionedComponent } from '@provisionhub/plugin-provisionhub-common';
import type { DeploymentRecord, RunStore } from '../database/RunStore';
import { ComponentEnvironments } from './ComponentEnvironments';
import { readEnvironments } from './readEnvironments';

const environments = readEnvironments(
  new ConfigReader({
    provisionhub: {
      environments: [
        { name: 'development', automatic: true },
        { name: 'staging', title: 'Staging' },
        { name: 'production' },
      ],
    },
  }),
);

const component = {
  name: 'ledger',
  system: 'payments',
  status: 'live',
} as ProvisionedComponent;

const deployment = (
  environment: string,
  state: DeploymentRecord['state'],
  version: string,
  runId: string,
): DeploymentRecord => ({
  environment,
  state,
  version,
  runId,
  path: `payments/ledger/overlays/${environment}`,
  commit: 'c'.repeat(40),
  updatedAt: '2026-12-02T12:00:00.000Z',
  ...(state === 'proposed'
    ? { branch: `provisionhub/promote-ledger-${environment}-${runId}` }
    : {}),
});

describe('ComponentEnvironments', () => {
  it('shows the committed version with a newer proposal beside it, and asks Argo CD only about deployed environments', async () => {
    const store = {
      listDeployments: async () => [
        deployment('development', 'committed', 'aaaa1111', 'run-1'),
        deployment('staging', 'committed', 'aaaa1111', 'run-2'),
        deployment('staging', 'proposed', 'bbbb2222', 'run-3'),
      ],
    } as unknown as RunStore;
    const asked: string[] = [];
    const rows = await new ComponentEnvironments({
      store,
      environments,
      argocd: {
        async getApplicationStatus(name) {
          asked.push(name);
          return { application: name, sync: 'Synced', health: 'Healthy' };
        },
      },
    }).describe(component);

    expect(rows.map(r => [r.name, r.status, r.version])).toEqual([
      ['development', 'committed', 'aaaa1111'],
      ['staging', 'committed', 'aaaa1111'],
      ['production', 'not-deployed', undefined],
    ]);
    expect(rows[1]).toMatchObject({
      title: 'Staging',
      runId: 'run-2',
      proposal: {
        version: 'bbbb2222',
        runId: 'run-3',
        branch: 'provisionhub/promote-ledger-staging-run-3',
      },
    });
    expect(rows[2]).toEqual({
      name: 'production',
      title: 'production',
      gitopsPath: 'payments/ledger/overlays/production',
      status: 'not-deployed',
    });
    expect(asked).toEqual(['ledger-development', 'ledger-staging']);
  });

  it('lists nothing when the portal has no environments', async () => {
    const store = {
      listDeployments: async () => {
        throw new Error('not asked');
      },
    } as unknown as RunStore;
    expect(
      await new ComponentEnvironments({ store, environments: [] }).describe(
        component,
      ),
    ).toEqual([]);
  });
});
