import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionBackend from '@backstage/plugin-permission-backend';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Run } from '@provisionhub/plugin-provisionhub-common';
import {
  createTempDir,
  createTestDatabases,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import { decideProvisionHubPermission } from '../permissions/decideProvisionHubPermission';
import { provisionhubPlugin } from '../plugin';
import {
  TEST_USERS,
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

/**
 * The people of the matrix. grace requests; greg is in her team (the owner); ada and alan are
 * in the approver group; root is a ProvisionHub admin outside the approver group; eve belongs
 * to no group.
 */
const who = {
  none: mockCredentials.none.header(),
  requester: mockCredentials.user.header('user:default/grace'),
  member: mockCredentials.user.header('user:default/greg'),
  approver: mockCredentials.user.header('user:default/ada'),
  approver2: mockCredentials.user.header('user:default/alan'),
  admin: mockCredentials.user.header('user:default/root'),
  outsider: mockCredentials.user.header('user:default/eve'),
};
type Who = keyof typeof who;

const database = {
  kind: 'component',
  name: 'orders-db',
  owner: 'group:default/payments',
  system: 'shop',
  blueprint: 'postgres-database',
  values: { sizeGb: 20 },
};

const policy = {
  rules: [
    {
      id: 'databases',
      description: 'Databases need two people of the platform team',
      when: { blueprint: { type: 'database' } },
      effect: 'require-approval',
      reason: 'databases hold customer data',
      approval: { groups: ['group:default/platform'], count: 2 },
    },
    {
      id: 'huge-databases',
      description: 'Databases over 100 GB',
      when: {
        blueprint: { name: 'postgres-database' },
        values: 'values.sizeGb > 100',
      },
      effect: 'deny',
      reason: 'more than 100 GB goes through the DBA team, not self-service',
    },
    {
      id: 'sandbox-expiry',
      description: 'Sandbox databases must be approved within a second',
      when: { environment: 'sandbox' },
      effect: 'require-approval',
      approval: { groups: ['group:default/platform'], expiresAfter: 'PT0.3S' },
    },
  ],
};

/**
 * The portal's permission policy is ProvisionHub's recommended one (decideProvisionHubPermission),
 * served by the real permission backend; group membership comes from the catalog test double
 * and, for the permission framework, from each user's sign-in info.
 */
const portalPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy: extension }) {
        extension.setPolicy({
          async handle(req, user) {
            return (
              decideProvisionHubPermission(req, user, {
                adminGroups: ['group:default/admins'],
              }) ?? { result: AuthorizeResult.DENY }
            );
          },
        });
      },
    });
  },
});

/**
 * Backstage's mock auth, except that a token issued on behalf of a user carries the calling
 * plugin as actor, as real tokens do: the permission backend needs that to apply conditional
 * decisions (cancel/retry by requester or owner) through the plugin's integration router.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: auth.authenticate.bind(auth),
      isPrincipal: auth.isPrincipal.bind(auth) as typeof auth.isPrincipal,
      getNoneCredentials: auth.getNoneCredentials.bind(auth),
      getOwnServiceCredentials: auth.getOwnServiceCredentials.bind(auth),
      getLimitedUserToken: auth.getLimitedUserToken.bind(auth),
      listPublicServiceKeys: auth.listPublicServiceKeys.bind(auth),
      async getPluginRequestToken(options) {
        const { principal } = options.onBehalfOf as any;
        if (principal.type === 'user') {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return auth.getPluginRequestToken(options);
      },
    };
  },
});

const userInfoFromTestUsers = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      const name = userEntityRef.split('/')[1];
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(TEST_USERS[name] ?? []).map(g => `group:default/${g}`),
        ],
      };
    },
  }),
});

describe('governance', () => {
  // Declared in an outer block, so its vhost outlives the backend of the inner one (a vhost
  // removed under a connected backend fails the suite with "Channel ended").
  const testBroker = useTestBroker();
  describe('the control plane enforces policy and approvals for every caller', () => {
    let broker: TestBrokerClient;
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startTestBackend>>;
    let removeDir: () => Promise<void>;
    const recording = recordingServices();

    beforeAll(async () => {
      const temp = await createTempDir();
      removeDir = temp.remove;
      const entities = await writeBlueprintEntities(temp.dir);
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: { name: 'shop', namespace: 'default' },
        spec: { owner: 'group:default/payments' },
      });
      broker = await connectTestBroker(testBroker);
      knex = await databases.init('SQLITE_3');
      server = await startTestBackend({
        features: [
          provisionhubPlugin,
          permissionBackend,
          portalPolicy,
          permissionsServiceFactory,
          permissionsRegistryServiceFactory,
          userInfoFromTestUsers,
          authWithActors,
          mockServices.database.factory({ knex }),
          provisionhubConfig(
            testBroker,
            { policy },
            { permission: { enabled: true } },
          ),
          catalogWith(entities),
          ...recording.features,
        ],
      });
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      await broker?.close();
      await removeDir?.();
    });

    const api = () => request(server.server);
    const as = (person: Who) => ({
      get: (path: string) =>
        api().get(`/api/provisionhub${path}`).set('Authorization', who[person]),
      post: (path: string, body: object = {}) =>
        api()
          .post(`/api/provisionhub${path}`)
          .set('Authorization', who[person])
          .send(body),
    });

    async function requestDatabase(name: string, extra: object = {}) {
      const res = await as('requester').post('/runs', {
        ...database,
        name,
        ...extra,
      });
      expect({ status: res.status, body: res.body }).toMatchObject({
        status: 202,
      });
      return res.body as Run;
    }

    async function jobsFor(runId: string) {
      return (await broker.takeJobs()).filter(job => job.runId === runId);
    }

    it('answers 401 to every route without credentials, except /health', async () => {
      const routes: Array<[string, string]> = [
        ['post', '/runs'],
        ['get', '/runs'],
        ['get', '/runs/x'],
        ['get', '/runs/x/logs'],
        ['post', '/runs/x/cancel'],
        ['post', '/runs/x/retry'],
        ['post', '/runs/x/approve'],
        ['post', '/runs/x/reject'],
        ['get', '/systems'],
        ['get', '/systems/shop'],
        ['get', '/components'],
        ['get', '/components/x'],
        ['get', '/blueprints'],
        ['get', '/blueprints/node-backend'],
        ['post', '/dry-run'],
        ['post', '/policy/evaluate'],
        ['get', '/dead-letters'],
        ['post', '/dead-letters/purge'],
        ['post', '/dead-letters/x/redrive'],
        ['get', '/catalog/entities'],
      ];
      const statuses = await Promise.all(
        routes.map(async ([method, path]) => {
          const res =
            method === 'get'
              ? await as('none').get(path)
              : await as('none').post(path, database);
          return `${method} ${path} ${res.status}`;
        }),
      );
      expect(statuses).toEqual(routes.map(([m, p]) => `${m} ${p} 401`));
      expect((await as('none').get('/health')).status).toBe(200);
    });

    it('previews the decision with the rules, their reasons and the approvers, creating nothing', async () => {
      const before = await knex('runs').count({ n: '*' });
      const preview = await as('requester').post('/policy/evaluate', database);
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        decision: 'require-approval',
        rules: [
          {
            id: 'databases',
            description: 'Databases need two people of the platform team',
            effect: 'require-approval',
            reason: 'databases hold customer data',
          },
        ],
        approvers: {
          groups: ['group:default/platform'],
          count: 2,
          requirements: [
            { rule: 'databases', groups: ['group:default/platform'], count: 2 },
          ],
        },
      });

      const denied = await as('requester').post('/policy/evaluate', {
        ...database,
        values: { sizeGb: 500 },
      });
      expect(denied.body).toMatchObject({
        decision: 'deny',
        rules: [
          { id: 'databases', effect: 'require-approval' },
          {
            id: 'huge-databases',
            effect: 'deny',
            reason:
              'more than 100 GB goes through the DBA team, not self-service',
          },
        ],
      });

      const outsider = await as('outsider').post('/policy/evaluate', database);
      expect(outsider.body).toMatchObject({
        decision: 'deny',
        rules: expect.arrayContaining([
          expect.objectContaining({
            id: 'provisionhub:owner-membership',
            reason: expect.stringMatching(
              /^you are not a member of group:default\/payments/,
            ),
          }),
          expect.objectContaining({
            id: 'provisionhub:system-ownership',
            reason: expect.stringMatching(
              /^system shop is owned by group:default\/payments/,
            ),
          }),
        ]),
      });
      const admin = await as('admin').post('/policy/evaluate', database);
      expect(admin.body.decision).toBe('require-approval');

      const dryRun = await as('requester').post('/dry-run', database);
      expect(dryRun.body.policy).toEqual(preview.body);
      expect(await knex('runs').count({ n: '*' })).toEqual(before);
    });

    it('refuses a denied request through REST with the rule and its reason, storing nothing', async () => {
      const before = await knex('runs').count({ n: '*' });
      const res = await as('requester').post('/runs', {
        ...database,
        name: 'huge-db',
        values: { sizeGb: 500 },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'policy denies this request: denied because rule huge-databases: more than 100 GB goes through the DBA team, not self-service',
      );
      expect(await knex('runs').count({ n: '*' })).toEqual(before);
    });

    it('checks ownership: own groups and own systems only, unless admin', async () => {
      const outsider = await as('outsider').post('/runs', {
        ...database,
        name: 'not-mine',
      });
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.message).toMatch(
        /rule provisionhub:owner-membership: you are not a member of group:default\/payments/,
      );
      const foreignSystem = await as('requester').post('/runs', {
        ...database,
        name: 'in-legacy',
        system: 'legacy',
      });
      expect(foreignSystem.status).toBe(403);
      expect(foreignSystem.body.error.message).toMatch(
        /rule provisionhub:system-ownership: system legacy is owned by group:default\/platform/,
      );
      const admin = await as('admin').post('/runs', {
        ...database,
        name: 'admin-db',
        system: 'legacy',
      });
      expect(admin.status).toBe(202);
      expect(admin.body.status).toBe('awaiting_approval');
    });

    it('needs two distinct approvers from the approver group, never the requester, with comments in the history', async () => {
      const run = await requestDatabase('two-approvals');
      const path = `/runs/${run.id}/approve`;
      const reader = await as('requester').get(`/runs/${run.id}`);
      expect(reader.body).toMatchObject({
        canApprove: false,
        approvalBlockedReason: expect.stringMatching(/you requested run/),
      });
      expect((await as('approver').get(`/runs/${run.id}`)).body).toMatchObject({
        canApprove: true,
      });

      const outcomes: Array<[Who, number, string | RegExp]> = [
        ['requester', 403, /you requested run .*, so you cannot approve it/],
        [
          'member',
          403,
          /needs a member of group:default\/platform; you are not a member/,
        ],
        ['admin', 403, /needs a member of group:default\/platform/],
        ['outsider', 403, /needs a member of group:default\/platform/],
      ];
      for (const [person, status, message] of outcomes) {
        const res = await as(person).post(path, { comment: 'looks fine' });
        expect([person, res.status, res.body.error?.message]).toEqual([
          person,
          status,
          expect.stringMatching(message),
        ]);
      }

      const first = await as('approver').post(path, {
        comment: 'schema reviewed',
      });
      expect(first.status).toBe(200);
      expect(first.body.status).toBe('awaiting_approval');
      expect(first.body.history.at(-1)).toMatchObject({
        status: 'awaiting_approval',
        actor: 'user:default/ada',
        reason:
          'approved: schema reviewed (still needed: 1 from group:default/platform)',
      });
      const twice = await as('approver').post(path, {});
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toMatch(/you already approved run/);
      expect(await jobsFor(run.id)).toEqual([]);

      const second = await as('approver2').post(path, { comment: 'sizing ok' });
      expect(second.body).toMatchObject({
        status: 'queued',
        approvals: [
          {
            approver: 'user:default/ada',
            comment: 'schema reviewed',
            rules: ['databases'],
          },
          {
            approver: 'user:default/alan',
            comment: 'sizing ok',
            rules: ['databases'],
          },
        ],
      });
      expect(second.body.history.at(-1)).toMatchObject({
        status: 'queued',
        actor: 'user:default/alan',
        reason: 'approved: sizing ok',
      });
      await waitUntil(async () => (await jobsFor(run.id)).length === 1, {
        what: 'the job of the approved run',
      });
      const told = recording.outbound.notifications.filter(n =>
        n.payload.link?.endsWith(run.id),
      );
      expect(told.map(n => [n.recipients, n.payload.title])).toEqual([
        [
          { type: 'entity', entityRef: ['group:default/platform'] },
          'Approval needed: component two-approvals',
        ],
        [
          { type: 'entity', entityRef: 'user:default/grace' },
          'Provisioning of component two-approvals was approved',
        ],
      ]);
      expect(told[0].payload.description).toBe(
        'user:default/grace asked for component two-approvals from blueprint postgres-database@2.0.0: needs 2 approvals from group:default/platform because rule databases: databases hold customer data',
      );
    });

    it('lets only approvers who are not the requester reject', async () => {
      const run = await requestDatabase('to-reject');
      const path = `/runs/${run.id}/reject`;
      for (const person of ['requester', 'member', 'outsider'] as Who[]) {
        const res = await as(person).post(path, { reason: 'no' });
        expect([person, res.status]).toEqual([person, 403]);
      }
      const rejected = await as('approver').post(path, {
        reason: 'use the shared cluster',
      });
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        rejectionReason: 'use the shared cluster',
      });
    });

    it('never skips approval through cancel and retry; an approved run keeps its approvals', async () => {
      const waiting = await requestDatabase('cancel-retry');
      const cancelled = await as('requester').post(
        `/runs/${waiting.id}/cancel`,
      );
      expect(cancelled.body.status).toBe('cancelled');
      const retried = await as('requester').post(`/runs/${waiting.id}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body.status).toBe('awaiting_approval');
      expect(retried.body.history.at(-1).reason).toMatch(
        /it was never approved, so it waits for approval again/,
      );
      expect(await jobsFor(waiting.id)).toEqual([]);

      const halfway = await requestDatabase('half-approved');
      await as('approver').post(`/runs/${halfway.id}/approve`);
      await as('requester').post(`/runs/${halfway.id}/cancel`);
      const halfRetry = await as('requester').post(`/runs/${halfway.id}/retry`);
      expect(halfRetry.body.status).toBe('awaiting_approval');

      const approved = await requestDatabase('approved-then-cancelled');
      await as('approver').post(`/runs/${approved.id}/approve`);
      await as('approver2').post(`/runs/${approved.id}/approve`);
      await as('requester').post(`/runs/${approved.id}/cancel`);
      await broker.takeJobs();
      const retry = await as('requester').post(`/runs/${approved.id}/retry`);
      expect(retry.body).toMatchObject({ status: 'queued', attempt: 2 });
      await waitUntil(async () => (await jobsFor(approved.id)).length === 1, {
        what: 'the retried job of the approved run',
      });
    });

    it('lets the requester, members of the owner group and admins cancel and retry; nobody else', async () => {
      const matrix: Array<[Who, number]> = [
        ['outsider', 403],
        ['approver', 403],
        ['requester', 200],
        ['member', 200],
        ['admin', 200],
      ];
      const runs = new Map<Who, string>();
      for (const [person, status] of matrix) {
        const run = await requestDatabase(`cancel-by-${person}`);
        runs.set(person, run.id);
        const cancel = await as(person).post(`/runs/${run.id}/cancel`);
        expect([person, 'cancel', cancel.status]).toEqual([
          person,
          'cancel',
          status,
        ]);
      }
      const allowed = matrix.filter(([, status]) => status === 200);
      for (const [person] of allowed) {
        const retry = await as(person).post(`/runs/${runs.get(person)}/retry`);
        expect([person, 'retry', retry.status]).toEqual([person, 'retry', 202]);
      }
      const cancelled = await requestDatabase('cancelled-for-strangers');
      await as('requester').post(`/runs/${cancelled.id}/cancel`);
      for (const person of ['outsider', 'approver'] as Who[]) {
        const retry = await as(person).post(`/runs/${cancelled.id}/retry`);
        expect([person, 'retry', retry.status]).toEqual([person, 'retry', 403]);
      }
    });

    it('lets every signed-in user read runs, blueprints and what was provisioned; the catalog feed is for services', async () => {
      const run = await requestDatabase('readable');
      for (const person of [
        'requester',
        'member',
        'approver',
        'admin',
        'outsider',
      ] as Who[]) {
        const reads = await Promise.all(
          [
            `/runs/${run.id}`,
            `/runs/${run.id}/logs`,
            '/runs',
            '/systems',
            '/components',
            '/blueprints',
          ].map(path =>
            as(person)
              .get(path)
              .then(r => r.status),
          ),
        );
        expect([person, ...reads]).toEqual([
          person,
          200,
          200,
          200,
          200,
          200,
          200,
        ]);
        expect((await as(person).get('/catalog/entities')).status).toBe(403);
      }
    });

    it('keeps the dead-letter console to provisionhub.admin', async () => {
      for (const person of ['requester', 'approver', 'outsider'] as Who[]) {
        const statuses = await Promise.all([
          as(person)
            .get('/dead-letters')
            .then(r => r.status),
          as(person)
            .post('/dead-letters/purge', { ids: ['x'] })
            .then(r => r.status),
          as(person)
            .post('/dead-letters/x/redrive')
            .then(r => r.status),
        ]);
        expect([person, ...statuses]).toEqual([person, 403, 403, 403]);
      }
      expect((await as('admin').get('/dead-letters')).body).toEqual({
        items: [],
        total: 0,
      });
      expect(
        (await as('admin').post('/dead-letters/purge', { ids: ['x'] })).body,
      ).toEqual({ purged: 0 });
      const unknown = await as('admin').post('/dead-letters/x/redrive');
      expect({
        status: unknown.status,
        message: unknown.body.error.message,
      }).toEqual({
        status: 404,
        message: 'dead letter x does not exist',
      });
      const invalid = await as('admin').post('/dead-letters/purge', {
        ids: 'all',
      });
      expect(invalid.status).toBe(400);
    });

    it('rejects a run whose approval expired, with the rule, when someone tries to approve it', async () => {
      const run = await requestDatabase('expiring', { environment: 'sandbox' });
      expect(run.approvalExpiresAt).toBeDefined();
      await waitUntil(
        async () => Date.now() > Date.parse(run.approvalExpiresAt!),
        {
          what: 'the approval to expire',
        },
      );
      const late = await as('approver').post(`/runs/${run.id}/approve`);
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(
        /waited too long for approval and was rejected/,
      );
      const stored = await as('requester').get(`/runs/${run.id}`);
      expect(stored.body).toMatchObject({
        status: 'rejected',
        rejectionReason: expect.stringMatching(
          /^approval expired: nobody approved the run by .* \(rule sandbox-expiry\)$/,
        ),
      });
    });
  });
});
