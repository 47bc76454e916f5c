import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createTempDir,
  createTestDatabases,
  useTestBroker,
} from '@provisionhub/test-utils';
import request from 'supertest';
import { provisionhubPlugin } from '../plugin';
import {
  DATABASES_RULE,
  catalogWith,
  provisionhubConfig,
  recordingServices,
  writeBlueprintEntities,
} from '../__testUtils__/fixtures';

// Starts a backend on the real broker: jest's default 5 s is not enough on a busy machine.
jest.setTimeout(30_000);

const databases = createTestDatabases();

const ACTIONS = '/api/provisionhub/.backstage/actions/v1/actions';

const policy = {
  rules: [
    DATABASES_RULE,
    {
      id: 'reserved-ports',
      description: 'Ports above 9000',
      when: { values: 'values.port > 9000' },
      effect: 'deny',
      reason: 'ports above 9000 are reserved for the mesh',
    },
  ],
};

/** Everyone may do everything, except eve, who may do nothing. */
const decide = async (
  requests: readonly unknown[],
  options?: { credentials: { principal: unknown } },
) => {
  const { userEntityRef } = options!.credentials.principal as {
    userEntityRef?: string;
  };
  const result =
    userEntityRef === 'user:default/eve'
      ? AuthorizeResult.DENY
      : AuthorizeResult.ALLOW;
  return requests.map(() => ({ result }));
};
const permissions = mockServices.permissions.mock({
  authorize: decide as any,
  authorizeConditional: decide as any,
});

/**
 * The actions in Backstage's actions registry, served over HTTP as `backstage-cli actions` and
 * the MCP actions backend reach them, acting through the REST API as their caller.
 */
describe('ProvisionHub actions', () => {
  // Declared first, so its vhost outlives the backend of the nested block.
  const testBroker = useTestBroker();
  describe('in the actions registry', () => {
    let server: Awaited<ReturnType<typeof startTestBackend>>;
    let removeDir: () => Promise<void>;

    beforeAll(async () => {
      const temp = await createTempDir();
      removeDir = temp.remove;
      const entities = await writeBlueprintEntities(temp.dir);
      server = await startTestBackend({
        features: [
          provisionhubPlugin,
          actionsRegistryServiceFactory,
          mockServices.database.factory({
            knex: await databases.init('SQLITE_3'),
          }),
          provisionhubConfig(
            testBroker,
            { policy, routes: { run: '/self-service/runs/:id' } },
            { app: { baseUrl: 'https://portal.example.com' } },
          ),
          catalogWith(entities),
          permissions.factory,
          ...recordingServices().features,
        ],
      });
    });

    afterAll(async () => {
      await server?.stop();
      await removeDir?.();
    });

    const as = (user: string) => ({
      list: () =>
        request(server.server)
          .get(ACTIONS)
          .set('Authorization', mockCredentials.user.header(user)),
      invoke: (action: string, input: object) =>
        request(server.server)
          .post(`${ACTIONS}/${encodeURIComponent(action)}/invoke`)
          .set('Authorization', mockCredentials.user.header(user))
          .send(input),
    });

    it('lists the five actions with their schemas and attributes, and hides what the caller may not do', async () => {
      const res = await as('user:default/grace').list();
      expect(res.status).toBe(200);
      const actions = res.body.actions as Array<{
        id: string;
        attributes: { readOnly: boolean };
        schema: { input: { properties: object } };
      }>;
      expect(actions.map(a => [a.id, a.attributes.readOnly])).toEqual([
        ['provisionhub:runs:create', false],
        ['provisionhub:runs:get', true],
        ['provisionhub:runs:list', true],
        ['provisionhub:runs:approve', false],
        ['provisionhub:blueprints:list', true],
      ]);
      expect(Object.keys(actions[0].schema.input.properties)).toEqual([
        'kind',
        'name',
        'owner',
        'system',
        'blueprint',
        'version',
        'environment',
        'values',
      ]);

      // Creating and reading blueprints need permissions eve lacks.
      const eve = await as('user:default/eve').list();
      expect(eve.body.actions.map((a: { id: string }) => a.id)).toEqual([
        'provisionhub:runs:get',
        'provisionhub:runs:list',
        'provisionhub:runs:approve',
      ]);
    });

    it('lists blueprints with the JSON Schema of their latest parameters', async () => {
      const res = await as('user:default/grace').invoke(
        'provisionhub:blueprints:list',
        { type: 'backend' },
      );
      expect({ status: res.status, body: res.body }).toMatchObject({
        status: 200,
        body: {
          output: {
            blueprints: [
              {
                name: 'node-backend',
                latestVersion: '1.2.0',
                versions: ['1.2.0', '1.0.0'],
                parameters: {
                  properties: { port: { type: 'integer', default: 8080 } },
                },
              },
            ],
          },
        },
      });
    });

    it('requests a run as the caller, whose own approval the control plane then refuses; an approver of the rule approves it', async () => {
      const created = await as('user:default/grace').invoke(
        'provisionhub:runs:create',
        {
          kind: 'component',
          name: 'orders-db',
          owner: 'group:default/payments',
          system: 'legacy',
          blueprint: 'postgres-database',
          values: { sizeGb: 10 },
        },
      );
      expect({ status: created.status, body: created.body }).toMatchObject({
        status: 200,
        body: {
          output: {
            run: {
              status: 'awaiting_approval',
              requestedBy: 'user:default/grace',
              policy: {
                decision: 'require-approval',
                explanation:
                  'needs 1 approval from group:default/platform because rule databases: Databases need the platform team',
              },
            },
          },
        },
      });
      const runId = created.body.output.run.id as string;
      expect(created.body.output.run.url).toBe(
        `https://portal.example.com/self-service/runs/${runId}`,
      );

      const own = await as('user:default/grace').invoke(
        'provisionhub:runs:approve',
        { runId },
      );
      expect({ status: own.status, error: own.body.error }).toEqual({
        status: 403,
        error: expect.objectContaining({
          name: 'NotAllowedError',
          message: expect.stringContaining('requested'),
        }),
      });

      const seen = await as('user:default/ada').invoke(
        'provisionhub:runs:get',
        {
          runId,
        },
      );
      expect(seen.body.output.run).toMatchObject({
        status: 'awaiting_approval',
        canApprove: true,
        steps: expect.arrayContaining([
          expect.objectContaining({ id: 'render', status: 'pending' }),
        ]),
      });

      const approved = await as('user:default/ada').invoke(
        'provisionhub:runs:approve',
        { runId, comment: 'sized right' },
      );
      expect(approved.body.output.run).toMatchObject({
        status: 'queued',
        approvals: [{ approver: 'user:default/ada', comment: 'sized right' }],
      });

      const listed = await as('user:default/ada').invoke(
        'provisionhub:runs:list',
        { status: ['queued'], system: 'legacy' },
      );
      expect(
        listed.body.output.runs.map((r: { id: string }) => r.id),
      ).toContain(runId);
    });

    it("answers invalid values, a policy denial and a missing permission with the control plane's status and message", async () => {
      const requestPort = (port: number) =>
        as('user:default/grace').invoke('provisionhub:runs:create', {
          kind: 'component',
          name: 'payments-api',
          owner: 'group:default/payments',
          system: 'legacy',
          blueprint: 'node-backend',
          values: { port },
        });
      const invalid = await requestPort(80);
      expect({ status: invalid.status, error: invalid.body.error }).toEqual({
        status: 400,
        error: expect.objectContaining({
          name: 'InputError',
          message: expect.stringContaining('/values/port must be >= 1024'),
        }),
      });
      const denied = await requestPort(9090);
      expect({ status: denied.status, error: denied.body.error }).toEqual({
        status: 403,
        error: expect.objectContaining({
          name: 'NotAllowedError',
          message:
            'policy denies this request: denied because rule reserved-ports: ports above 9000 are reserved for the mesh',
        }),
      });

      const runs = await as('user:default/eve').invoke(
        'provisionhub:runs:list',
        {},
      );
      expect({ status: runs.status, error: runs.body.error }).toEqual({
        status: 403,
        error: expect.objectContaining({
          message: 'you lack the permission provisionhub.run.read',
        }),
      });
    });
  });
});
