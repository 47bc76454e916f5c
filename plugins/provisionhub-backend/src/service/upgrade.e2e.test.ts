import { UPGRADE_STEPS } from '@provisionhub/plugin-provisionhub-common';
import { createTestDatabases, git, waitUntil } from '@provisionhub/test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  UPGRADE_REVIEW_RULE,
  ada,
  guest,
  linus,
  usePortalWithWorker,
} from '../__testUtils__/portalWithWorker';

jest.setTimeout(240_000);

const databases = createTestDatabases();

/**
 * Day 2 end to end: the control plane (on each database engine, RabbitMQ in a vhost of its own)
 * and a real provisionhub-worker process pushing to local bare repositories, with the shipped
 * catalog: a component made from node-backend 1.0.0, a developer's commit, and an upgrade to
 * 1.1.0 through the policy, an approval and the worker.
 */
describe.each(databases.eachSupportedId())(
  'upgrading a component on %s',
  databaseId => {
    const { api, waitForEnd, provision, dir, remote } = usePortalWithWorker(
      databases,
      databaseId,
      { rules: [UPGRADE_REVIEW_RULE] },
    );

    it('proposes 1.1.0 on a branch over the developer commit, after policy and an approval, and leaves main alone', async () => {
      await provision({
        kind: 'system',
        name: 'payments',
        owner: 'group:default/payments-team',
        blueprint: 'system',
        values: {},
      });
      await provision({
        kind: 'component',
        name: 'orders-api',
        owner: 'group:default/payments-team',
        system: 'payments',
        blueprint: 'node-backend',
        version: '1.0.0',
        values: { port: 8081 },
      });

      // A developer adds a file and edits a generated one.
      const bare = remote('payments/orders-api');
      const work = path.join(dir(), 'work');
      await git(dir(), 'clone', '--quiet', bare, work);
      await fs.writeFile(path.join(work, 'CONTRIBUTING.md'), 'Be kind.\n');
      const dockerfile = path.join(work, 'Dockerfile');
      await fs.writeFile(
        dockerfile,
        `# Maintained by the payments team.\n${await fs.readFile(
          dockerfile,
          'utf8',
        )}`,
      );
      await git(work, 'add', '--all');
      await git(
        work,
        '-c',
        'user.name=Dev',
        '-c',
        'user.email=dev@example.com',
        'commit',
        '--quiet',
        '-m',
        'Contributing guide',
      );
      await git(work, 'push', '--quiet', 'origin', 'main');
      const developerHead = await git(work, 'rev-parse', 'HEAD');

      const component = await api()
        .get('/api/provisionhub/components/orders-api')
        .set('Authorization', guest);
      expect(component.body).toMatchObject({
        blueprint: { name: 'node-backend', version: '1.0.0' },
        upgrade: {
          available: true,
          latest: '1.2.0',
          changelog: [
            {
              version: '1.2.0',
              changes: expect.stringContaining('deploy'),
            },
            {
              version: '1.1.0',
              changes: expect.stringContaining('Prometheus metrics'),
            },
          ],
        },
      });

      const versions = await api()
        .get('/api/provisionhub/blueprints/node-backend')
        .set('Authorization', guest);
      expect(
        versions.body.versions.map(
          (v: { version: string; provisioned: number }) => [
            v.version,
            v.provisioned,
          ],
        ),
      ).toEqual([
        ['1.2.0', 0],
        ['1.1.0', 0],
        ['1.0.0', 1],
      ]);

      // This portal has no GitOps repository: nothing can be promoted.
      const promoted = await api()
        .post('/api/provisionhub/components/orders-api/promote')
        .set('Authorization', guest)
        .send({ from: 'development', to: 'staging' });
      expect([promoted.status, promoted.body.error.message]).toEqual([
        409,
        expect.stringContaining(
          'this portal deploys through no GitOps repository: configure provisionhub.gitops and provisionhub.environments',
        ),
      ]);

      // Someone outside payments-team may not upgrade it: the ownership rule of any request.
      const denied = await api()
        .post('/api/provisionhub/components/orders-api/upgrade')
        .set('Authorization', linus)
        .send({ version: '1.1.0' });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(
        /policy denies this upgrade: .*you are not a member of group:default\/payments-team/,
      );

      const requested = await api()
        .post('/api/provisionhub/components/orders-api/upgrade')
        .set('Authorization', guest)
        .send({ version: '1.1.0' });
      expect(requested.status).toBe(202);
      expect(requested.body).toMatchObject({
        kind: 'upgrade',
        name: 'orders-api',
        entityRef: 'component:default/orders-api',
        status: 'awaiting_approval',
        blueprint: { name: 'node-backend', version: '1.1.0' },
        values: expect.objectContaining({ port: 8081, logLevel: 'info' }),
        upgrade: {
          from: { name: 'node-backend', version: '1.0.0' },
          branch: 'provisionhub/upgrade-1.1.0',
          changedValues: [{ key: 'logLevel', to: 'info' }],
        },
      });
      const runId = requested.body.id as string;

      // One run at a time per component.
      const second = await api()
        .post('/api/provisionhub/components/orders-api/upgrade')
        .set('Authorization', guest)
        .send({ version: '1.1.0' });
      expect(second.status).toBe(409);

      const approved = await api()
        .post(`/api/provisionhub/runs/${runId}/approve`)
        .set('Authorization', ada)
        .send({ comment: 'go' });
      expect(approved.status).toBe(200);

      const run = await waitForEnd(runId);
      expect(run).toMatchObject({
        status: 'succeeded',
        upgrade: {
          from: { version: '1.0.0' },
          branch: 'provisionhub/upgrade-1.1.0',
        },
        outputs: {
          branch: 'provisionhub/upgrade-1.1.0',
          defaultBranch: 'main',
          entityRef: 'component:default/orders-api',
        },
      });
      expect(run.steps!.map(s => [s.id, s.status])).toEqual(
        UPGRADE_STEPS.map(s => [
          s.id,
          s.id === 'merge-request' ? 'skipped' : 'succeeded',
        ]),
      );

      expect(await git(bare, 'rev-parse', 'main')).toBe(developerHead);
      const branch = 'provisionhub/upgrade-1.1.0';
      expect(await git(bare, 'rev-parse', `${branch}^`)).toBe(developerHead);
      const files = (await git(bare, 'ls-tree', '-r', '--name-only', branch))
        .split('\n')
        .sort();
      expect(files).toEqual(
        expect.arrayContaining(['CONTRIBUTING.md', 'src/metrics.ts']),
      );
      expect(await git(bare, 'show', `${branch}:Dockerfile`)).toMatch(
        /^# Maintained by the payments team\.\n/,
      );
      expect(await git(bare, 'show', `${branch}:README.md`)).toContain(
        '`GET /metrics`',
      );

      // The component keeps its version until the merge request is merged.
      const after = await api()
        .get('/api/provisionhub/components/orders-api')
        .set('Authorization', guest);
      expect(after.body.blueprint.version).toBe('1.0.0');
    });

    it('fails clearly when the repository is gone, and retries the upgrade as any run', async () => {
      await provision({
        kind: 'component',
        name: 'ledger-api',
        owner: 'group:default/payments-team',
        system: 'payments',
        blueprint: 'node-backend',
        version: '1.0.0',
        values: {},
      });
      await fs.rm(remote('payments/ledger-api'), {
        recursive: true,
      });
      const requested = await api()
        .post('/api/provisionhub/components/ledger-api/upgrade')
        .set('Authorization', guest)
        .send({ version: '1.1.0' });
      expect(requested.status).toBe(202);
      const runId = requested.body.id as string;
      await api()
        .post(`/api/provisionhub/runs/${runId}/approve`)
        .set('Authorization', ada)
        .send({});
      const failed = await waitForEnd(runId);
      expect(failed).toMatchObject({
        status: 'failed',
        error: {
          step: 'merge',
          retryable: false,
          message: expect.stringContaining(
            'the repository of component:default/ledger-api (payments/ledger-api) does not exist any more',
          ),
        },
      });

      // Approved once, so the retry is queued at once; it meets the same missing repository.
      const retried = await api()
        .post(`/api/provisionhub/runs/${runId}/retry`)
        .set('Authorization', guest)
        .send({});
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ status: 'queued', attempt: 2 });
      await waitUntil(
        async () => {
          const res = await api()
            .get(`/api/provisionhub/runs/${runId}`)
            .set('Authorization', guest);
          return res.body.status === 'failed' && res.body.attempt === 2
            ? res.body
            : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 250, what: 'the retry to fail' },
      );
    });

    it('refuses unknown components and versions, invalid values and upgrades that change nothing', async () => {
      const post = (name: string, body: object) =>
        api()
          .post(`/api/provisionhub/components/${name}/upgrade`)
          .set('Authorization', guest)
          .send(body);
      const missing = await post('no-such-component', { version: '1.1.0' });
      expect(missing.status).toBe(404);
      const unknown = await post('orders-api', { version: '9.9.9' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain(
        "blueprint 'node-backend' has no version '9.9.9'",
      );
      const same = await post('orders-api', { version: '1.0.0' });
      expect(same.status).toBe(400);
      expect(same.body.error.message).toContain('nothing to change');
      const invalid = await post('orders-api', {
        version: '1.1.0',
        values: { logLevel: 'loud' },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toContain('/logLevel');
      const noVersion = await post('orders-api', {});
      expect(noVersion.status).toBe(400);
    });
  },
);
