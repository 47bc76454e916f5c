import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createTempDir,
  createTestDatabases,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import { provisionhubPlugin } from '../plugin';
import {
  catalogWith,
  provisionhubConfig,
  recordingServices,
  writeBlueprintEntities,
} from '../__testUtils__/fixtures';
import {
  TestBrokerClient,
  connectTestBroker,
} from '../__testUtils__/testBroker';

// Tests start backends and wait for runs on the real broker and database: jest's default 5 s is
// not enough on a busy 2-core machine. Nothing here asserts a duration.
jest.setTimeout(30_000);

const databases = createTestDatabases();

const component = {
  kind: 'component',
  name: 'payments-api',
  owner: 'group:default/payments',
  system: 'legacy',
  blueprint: 'node-backend',
  values: { port: 8080 },
};

const ENVIRONMENTS = [
  { name: 'development', automatic: true },
  {
    name: 'production',
    title: 'Production',
    cluster: 'prod-eu',
    destination: {
      server: 'https://prod-eu.example.com',
      namespace: '${component}',
    },
    argocd: { project: 'payments' },
  },
];

describe('provisionhub router', () => {
  // Declared first, so its vhost outlives the backend of the nested block.
  const testBroker = useTestBroker();
  describe('on a running backend', () => {
    let broker: TestBrokerClient;
    let knex: Knex;
    let app: any;
    let server: Awaited<ReturnType<typeof startTestBackend>>;
    let outbound: ReturnType<typeof recordingServices>['outbound'];
    let removeDir: () => Promise<void>;
    let entities: Awaited<ReturnType<typeof writeBlueprintEntities>>;

    beforeAll(async () => {
      const temp = await createTempDir();
      removeDir = temp.remove;
      entities = await writeBlueprintEntities(temp.dir);
      broker = await connectTestBroker(testBroker);
      knex = await databases.init('SQLITE_3');
      const recording = recordingServices();
      outbound = recording.outbound;
      server = await startTestBackend({
        features: [
          provisionhubPlugin,
          mockServices.database.factory({ knex }),
          // Notifications link to the run page where this portal mounts it.
          provisionhubConfig(
            testBroker,
            {
              routes: { run: '/self-service/runs/:id' },
              environments: ENVIRONMENTS,
            },
            { app: { baseUrl: 'https://portal.example.com/' } },
          ),
          catalogWith(entities),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          ...recording.features,
        ],
      });
      app = server.server;
    });

    afterAll(async () => {
      await server?.stop();
      await broker?.close();
      await removeDir?.();
    });

    async function counts() {
      const [{ runs }] = await knex('runs').count({ runs: '*' });
      const [{ outbox }] = await knex('outbox').count({ outbox: '*' });
      return {
        runs: Number(runs),
        outbox: Number(outbox),
        jobs: await broker.depth(broker.client.names.jobsQueue),
      };
    }

    it('lists the environments in promotion order, with the defaults filled in', async () => {
      const response = await request(app).get('/api/provisionhub/environments');
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([
        {
          name: 'development',
          title: 'development',
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: '${system}-${environment}',
          },
          argocdProject: '${system}',
          automatic: true,
        },
        {
          name: 'production',
          title: 'Production',
          cluster: 'prod-eu',
          destination: {
            server: 'https://prod-eu.example.com',
            namespace: '${component}',
          },
          argocdProject: 'payments',
          automatic: false,
        },
      ]);
    });

    it('answers /health without credentials', async () => {
      const res = await request(app)
        .get('/api/provisionhub/health')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('accepts a component run, queues its job through the outbox and shows it with steps and history', async () => {
      const res = await request(app)
        .post('/api/provisionhub/runs')
        .send(component);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        kind: 'component',
        name: 'payments-api',
        status: 'queued',
        entityRef: 'component:default/payments-api',
        requestedBy: 'user:default/mock',
        blueprint: {
          name: 'node-backend',
          version: '1.2.0',
          digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        },
        values: { port: 8080 },
        attempt: 1,
      });
      const jobs = await waitUntil(
        async () => {
          const taken = await broker.takeJobs();
          return taken.length ? taken : undefined;
        },
        { what: 'the job on the jobs queue' },
      );
      expect(jobs).toEqual([
        expect.objectContaining({
          runId: res.body.id,
          attempt: 1,
          maxAttempt: 3,
          repository: expect.objectContaining({ path: 'legacy/payments-api' }),
          blueprint: expect.objectContaining({
            name: 'node-backend',
            version: '1.2.0',
            steps: [{ id: 'gitops', type: 'gitops' }],
          }),
        }),
      ]);
      expect(jobs[0].repository.description).toMatch(
        new RegExp(`\\[provisionhub run ${res.body.id}\\]$`),
      );
      await waitUntil(async () => (await counts()).outbox === 0, {
        what: 'the outbox to drain',
      });

      const details = await request(app).get(
        `/api/provisionhub/runs/${res.body.id}`,
      );
      expect(details.status).toBe(200);
      expect(details.body.steps.map((s: { id: string }) => s.id)).toEqual([
        'fetch-blueprint',
        'render',
        'create-repository',
        'push',
        'gitops',
        'report',
      ]);
      expect(details.body.history).toEqual([
        expect.objectContaining({
          status: 'requested',
          actor: 'user:default/mock',
        }),
        expect.objectContaining({ status: 'queued', actor: 'system:policy' }),
      ]);
      expect(details.body).toMatchObject({ canCancel: true, canRetry: false });
      // Signals are sent in the background, after the change is committed.
      await waitUntil(
        () =>
          outbound.signals.some(
            s =>
              s.channel ===
              'provisionhub:entity:component:default/payments-api',
          ),
        { what: 'the signals of the new run' },
      );
      // One signal per change, on the entity's channel only.
      expect(outbound.signals).toEqual([
        expect.objectContaining({
          channel: 'provisionhub:entity:component:default/payments-api',
          message: expect.objectContaining({
            runId: res.body.id,
            status: 'queued',
          }),
        }),
      ]);
    });

    describe('refuses bad input with a message naming the field and the rule, storing and queuing nothing', () => {
      const cases: Array<[string, () => request.Test, number, RegExp]> = [
        [
          'an unknown blueprint',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a1', blueprint: 'nope' }),
          404,
          /blueprint 'nope' does not exist \(field \/blueprint\)/,
        ],
        [
          'an unknown version',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a2', version: '9.9.9' }),
          404,
          /no version '9.9.9' \(field \/version\); available: 1.2.0, 1.0.0/,
        ],
        [
          'a name taken by an active run',
          () => request(app).post('/api/provisionhub/runs').send(component),
          409,
          /name 'payments-api' is taken \(field \/name\): run .* is already provisioning/,
        ],
        [
          'a name taken in the catalog',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'taken-in-catalog' }),
          409,
          /component:default\/taken-in-catalog already exists in the catalog/,
        ],
        [
          'a component in an unknown system',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a3', system: 'atlantis' }),
          404,
          /system 'atlantis' does not exist \(field \/system\)/,
        ],
        [
          'an environment the portal does not have',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a6', environment: 'qa' }),
          400,
          /\/environment: 'qa' is not an environment of this portal; use one of development, production \(provisionhub.environments\)/,
        ],
        [
          'values that fail the schema',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a4', values: { port: 80 } }),
          400,
          /\/values\/port must be >= 1024/,
        ],
        [
          'values of the wrong type',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a5', values: { port: 'eighty' } }),
          400,
          /\/values\/port must be integer/,
        ],
        [
          'an unknown value',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a6', values: { colour: 'red' } }),
          400,
          /\/values\/colour is not a known field/,
        ],
        [
          'an invalid name',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'Payments_API' }),
          400,
          /\/name may only contain lowercase letters, digits and hyphens; 'P' is not allowed/,
        ],
        [
          'a name equal to its system',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'legacy' }),
          400,
          /\/name must differ from the system name/,
        ],
        [
          'an owner that is not an entity ref',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a7', owner: 'api:x:y:z' }),
          400,
          /\/owner/,
        ],
        [
          'a missing owner',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a8', owner: undefined }),
          400,
          /owner/,
        ],
        [
          'a system blueprint for a component',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, name: 'a9', blueprint: 'platform-system' }),
          400,
          /blueprint platform-system creates systems \(field \/blueprint\)/,
        ],
        [
          'an unknown kind',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({ ...component, kind: 'database' }),
          400,
          /kind/,
        ],
        [
          'a body that is not JSON',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .set('Content-Type', 'application/json')
              .send('{"kind": "component",'),
          400,
          /request body is not valid JSON/,
        ],
        [
          'a body that is too large',
          () =>
            request(app)
              .post('/api/provisionhub/runs')
              .send({
                ...component,
                name: 'a10',
                values: { description: 'x'.repeat(300 * 1024) },
              }),
          413,
          /request body is \d+ bytes, over the limit of 262144 bytes \(256 KiB\)/,
        ],
      ];

      it.each(cases)('%s', async (_what, send, status, message) => {
        const before = await counts();
        const res = await send();
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status, message: expect.stringMatching(message) });
        expect(res.body.error.message).toMatch(message);
        expect(await counts()).toEqual(before);
      });
    });

    it('holds runs of approval blueprints until approved, and stores the reason of a rejection', async () => {
      const database = {
        ...component,
        name: 'orders-db',
        blueprint: 'postgres-database',
        values: { sizeGb: 5 },
      };
      const held = await request(app)
        .post('/api/provisionhub/runs')
        .send(database);
      expect(held.status).toBe(202);
      expect(held.body.status).toBe('awaiting_approval');
      expect(await counts()).toMatchObject({ outbox: 0, jobs: 0 });
      expect(outbound.notifications).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            recipients: {
              type: 'entity',
              entityRef: ['group:default/platform'],
            },
            payload: expect.objectContaining({
              link: `https://portal.example.com/self-service/runs/${held.body.id}`,
            }),
          }),
        ]),
      );

      const ada = mockCredentials.user.header('user:default/ada');
      const own = await request(app)
        .post(`/api/provisionhub/runs/${held.body.id}/approve`)
        .send({ comment: 'mine' });
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(
        /you requested run .* so you cannot approve it/,
      );
      const approved = await request(app)
        .post(`/api/provisionhub/runs/${held.body.id}/approve`)
        .set('Authorization', ada)
        .send({ comment: 'fine' });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('queued');
      expect(approved.body.history.at(-1)).toMatchObject({
        status: 'queued',
        actor: 'user:default/ada',
        reason: 'approved: fine',
      });
      expect(approved.body.approvals).toEqual([
        {
          approver: 'user:default/ada',
          at: expect.any(String),
          comment: 'fine',
          rules: ['databases'],
        },
      ]);
      const jobs = await waitUntil(
        async () => {
          const taken = await broker.takeJobs();
          return taken.length ? taken : undefined;
        },
        { what: 'the approved job' },
      );
      expect(jobs.map(j => j.runId)).toEqual([held.body.id]);

      const again = await request(app)
        .post(`/api/provisionhub/runs/${held.body.id}/approve`)
        .set('Authorization', ada)
        .send({});
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /is queued; only runs awaiting approval can be approved or rejected/,
      );

      const second = await request(app)
        .post('/api/provisionhub/runs')
        .send({ ...database, name: 'ledger-db' });
      const noReason = await request(app)
        .post(`/api/provisionhub/runs/${second.body.id}/reject`)
        .set('Authorization', ada)
        .send({});
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toMatch(/reason/);
      const rejected = await request(app)
        .post(`/api/provisionhub/runs/${second.body.id}/reject`)
        .set('Authorization', ada)
        .send({ reason: 'use the shared cluster' });
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        rejectionReason: 'use the shared cluster',
        canRetry: false,
      });
      expect(outbound.notifications).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            recipients: { type: 'entity', entityRef: 'user:default/mock' },
            payload: expect.objectContaining({
              title: 'Provisioning of component ledger-db was rejected',
              link: `https://portal.example.com/self-service/runs/${second.body.id}`,
            }),
          }),
        ]),
      );
    });

    it('cancels a queued run and retries it as the next attempt', async () => {
      const created = await request(app)
        .post('/api/provisionhub/runs')
        .send({ ...component, name: 'retry-me' });
      await waitUntil(async () => (await broker.takeJobs()).length > 0, {
        what: 'the first job',
      });
      const cancelled = await request(app)
        .post(`/api/provisionhub/runs/${created.body.id}/cancel`)
        .send({});
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        canCancel: false,
        canRetry: true,
      });
      expect(
        cancelled.body.steps.every(
          (s: { status: string }) => s.status === 'cancelled',
        ),
      ).toBe(true);
      const twice = await request(app)
        .post(`/api/provisionhub/runs/${created.body.id}/cancel`)
        .send({});
      expect(twice.status).toBe(409);

      const retried = await request(app)
        .post(`/api/provisionhub/runs/${created.body.id}/retry`)
        .send({});
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({
        status: 'queued',
        attempt: 2,
        canCancel: true,
        canRetry: false,
      });
      expect(
        retried.body.steps.every(
          (s: { status: string }) => s.status === 'pending',
        ),
      ).toBe(true);
      const [job] = await waitUntil(
        async () => {
          const taken = await broker.takeJobs();
          return taken.length ? taken : undefined;
        },
        { what: 'the retried job' },
      );
      expect(job).toMatchObject({
        runId: created.body.id,
        attempt: 2,
        maxAttempt: 4,
      });
    });

    it('lists runs newest first with cursors and filters, and refuses a forged cursor', async () => {
      const first = await request(app).get('/api/provisionhub/runs?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      const second = await request(app).get(
        `/api/provisionhub/runs?limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(
        second.body.items[0].createdAt <= first.body.items[1].createdAt,
      ).toBe(true);
      expect(second.body.items.map((r: { id: string }) => r.id)).not.toContain(
        first.body.items[1].id,
      );
      const rejected = await request(app).get(
        '/api/provisionhub/runs?status=rejected',
      );
      expect(rejected.body.items.map((r: { name: string }) => r.name)).toEqual([
        'ledger-db',
      ]);
      const several = await request(app).get(
        '/api/provisionhub/runs?status=rejected&status=awaiting_approval&kind=component',
      );
      expect(several.body.items.map((r: { name: string }) => r.name)).toEqual([
        'ledger-db',
      ]);
      const forged = await request(app).get(
        '/api/provisionhub/runs?cursor=abc',
      );
      expect(forged.status).toBe(400);
      expect(forged.body.error.message).toMatch(/cursor 'abc' is not valid/);
      const badLimit = await request(app).get(
        '/api/provisionhub/runs?limit=5000',
      );
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.error.message).toMatch(/limit/);
    });

    it('serves logs, blueprints and dry runs', async () => {
      const [run] = (await request(app).get('/api/provisionhub/runs?limit=1'))
        .body.items;
      const logs = await request(app).get(
        `/api/provisionhub/runs/${run.id}/logs?after=0`,
      );
      expect(logs.body).toEqual({ items: [], lastSeq: 0 });
      expect(
        (
          await request(app).get(
            '/api/provisionhub/runs/00000000-0000-4000-8000-000000000000',
          )
        ).status,
      ).toBe(404);

      const list = await request(app).get('/api/provisionhub/blueprints');
      expect(list.body.items.map((b: { name: string }) => b.name)).toEqual([
        'node-backend',
        'platform-system',
        'postgres-database',
      ]);
      expect(list.body.items[0]).toMatchObject({
        latestVersion: '1.2.0',
        versions: ['1.2.0', '1.0.0'],
      });
      const systems = await request(app).get(
        '/api/provisionhub/blueprints?type=system',
      );
      expect(systems.body.items.map((b: { name: string }) => b.name)).toEqual([
        'platform-system',
      ]);
      const details = await request(app).get(
        '/api/provisionhub/blueprints/node-backend',
      );
      expect(
        details.body.versions.map((v: { version: string }) => v.version),
      ).toEqual(['1.2.0', '1.0.0']);
      const version = await request(app).get(
        '/api/provisionhub/blueprints/node-backend/versions/1.0.0',
      );
      expect(version.body).toMatchObject({
        name: 'node-backend',
        version: '1.0.0',
        parameters: { type: 'object' },
      });

      const dry = await request(app)
        .post('/api/provisionhub/dry-run')
        .send({ ...component, name: 'dry', version: '1.2.0' });
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({
        policy: { decision: 'allow', rules: [] },
        blueprint: {
          name: 'node-backend',
          version: '1.2.0',
          digest: expect.stringMatching(/^sha256:/),
        },
        repositoryPath: 'legacy/dry',
        files: [
          {
            path: 'README.md',
            size: Buffer.byteLength(
              '# dry\n\nOwned by group:default/payments.\n',
            ),
            executable: false,
          },
          {
            path: 'catalog-info.yaml',
            size: expect.any(Number),
            executable: false,
          },
          {
            path: 'src/index.js',
            size: Buffer.byteLength(
              'module.exports = { port: 8080, name: "dry" };\n',
            ),
            executable: false,
          },
        ],
      });
      const badDry = await request(app)
        .post('/api/provisionhub/dry-run')
        .send({ ...component, values: { port: 1 } });
      expect(badDry.status).toBe(400);
    });

    it('serves provisioned entities to services only', async () => {
      const user = await request(app).get('/api/provisionhub/catalog/entities');
      expect(user.status).toBe(403);
      const service = await request(app)
        .get('/api/provisionhub/catalog/entities')
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(200);
      expect(service.body).toEqual({ items: [] });
    });

    it('answers 403 and changes nothing when permission is denied', async () => {
      const denied = await startTestBackend({
        features: [
          provisionhubPlugin,
          mockServices.database.factory({ knex }),
          provisionhubConfig(testBroker),
          catalogWith(entities),
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
          ...recordingServices().features,
        ],
      });
      try {
        const before = await counts();
        const create = await request(denied.server)
          .post('/api/provisionhub/runs')
          .send({ ...component, name: 'denied' });
        expect(create.status).toBe(403);
        expect(create.body.error.message).toMatch(/provisionhub.run.create/);
        const list = await request(denied.server).get('/api/provisionhub/runs');
        expect(list.status).toBe(403);
        const [run] = (
          await request(app).get('/api/provisionhub/runs?status=queued')
        ).body.items;
        const cancel = await request(denied.server)
          .post(`/api/provisionhub/runs/${run.id}/cancel`)
          .send({});
        expect(cancel.status).toBe(403);
        expect(cancel.body.error.message).toMatch(/provisionhub.run.cancel/);
        expect(
          (await request(denied.server).get('/api/provisionhub/blueprints'))
            .status,
        ).toBe(403);
        expect(
          (await request(denied.server).get('/api/provisionhub/environments'))
            .status,
        ).toBe(403);
        const decommission = await request(denied.server)
          .post('/api/provisionhub/components/payments-api/decommission')
          .send({});
        expect(decommission.status).toBe(403);
        expect(decommission.body.error.message).toMatch(
          /provisionhub.run.create/,
        );
        const promote = await request(denied.server)
          .post('/api/provisionhub/components/payments-api/promote')
          .send({ from: 'development', to: 'staging' });
        expect(promote.status).toBe(403);
        expect(promote.body.error.message).toMatch(/provisionhub.run.create/);
        expect(await counts()).toEqual(before);
      } finally {
        await denied.stop();
      }
    });

    it('answers 304 to a reader that already has the current view of a run', async () => {
      const created = await request(app)
        .post('/api/provisionhub/runs')
        .send({ ...component, name: 'cached-view' });
      await waitUntil(async () => (await broker.takeJobs()).length > 0, {
        what: 'the job of the run',
      });
      const first = await request(app).get(
        `/api/provisionhub/runs/${created.body.id}`,
      );
      expect(first.headers.etag).toMatch(/^W\/"/);
      expect(first.headers['cache-control']).toBe(
        'private, no-cache, no-transform',
      );
      const again = await request(app)
        .get(`/api/provisionhub/runs/${created.body.id}`)
        .set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');

      await request(app)
        .post(`/api/provisionhub/runs/${created.body.id}/cancel`)
        .send({});
      const changed = await request(app)
        .get(`/api/provisionhub/runs/${created.body.id}`)
        .set('If-None-Match', first.headers.etag);
      expect(changed.status).toBe(200);
      expect(changed.body.status).toBe('cancelled');
      expect(changed.headers.etag).not.toBe(first.headers.etag);
    });

    it("spaces out one caller's reads of a run, and answers 429 past 5 s of waiting", async () => {
      const paced = await startTestBackend({
        features: [
          provisionhubPlugin,
          mockServices.database.factory({ knex }),
          provisionhubConfig(testBroker, { runs: { readsPerSecond: 1 } }),
          catalogWith(entities),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          ...recordingServices().features,
        ],
      });
      try {
        const [run] = (
          await request(paced.server).get('/api/provisionhub/runs?limit=1')
        ).body.items;
        // 1 a second with bursts of 2: reads 3 to 7 wait 1 to 5 s, the rest would wait longer.
        const answers = await Promise.all(
          Array.from({ length: 8 }, () =>
            request(paced.server).get(`/api/provisionhub/runs/${run.id}`),
          ),
        );
        const statuses = answers.map(a => a.status).sort();
        expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
        const refused = answers.find(a => a.status === 429)!;
        expect(refused.headers['retry-after']).toBe('6');
        expect(refused.body.error.message).toMatch(
          /provisionhub\.runs\.readsPerSecond/,
        );
      } finally {
        await paced.stop();
      }
    });

    it('renders an unchanged run once for its pollers, and a change at once', async () => {
      const [one, two] = await Promise.all(
        ['shared-view-1', 'shared-view-2'].map(name =>
          request(app)
            .post('/api/provisionhub/runs')
            .send({ ...component, name }),
        ),
      );
      const stepReads: string[] = [];
      const onQuery = (query: { sql: string }) => {
        if (query.sql.includes('run_steps')) {
          stepReads.push(query.sql);
        }
      };
      knex.on('query', onQuery);
      try {
        const read = (id: string) =>
          request(app).get(`/api/provisionhub/runs/${id}`);
        const views = await Promise.all([
          read(one.body.id),
          read(two.body.id),
          read(one.body.id),
          read(two.body.id),
        ]);
        expect(views.map(v => v.body.id)).toEqual([
          one.body.id,
          two.body.id,
          one.body.id,
          two.body.id,
        ]);
        expect(stepReads).toHaveLength(2);

        await request(app)
          .post(`/api/provisionhub/runs/${one.body.id}/cancel`)
          .send({});
        const changed = await read(one.body.id);
        expect(changed.body.status).toBe('cancelled');
        expect(
          changed.body.steps.every((s: any) => s.status !== 'pending'),
        ).toBe(true);
      } finally {
        knex.off('query', onQuery);
      }
    });

    it('records an auditor event for every mutation', async () => {
      const auditor = mockServices.auditor.mock();
      const audited = await startTestBackend({
        features: [
          provisionhubPlugin,
          mockServices.database.factory({ knex }),
          provisionhubConfig(testBroker),
          catalogWith(entities),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          createServiceFactory({
            service: coreServices.auditor,
            deps: {},
            factory: () => auditor,
          }),
          ...recordingServices().features,
        ],
      });
      try {
        const created = await request(audited.server)
          .post('/api/provisionhub/runs')
          .send({ ...component, name: 'audited' });
        await request(audited.server)
          .post(`/api/provisionhub/runs/${created.body.id}/cancel`)
          .send({});
        await request(audited.server)
          .post('/api/provisionhub/runs')
          .send({ ...component, name: 'Bad' });
        expect(auditor.createEvent.mock.calls.map(([e]) => e.eventId)).toEqual([
          'run-request',
          'run-cancel',
          'run-request',
        ]);
      } finally {
        await audited.stop();
      }
    });
  });
});
