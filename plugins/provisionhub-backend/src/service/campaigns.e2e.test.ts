import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ANNOTATION_BLUEPRINT,
  ANNOTATION_RUN_ID,
  UpgradeCampaign,
} from '@provisionhub/plugin-provisionhub-common';
import { createTestDatabases, git, waitUntil } from '@provisionhub/test-utils';
import path from 'node:path';
import {
  UPGRADE_REVIEW_RULE,
  ada,
  guest,
  linus,
  usePortalWithWorker,
} from '../__testUtils__/portalWithWorker';

jest.setTimeout(300_000);

const databases = createTestDatabases();

/**
 * Bulk upgrades and "the component follows the repo", end to end: the control plane (each
 * database engine, Backstage's scheduler, RabbitMQ in a vhost of its own) and a real worker
 * process pushing to local bare repositories, with the shipped catalog.
 */
describe.each(databases.eachSupportedId())(
  'upgrade campaigns on %s',
  databaseId => {
    const { api, provision, dir, remote } = usePortalWithWorker(
      databases,
      databaseId,
      {
        rules: [UPGRADE_REVIEW_RULE],
        config: { upgrades: { mergeCheckInterval: { milliseconds: 300 } } },
        admins: ['user:default/ada'],
        features: [schedulerServiceFactory],
      },
    );

    const component = (name: string) => ({
      kind: 'component',
      name,
      owner: 'group:default/payments-team',
      system: 'payments',
      blueprint: 'node-backend',
      version: '1.0.0',
      values: {},
    });

    async function getCampaign(id: string): Promise<UpgradeCampaign> {
      const res = await api()
        .get(`/api/provisionhub/blueprints/node-backend/upgrades/${id}`)
        .set('Authorization', linus);
      expect(res.status).toBe(200);
      return res.body;
    }

    it('upgrades every component on a version under policy, skips the busy one, and a merged branch becomes the component', async () => {
      await provision({
        kind: 'system',
        name: 'payments',
        owner: 'group:default/payments-team',
        blueprint: 'system',
        values: {},
      });
      for (const name of ['cards-api', 'ledger-api', 'refunds-api']) {
        await provision(component(name));
      }

      // refunds-api already has an upgrade waiting for approval: the campaign must skip it.
      const busy = await api()
        .post('/api/provisionhub/components/refunds-api/upgrade')
        .set('Authorization', guest)
        .send({ version: '1.1.0' });
      expect(busy.status).toBe(202);

      const start = (who: string, body: object) =>
        api()
          .post('/api/provisionhub/blueprints/node-backend/upgrades')
          .set('Authorization', who)
          .send(body);

      const notAdmin = await start(linus, { from: '1.0.0', to: '1.1.0' });
      expect(notAdmin.status).toBe(403);
      expect(notAdmin.body.error.message).toContain('provisionhub.admin');
      expect((await start(ada, { from: '1.1.0', to: '1.0.0' })).status).toBe(
        400,
      );
      const nobody = await start(ada, { from: '0.9.0', to: '1.1.0' });
      expect(nobody.status).toBe(400);
      expect(nobody.body.error.message).toContain(
        'no component runs node-backend@0.9.0 (field /from)',
      );
      expect((await start(ada, { from: '1.0.0', to: '9.9.9' })).status).toBe(
        404,
      );

      const started = await start(ada, { from: '1.0.0', to: '1.1.0' });
      expect(started.status).toBe(202);
      const campaign = started.body as UpgradeCampaign;
      expect(campaign).toMatchObject({
        blueprint: 'node-backend',
        from: '1.0.0',
        to: '1.1.0',
        createdBy: 'user:default/ada',
        counts: { awaiting_approval: 2, skipped: 1 },
        done: false,
      });
      expect(campaign.runs.map(r => [r.component, r.state])).toEqual([
        ['cards-api', 'awaiting_approval'],
        ['ledger-api', 'awaiting_approval'],
        ['refunds-api', 'skipped'],
      ]);
      expect(campaign.runs[2].skippedReason).toContain(
        'another run of component:default/refunds-api is not finished yet',
      );

      // Each run is an ordinary upgrade run: the policy held it, a platform-team member approves.
      for (const run of campaign.runs.slice(0, 2)) {
        const approved = await api()
          .post(`/api/provisionhub/runs/${run.runId}/approve`)
          .set('Authorization', guest)
          .send({});
        expect(approved.status).toBe(200);
      }
      const done = await waitUntil(
        async () => {
          const now = await getCampaign(campaign.id);
          return now.done ? now : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 500, what: 'the campaign to end' },
      );
      expect(done.counts).toEqual({ succeeded: 2, skipped: 1 });
      expect(done.runs[0].outputs).toMatchObject({
        branch: 'provisionhub/upgrade-1.1.0',
        defaultBranch: 'main',
      });
      const other = await api()
        .get(`/api/provisionhub/blueprints/system/upgrades/${campaign.id}`)
        .set('Authorization', guest);
      expect(other.status).toBe(404);

      // A developer merges cards-api's upgrade branch; ledger-api's stays open.
      const bare = remote('payments/cards-api');
      const work = path.join(dir(), 'cards-work');
      await git(dir(), 'clone', '--quiet', bare, work);
      await git(
        work,
        '-c',
        'user.name=Dev',
        '-c',
        'user.email=dev@example.com',
        'merge',
        '--quiet',
        '--no-ff',
        '-m',
        'Merge the upgrade',
        'origin/provisionhub/upgrade-1.1.0',
      );
      await git(work, 'push', '--quiet', 'origin', 'main');

      const cardsRun = campaign.runs[0].runId!;
      const followed = await waitUntil(
        async () => {
          const res = await api()
            .get('/api/provisionhub/components/cards-api')
            .set('Authorization', guest);
          return res.body.blueprint.version === '1.1.0' ? res.body : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: 'cards-api to follow' },
      );
      expect(followed).toMatchObject({
        runId: cardsRun,
        upgrade: { available: true, latest: '1.2.0' },
      });
      const ledger = await api()
        .get('/api/provisionhub/components/ledger-api')
        .set('Authorization', guest);
      expect(ledger.body.blueprint.version).toBe('1.0.0');

      const entities = await api()
        .get('/api/provisionhub/catalog/entities')
        .set('Authorization', mockCredentials.service.header());
      const cards = entities.body.items.find(
        (e: any) => e.metadata.name === 'cards-api',
      );
      expect(cards.metadata.annotations).toMatchObject({
        [ANNOTATION_BLUEPRINT]: 'node-backend@1.1.0',
        [ANNOTATION_RUN_ID]: cardsRun,
      });

      // The next upgrade starts from what the component now is.
      const values = await api()
        .post('/api/provisionhub/components/cards-api/upgrade')
        .set('Authorization', guest)
        .send({ version: '1.1.0', values: { logLevel: 'debug' } });
      expect(values.status).toBe(202);
      expect(values.body.upgrade).toMatchObject({
        from: { version: '1.1.0' },
        changedValues: [{ key: 'logLevel', from: 'info', to: 'debug' }],
      });
    });
  },
);
