import type { BackendFeature } from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import {
  Run,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import {
  WorkerProcess,
  createTempDir,
  createTestBroker,
  shippedBlueprintTrust,
  shippedCatalogEntities,
  silentSignalsAndNotifications,
  startLocalWorker,
  waitUntil,
} from '@provisionhub/test-utils';
import path from 'node:path';
import request from 'supertest';
import { provisionhubPlugin } from '../plugin';
import { adminsAre, userInfoFromShippedOrg } from './shippedOrg';

/** The guest of the shipped organisation, who requests everything in these tests. */
export const guest = mockCredentials.user.header('user:default/guest');
/** ada of the platform team, an approver. */
export const ada = mockCredentials.user.header('user:default/ada');
/** linus of the web team, no approver. */
export const linus = mockCredentials.user.header('user:default/linus');

/** A rule that holds every upgrade for the platform team. */
export const UPGRADE_REVIEW_RULE = {
  id: 'upgrade-review',
  description: 'Upgrades are reviewed by the platform team',
  when: { kind: 'upgrade' },
  effect: 'require-approval',
  approval: { groups: ['group:default/platform-team'] },
};

/**
 * The day-2 end-to-end setup, declared in a `describe`: the control plane on one database engine
 * (RabbitMQ in a vhost of its own, the shipped catalog and organisation) and a real
 * provisionhub-worker process pushing to local bare repositories under `dir()/remotes`.
 */
export function usePortalWithWorker(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: {
    /** Policy rules (`provisionhub.policy.rules`). */
    rules: JsonObject[];
    /** More `provisionhub` config for the control plane. */
    config?: JsonObject;
    /** Users who hold `provisionhub.admin`; everything else is allowed to everyone. */
    admins?: string[];
    /** More backend features, e.g. Backstage's scheduler. */
    features?: BackendFeature[];
  },
) {
  let broker: Awaited<ReturnType<typeof createTestBroker>>;
  let temp: Awaited<ReturnType<typeof createTempDir>>;
  let worker: WorkerProcess | undefined;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;

  beforeAll(async () => {
    broker = await createTestBroker();
    temp = await createTempDir('provisionhub-portal-e2e-');
    const knex = await databases.init(databaseId);
    const shared = {
      amqp: { url: broker.url, prefix: broker.prefix },
      runs: { maxAttempts: 2, backoff: { initialMs: 500, maxMs: 1000 } },
    };
    [worker, backend] = await Promise.all([
      startLocalWorker(temp.dir, shared),
      startTestBackend({
        features: [
          provisionhubPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              provisionhub: {
                ...shared,
                policy: { rules: options.rules },
                blueprints: shippedBlueprintTrust(),
                ...options.config,
              },
            },
          }),
          catalogServiceMock.factory({ entities: shippedCatalogEntities() }),
          adminsAre(...(options.admins ?? [])),
          userInfoFromShippedOrg,
          ...silentSignalsAndNotifications(),
          ...(options.features ?? []),
        ],
      }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await worker?.stop();
    await broker?.remove();
    await temp?.remove();
  }, 60_000);

  const api = () => request(backend!.server);

  /** The run once it ended, as the guest reads it. */
  async function waitForEnd(id: string): Promise<Run> {
    return waitUntil(
      async () => {
        const res = await api()
          .get(`/api/provisionhub/runs/${id}`)
          .set('Authorization', guest);
        return isTerminalRunStatus(res.body.status) ? res.body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `run ${id} to end` },
    );
  }

  /** Requests a run as the guest and expects it to succeed. */
  async function provision(body: object): Promise<Run> {
    const res = await api()
      .post('/api/provisionhub/runs')
      .set('Authorization', guest)
      .send(body);
    expect(res.status).toBe(202);
    const run = await waitForEnd(res.body.id);
    expect(run).toMatchObject({ status: 'succeeded' });
    return run;
  }

  return {
    api,
    waitForEnd,
    provision,
    /** The test's own folder: the worker's remotes are under `remotes/`. */
    dir: () => temp.dir,
    /** The bare repository of `<system>/<name>`. */
    remote: (repositoryPath: string) =>
      path.join(temp.dir, 'remotes', `${repositoryPath}.git`),
  };
}
