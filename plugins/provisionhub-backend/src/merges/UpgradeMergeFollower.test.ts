import { mockServices } from '@backstage/backend-test-utils';
import type { RunOutputs } from '@provisionhub/plugin-provisionhub-common';
import { createTestDatabases } from '@provisionhub/test-utils';
import { makeRunRecord } from '../__testUtils__/runRecords';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import { DatabaseUpgradeMergeStore } from '../database/DatabaseUpgradeMergeStore';
import type { RunRecord } from '../database/RunStore';
import type { GitBranchMergeReader } from './GitBranchMergeReader';
import type { HostedMergeRequestReader } from './HostedMergeRequestReader';
import type { MergeStatus } from './MergeStatusReader';
import { UpgradeMergeFollower } from './UpgradeMergeFollower';

const databases = createTestDatabases();

const DIGEST_1_0 = `sha256:${'a'.repeat(64)}`;
const DIGEST_1_1 = `sha256:${'b'.repeat(64)}`;

/** An upgrade of `cards-api` from 1.0.0 with port 8080, succeeded with `branch`. */
function upgradeRun(branch: string, version = '1.1.0'): RunRecord {
  return makeRunRecord({
    kind: 'upgrade',
    name: 'cards-api',
    entityRef: 'component:default/cards-api',
    status: 'succeeded',
    blueprint: { name: 'node-backend', version, digest: DIGEST_1_1 },
    values: { port: 8080, logLevel: 'info' },
    upgrade: {
      from: {
        name: 'node-backend',
        version: '1.0.0',
        digest: DIGEST_1_0,
        files: [],
        values: { port: 8080 },
      },
      branch,
      changedValues: [{ key: 'logLevel', to: 'info' }],
      changelog: [],
    },
    outputs: {
      repoUrl: 'file:///git/payments/cards-api.git',
      defaultBranch: 'main',
      entityRef: 'component:default/cards-api',
      branch,
    },
  });
}

describe.each(databases.eachSupportedId())(
  'UpgradeMergeFollower on %p',
  databaseId => {
    it('takes a merged upgrade, marks a later merged one superseded, stops asking about closed ones and asks again after an error', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const store = await DatabaseRunStore.create({ database });
      const merges = new DatabaseUpgradeMergeStore(knex);

      const created = makeRunRecord({
        name: 'cards-api',
        entityRef: 'component:default/cards-api',
        status: 'succeeded',
        blueprint: {
          name: 'node-backend',
          version: '1.0.0',
          digest: DIGEST_1_0,
        },
        values: { port: 8080 },
      });
      const first = upgradeRun('provisionhub/upgrade-1.1.0');
      const second = upgradeRun('provisionhub/upgrade-1.2.0', '1.2.0');
      const closed = upgradeRun('provisionhub/values-1');
      const unreadable = upgradeRun('provisionhub/values-2');
      await store.transaction(async tx => {
        for (const run of [created, first, second, closed, unreadable]) {
          await tx.insertRun(run, []);
        }
        await tx.recordProvisioned({
          kind: 'component',
          name: 'cards-api',
          system: 'payments',
          type: 'backend',
          owner: created.owner,
          entityRef: created.entityRef,
          blueprint: created.blueprint,
          repoUrl: 'file:///git/payments/cards-api.git',
          defaultBranch: 'main',
          runId: created.id,
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'cards-api',
              annotations: {
                'provisionhub.io/run-id': created.id,
                'provisionhub.io/blueprint': 'node-backend@1.0.0',
                'backstage.io/source-location': 'url:https://example.com/',
              },
            },
          },
          at: new Date().toISOString(),
        });
      });

      const answers: Record<string, MergeStatus | Error> = {
        'provisionhub/upgrade-1.1.0': { state: 'merged', detail: 'merged' },
        'provisionhub/upgrade-1.2.0': { state: 'open', detail: 'open' },
        'provisionhub/values-1': { state: 'closed', detail: 'deleted' },
        'provisionhub/values-2': new Error('remote unreachable'),
      };
      const asked: string[] = [];
      const branches = {
        async read(outputs: RunOutputs) {
          asked.push(outputs.branch!);
          const answer = answers[outputs.branch!];
          if (answer instanceof Error) {
            throw answer;
          }
          return answer;
        },
      } as GitBranchMergeReader;
      const hosted = {
        handles: () => false,
      } as unknown as HostedMergeRequestReader;
      const changed: Array<{ entityRef: string; entity: any }> = [];
      const logger = mockServices.logger.mock();
      const follower = new UpgradeMergeFollower({
        store,
        merges,
        hosted,
        branches,
        entityChanged: event => changed.push(event),
        logger,
      });

      expect(await follower.followMerges()).toBe(1);
      expect(asked.sort()).toEqual(Object.keys(answers).sort());
      expect(await store.getComponent('cards-api')).toMatchObject({
        blueprint: { version: '1.1.0', digest: DIGEST_1_1 },
        runId: first.id,
      });
      expect(changed).toEqual([
        {
          entityRef: 'component:default/cards-api',
          entity: expect.objectContaining({
            metadata: expect.objectContaining({
              annotations: {
                'provisionhub.io/run-id': first.id,
                'provisionhub.io/blueprint': 'node-backend@1.1.0',
                'backstage.io/source-location': 'url:https://example.com/',
              },
            }),
          }),
        },
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          `Cannot tell whether upgrade run ${unreadable.id} of component:default/cards-api was merged; asking again later: remote unreachable`,
        ),
      );

      // The 1.2.0 upgrade was made from 1.0.0; merged now, it must not replace 1.1.0.
      answers['provisionhub/upgrade-1.2.0'] = {
        state: 'merged',
        detail: 'merged',
      };
      asked.length = 0;
      expect(await follower.followMerges()).toBe(0);
      expect(asked.sort()).toEqual([
        'provisionhub/upgrade-1.2.0',
        'provisionhub/values-2',
      ]);
      expect((await store.getComponent('cards-api'))!.runId).toBe(first.id);
      // Nothing is recorded for the run that could not be read: it is still unknown.
      const states = await knex('upgrade_merges').select('run_id', 'state');
      expect(Object.fromEntries(states.map(r => [r.run_id, r.state]))).toEqual({
        [first.id]: 'merged',
        [second.id]: 'superseded',
        [closed.id]: 'closed',
      });
      expect(changed).toHaveLength(1);
    });

    it('deploys a promotion once its GitOps branch is merged; a direct one is merged already', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const store = await DatabaseRunStore.create({ database });
      const merges = new DatabaseUpgradeMergeStore(knex);
      const deployment = {
        environment: 'staging',
        version: '1a2b3c4d',
        path: 'payments/cards-api/overlays/staging',
        commit: 'c'.repeat(40),
      };
      const promotion = (branch?: string) =>
        makeRunRecord({
          kind: 'promote',
          name: 'cards-api',
          entityRef: 'component:default/cards-api',
          status: 'succeeded',
          outputs: {
            repoUrl: 'file:///git/platform/gitops.git',
            defaultBranch: 'main',
            entityRef: 'component:default/cards-api',
            ...(branch ? { branch } : {}),
            deployments: [
              branch
                ? { ...deployment, state: 'proposed', branch }
                : {
                    ...deployment,
                    environment: 'development',
                    state: 'committed',
                  },
            ],
          },
        });
      const proposed = promotion('provisionhub/promote-cards-api-staging-1');
      const direct = promotion();
      await store.transaction(async tx => {
        for (const run of [proposed, direct]) {
          await tx.insertRun(run, []);
          await tx.recordDeployments({
            kind: 'component',
            name: 'cards-api',
            runId: run.id,
            at: new Date().toISOString(),
            deployments: run.outputs!.deployments!,
          });
        }
      });
      let state: MergeStatus = { state: 'open', detail: 'not merged yet' };
      const asked: string[] = [];
      const follower = new UpgradeMergeFollower({
        store,
        merges,
        hosted: { handles: () => false } as unknown as HostedMergeRequestReader,
        branches: {
          async read(outputs: RunOutputs) {
            asked.push(outputs.branch!);
            return state;
          },
        } as GitBranchMergeReader,
        entityChanged: () => undefined,
        logger: mockServices.logger.mock(),
      });
      const staging = async () =>
        (await store.listDeployments('component', 'cards-api'))
          .filter(d => d.environment === 'staging')
          .map(d => [d.state, d.version, d.runId]);

      expect(await follower.followMerges()).toBe(0);
      expect(asked).toEqual(['provisionhub/promote-cards-api-staging-1']);
      expect(await staging()).toEqual([['proposed', '1a2b3c4d', proposed.id]]);

      state = { state: 'merged', detail: 'merged into main' };
      expect(await follower.followMerges()).toBe(1);
      expect(await staging()).toEqual([['committed', '1a2b3c4d', proposed.id]]);
      const states = await knex('upgrade_merges').select('run_id', 'state');
      expect(Object.fromEntries(states.map(r => [r.run_id, r.state]))).toEqual({
        [proposed.id]: 'merged',
        [direct.id]: 'merged',
      });
      asked.length = 0;
      expect(await follower.followMerges()).toBe(0);
      expect(asked).toEqual([]);
    });
  },
);
