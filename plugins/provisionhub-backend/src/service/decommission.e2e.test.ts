import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DECOMMISSION_STEPS,
  Run,
} from '@provisionhub/plugin-provisionhub-common';
import { createTestDatabases, git } from '@provisionhub/test-utils';
import {
  ada,
  guest,
  usePortalWithWorker,
} from '../__testUtils__/portalWithWorker';

jest.setTimeout(240_000);

const databases = createTestDatabases();

/** A rule that holds every decommission for the platform team. */
const DECOMMISSION_REVIEW_RULE = {
  id: 'decommission-review',
  description: 'Decommissions are reviewed by the platform team',
  when: { kind: 'decommission' },
  effect: 'require-approval',
  approval: { groups: ['group:default/platform-team'] },
};

/** Holds components for staging, so a creation run can stay open in a system. */
const STAGING_REVIEW_RULE = {
  id: 'staging-review',
  description: 'Staging components are reviewed by the platform team',
  when: { kind: 'component', environment: 'staging' },
  effect: 'require-approval',
  approval: { groups: ['group:default/platform-team'] },
};

/**
 * Decommission end to end: the control plane (on each database engine, RabbitMQ in a vhost of
 * its own) and a real provisionhub-worker process on local bare repositories, with the shipped
 * catalog and a policy that holds decommissions for approval.
 */
describe.each(databases.eachSupportedId())(
  'decommissioning on %s',
  databaseId => {
    const { api, waitForEnd, provision, remote } = usePortalWithWorker(
      databases,
      databaseId,
      { rules: [DECOMMISSION_REVIEW_RULE, STAGING_REVIEW_RULE] },
    );
    const bare = (name: string) => remote(`payments/${name}`);

    const component = (name: string) => ({
      kind: 'component',
      name,
      owner: 'group:default/payments-team',
      system: 'payments',
      blueprint: 'node-backend',
      version: '1.0.0',
      values: {},
    });

    const decommission = (path_: string, body?: object) => {
      const req = api()
        .post(`/api/provisionhub/${path_}/decommission`)
        .set('Authorization', guest);
      return body === undefined ? req.send() : req.send(body);
    };

    /** Approves a decommission run and waits for it to succeed. */
    async function approveAndFinish(runId: string): Promise<Run> {
      const approved = await api()
        .post(`/api/provisionhub/runs/${runId}/approve`)
        .set('Authorization', ada)
        .send({ comment: 'retire it' });
      expect(approved.status).toBe(200);
      const run = await waitForEnd(runId);
      expect(run.status).toBe('succeeded');
      return run;
    }

    const catalogNames = async () =>
      (
        await api()
          .get('/api/provisionhub/catalog/entities')
          .set('Authorization', mockCredentials.service.header())
      ).body.items.map(
        (e: { kind: string; metadata: { name: string } }) =>
          `${e.kind}:${e.metadata.name}`,
      );

    it('archives the repository after policy and an approval, removes the entity from the catalog and keeps the component and its runs', async () => {
      await provision({
        kind: 'system',
        name: 'payments',
        owner: 'group:default/payments-team',
        blueprint: 'system',
        values: {},
      });
      await provision(component('orders-api'));
      const before = await git(bare('orders-api'), 'rev-parse', 'main');
      expect(await catalogNames()).toEqual(
        expect.arrayContaining(['Component:orders-api', 'System:payments']),
      );

      const requested = await decommission('components/orders-api', {
        reason: 'Replaced by orders-v2',
      });
      expect(requested.status).toBe(202);
      expect(requested.body).toMatchObject({
        kind: 'decommission',
        name: 'orders-api',
        system: 'payments',
        entityRef: 'component:default/orders-api',
        status: 'awaiting_approval',
        requestedBy: 'user:default/guest',
        blueprint: { name: 'node-backend', version: '1.0.0' },
        decommission: { reason: 'Replaced by orders-v2' },
        policy: {
          decision: 'require-approval',
          rules: expect.arrayContaining([
            expect.objectContaining({ id: 'decommission-review' }),
          ]),
        },
      });
      const runId = requested.body.id as string;

      // One run at a time per component: neither a second decommission nor an upgrade.
      const second = await decommission('components/orders-api');
      expect(second.status).toBe(409);
      expect(second.body.error.message).toContain(
        'another run of component:default/orders-api is not finished yet',
      );
      const upgrade = await api()
        .post('/api/provisionhub/components/orders-api/upgrade')
        .set('Authorization', guest)
        .send({ version: '1.1.0' });
      expect(upgrade.status).toBe(409);

      // Held for approval: nothing happened to the repository or the catalog yet.
      expect(await git(bare('orders-api'), 'rev-parse', 'main')).toBe(before);
      expect(await catalogNames()).toContain('Component:orders-api');

      const run = await approveAndFinish(runId);
      expect(run).toMatchObject({
        kind: 'decommission',
        outputs: {
          defaultBranch: 'main',
          entityRef: 'component:default/orders-api',
        },
      });
      expect(run.steps!.map(s => [s.id, s.status])).toEqual(
        DECOMMISSION_STEPS.map(s => [s.id, 'succeeded']),
      );

      expect(await git(bare('orders-api'), 'rev-parse', 'main^')).toBe(before);
      const notice = await git(
        bare('orders-api'),
        'show',
        'main:DECOMMISSIONED.md',
      );
      expect(notice).toContain(`- Run: ${runId}`);
      expect(notice).toContain('- Requested by: user:default/guest');
      expect(notice).toContain('> Replaced by orders-v2');

      const after = await api()
        .get('/api/provisionhub/components/orders-api')
        .set('Authorization', guest);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({
        name: 'orders-api',
        status: 'decommissioned',
        decommissionRunId: runId,
        decommissionedAt: expect.any(String),
      });
      const runs = await api()
        .get('/api/provisionhub/runs')
        .query({ entityRef: 'component:default/orders-api' })
        .set('Authorization', guest);
      expect(runs.body.items.map((r: Run) => r.kind).sort()).toEqual([
        'component',
        'decommission',
      ]);
      expect(await catalogNames()).not.toContain('Component:orders-api');
      expect(await catalogNames()).toContain('System:payments');

      const again = await decommission('components/orders-api');
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain(
        `component 'orders-api' was decommissioned already, by run ${runId}`,
      );
      const upgradeAfter = await api()
        .post('/api/provisionhub/components/orders-api/upgrade')
        .set('Authorization', guest)
        .send({ version: '1.1.0' });
      expect(upgradeAfter.status).toBe(409);
      expect(upgradeAfter.body.error.message).toContain(
        'was decommissioned by run',
      );
      // The name stays taken: the row and its history are kept.
      const recreate = await api()
        .post('/api/provisionhub/runs')
        .set('Authorization', guest)
        .send(component('orders-api'));
      expect(recreate.status).toBe(409);
      expect(recreate.body.error.message).toContain(
        "name 'orders-api' is taken",
      );
    });

    it('refuses unknown components and invalid bodies', async () => {
      const missing = await decommission('components/no-such-component');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        "component 'no-such-component' was not provisioned by ProvisionHub",
      );
      const missingSystem = await decommission('systems/no-such-system');
      expect(missingSystem.status).toBe(404);
      const invalid = await decommission('components/orders-api', {
        reason: 5,
      });
      expect(invalid.status).toBe(400);
    });

    it('decommissions a system only when it holds no live components, and then refuses new components in it', async () => {
      await provision(component('ledger-api'));
      const refused = await decommission('systems/payments');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        "system 'payments' still holds live components: ledger-api; decommission them first (POST /components/{name}/decommission)",
      );

      // A component still being created in the system holds it too.
      const held = await api()
        .post('/api/provisionhub/runs')
        .set('Authorization', guest)
        .send({ ...component('held-api'), environment: 'staging' });
      expect(held.body.status).toBe('awaiting_approval');

      const ledger = await decommission('components/ledger-api');
      expect(ledger.status).toBe(202);
      await approveAndFinish(ledger.body.id);

      const creating = await decommission('systems/payments');
      expect(creating.status).toBe(409);
      expect(creating.body.error.message).toBe(
        `system 'payments' has components being created: held-api (run ${held.body.id}, awaiting_approval); wait for those runs to end, decommission what they created, then ask again`,
      );
      const rejected = await api()
        .post(`/api/provisionhub/runs/${held.body.id}/reject`)
        .set('Authorization', ada)
        .send({ reason: 'the system is retired' });
      expect(rejected.body.status).toBe('rejected');

      const requested = await decommission('systems/payments', {
        reason: 'The payments domain moved to the new platform',
      });
      expect(requested.status).toBe(202);
      expect(requested.body).toMatchObject({
        kind: 'decommission',
        entityRef: 'system:default/payments',
        status: 'awaiting_approval',
      });
      await approveAndFinish(requested.body.id);
      expect(
        await git(
          remote('payments/payments'),
          'show',
          'main:DECOMMISSIONED.md',
        ),
      ).toContain('system:default/payments was decommissioned');

      const system = await api()
        .get('/api/provisionhub/systems/payments')
        .set('Authorization', guest);
      expect(system.body).toMatchObject({
        status: 'decommissioned',
        decommissionRunId: requested.body.id,
        componentCount: 0,
      });
      expect(
        system.body.components.map((c: { status: string }) => c.status),
      ).toEqual(['decommissioned', 'decommissioned']);
      expect(await catalogNames()).not.toContain('System:payments');

      const create = await api()
        .post('/api/provisionhub/runs')
        .set('Authorization', guest)
        .send(component('late-api'));
      expect(create.status).toBe(409);
      expect(create.body.error.message).toContain(
        "system 'payments' was decommissioned by run",
      );
    });
  },
);
