import {
  ComponentEnvironment,
  PROMOTE_STEPS,
  Run,
} from '@provisionhub/plugin-provisionhub-common';
import { FakeArgoCd, createTestDatabases, git } from '@provisionhub/test-utils';
import { parse } from 'yaml';
import {
  ada,
  guest,
  linus,
  usePortalWithWorker,
} from '../__testUtils__/portalWithWorker';

jest.setTimeout(240_000);

const databases = createTestDatabases();

/** Promotions into production wait for the platform team. */
const PRODUCTION_REVIEW_RULE = {
  id: 'production-promotions',
  description: 'Production promotions are reviewed by the platform team',
  when: { kind: 'promote', environment: 'production' },
  effect: 'require-approval',
  approval: { groups: ['group:default/platform-team'] },
};

const ENVIRONMENTS = [
  { name: 'development', automatic: true },
  { name: 'staging', title: 'Staging' },
  { name: 'production', title: 'Production' },
];

/**
 * Environments and GitOps end to end: the control plane (on each database engine, RabbitMQ in a
 * vhost of its own) with `provisionhub.gitops`, and a real provisionhub-worker process writing
 * the shipped blueprints' deployments to a local bare GitOps repository.
 */
describe.each(databases.eachSupportedId())(
  'environments and promotion on %s',
  databaseId => {
    // Argo CD answers on a port known once it started, before the portal starts.
    let argocd: FakeArgoCd;
    const argocdConfig: { baseUrl?: string; token?: string } = {};
    beforeAll(async () => {
      argocd = await FakeArgoCd.start({ token: 'argocd-token' });
      Object.assign(argocdConfig, {
        baseUrl: argocd.url,
        token: 'argocd-token',
      });
    });
    afterAll(async () => {
      await argocd?.close();
    });
    const { api, waitForEnd, provision, remote } = usePortalWithWorker(
      databases,
      databaseId,
      {
        rules: [PRODUCTION_REVIEW_RULE],
        config: {
          environments: ENVIRONMENTS,
          gitops: { repository: 'platform/gitops' },
          argocd: argocdConfig,
        },
      },
    );
    const gitops = () => remote('platform/gitops');
    const files = async (ref = 'main') =>
      (await git(gitops(), 'ls-tree', '-r', '--name-only', ref)).split('\n');

    const component = (name: string) => ({
      kind: 'component',
      name,
      owner: 'group:default/payments-team',
      system: 'payments',
      blueprint: 'node-backend',
      values: {},
    });
    const promote = (name: string, body: object, as = guest) =>
      api()
        .post(`/api/provisionhub/components/${name}/promote`)
        .set('Authorization', as)
        .send(body);
    const environmentsOf = async (
      name: string,
    ): Promise<ComponentEnvironment[]> => {
      const res = await api()
        .get(`/api/provisionhub/components/${name}`)
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      return res.body.environments;
    };

    beforeAll(async () => {
      await provision({
        kind: 'system',
        name: 'payments',
        owner: 'group:default/payments-team',
        blueprint: 'system',
        values: {},
      });
    });

    it('writes the system AppProject and namespaces, and a component with an Application per environment and its development overlay', async () => {
      expect(await files()).toEqual(
        expect.arrayContaining([
          'payments/_system/appproject.yaml',
          'payments/_system/argocd/development.yaml',
          'payments/_system/overlays/production/namespace.yaml',
        ]),
      );
      const run = await provision(component('ledger'));
      const commit = await git(remote('payments/ledger'), 'rev-parse', 'main');
      expect(run.outputs?.deployments).toEqual([
        {
          environment: 'development',
          version: commit.slice(0, 8),
          path: 'payments/ledger/overlays/development',
          commit: await git(gitops(), 'rev-parse', 'main'),
          state: 'committed',
        },
      ]);
      const ledger = (await files()).filter(f =>
        f.startsWith('payments/ledger/'),
      );
      expect(ledger.filter(f => f.includes('/argocd/'))).toEqual([
        'payments/ledger/argocd/development.yaml',
        'payments/ledger/argocd/production.yaml',
        'payments/ledger/argocd/staging.yaml',
      ]);
      expect(
        ledger.filter(f => f.includes('/overlays/')).map(f => f.split('/')[3]),
      ).toEqual(expect.arrayContaining(['development']));
      expect(ledger.some(f => /overlays\/(staging|production)\//.test(f))).toBe(
        false,
      );
      expect(
        await git(
          gitops(),
          'log',
          '-1',
          '--format=%(trailers:key=ProvisionHub-Run,valueonly)',
        ),
      ).toBe(run.id);

      argocd.setApplication('ledger-development', {
        sync: 'Synced',
        health: 'Progressing',
        revision: run.outputs!.deployments![0].commit,
      });
      expect(await environmentsOf('ledger')).toEqual([
        {
          name: 'development',
          title: 'development',
          version: commit.slice(0, 8),
          gitopsPath: 'payments/ledger/overlays/development',
          status: 'committed',
          runId: run.id,
          updatedAt: expect.any(String),
          argocd: {
            application: 'ledger-development',
            sync: 'Synced',
            health: 'Progressing',
            revision: run.outputs!.deployments![0].commit,
          },
        },
        {
          name: 'staging',
          title: 'Staging',
          gitopsPath: 'payments/ledger/overlays/staging',
          status: 'not-deployed',
        },
        {
          name: 'production',
          title: 'Production',
          gitopsPath: 'payments/ledger/overlays/production',
          status: 'not-deployed',
        },
      ]);
    });

    it('promotes development to staging on a branch that changes only the staging overlay, and production only after an approval', async () => {
      const [development] = await environmentsOf('ledger');
      const mainBefore = await git(gitops(), 'rev-parse', 'main');

      const accepted = await promote('ledger', {
        from: 'development',
        to: 'staging',
      });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({
        kind: 'promote',
        environment: 'staging',
        entityRef: 'component:default/ledger',
        promotion: {
          from: 'development',
          to: 'staging',
          version: development.version,
        },
        status: 'queued',
      });
      const staged: Run = await waitForEnd(accepted.body.id);
      expect(staged.status).toBe('succeeded');
      expect(staged.steps?.map(s => s.id)).toEqual(
        PROMOTE_STEPS.map(s => s.id),
      );
      const branch = staged.outputs!.branch!;
      expect(branch).toMatch(/^provisionhub\/promote-ledger-staging-/);
      expect(await git(gitops(), 'rev-parse', 'main')).toBe(mainBefore);
      const changed = (
        await git(gitops(), 'diff', '--name-only', `main..${branch}`)
      ).split('\n');
      expect(changed).toContain(
        'payments/ledger/overlays/staging/kustomization.yaml',
      );
      expect(
        changed.filter(f => !f.startsWith('payments/ledger/overlays/staging/')),
      ).toEqual([]);
      const overlay = parse(
        await git(
          gitops(),
          'show',
          `${branch}:payments/ledger/overlays/staging/kustomization.yaml`,
        ),
      );
      expect(overlay.namespace).toBe('payments-staging');
      expect(overlay.images).toContainEqual(
        expect.objectContaining({ newTag: development.version }),
      );
      expect((await environmentsOf('ledger'))[1]).toMatchObject({
        name: 'staging',
        status: 'proposed',
        version: development.version,
        branch,
        runId: staged.id,
        // Argo CD has no such application yet: said on the row, the page still answers.
        argocd: {
          application: 'ledger-staging',
          error: expect.stringContaining('ledger-staging'),
        },
      });
      expect(
        argocd.requests.every(r => r.authorized && r.route.startsWith('GET ')),
      ).toBe(true);

      // Production waits for the platform team; the requester cannot approve it.
      const held = await promote('ledger', {
        from: 'staging',
        to: 'production',
        version: development.version,
      });
      expect(held.status).toBe(202);
      expect(held.body.status).toBe('awaiting_approval');
      const self = await api()
        .post(`/api/provisionhub/runs/${held.body.id}/approve`)
        .set('Authorization', guest)
        .send({});
      expect(self.status).toBe(403);
      const approved = await api()
        .post(`/api/provisionhub/runs/${held.body.id}/approve`)
        .set('Authorization', ada)
        .send({ comment: 'ship it' });
      expect(approved.status).toBe(200);
      expect((await waitForEnd(held.body.id)).status).toBe('succeeded');
      expect((await environmentsOf('ledger'))[2]).toMatchObject({
        name: 'production',
        status: 'proposed',
        version: development.version,
      });
    });

    it('refuses promotions that cannot be made, saying why', async () => {
      const cases: Array<[object, number, RegExp, string?]> = [
        [
          { from: 'development', to: 'qa' },
          400,
          /\/to must name an environment of provisionhub.environments: development, staging, production/,
        ],
        [
          { from: 'staging', to: 'staging' },
          400,
          /\/to must differ from \/from/,
        ],
        [
          { from: 'development', to: 'staging', version: '../x' },
          400,
          /\/version must be an image tag/,
        ],
        [
          { from: 'development', to: 'staging', extra: 1 },
          400,
          /\/extra is not a field of a promotion/,
        ],
        [
          { from: 'production', to: 'staging' },
          409,
          /has no version in production yet/,
        ],
        [
          { from: 'development', to: 'staging' },
          404,
          /component 'nope' was not provisioned/,
          'nope',
        ],
      ];
      for (const [body, status, message, name] of cases) {
        const res = await promote(name ?? 'ledger', body);
        expect([res.status, res.body.error?.message]).toEqual([
          status,
          expect.stringMatching(message),
        ]);
      }
      // A component of a blueprint version without a deploy step does not deploy through GitOps.
      await provision({ ...component('ledger-legacy'), version: '1.0.0' });
      const legacy = await promote('ledger-legacy', {
        from: 'development',
        to: 'staging',
        version: 'abc',
      });
      expect([legacy.status, legacy.body.error.message]).toEqual([
        409,
        expect.stringMatching(
          /runs blueprint node-backend@1.0.0, which has no 'deploy' step.*Upgrade it/,
        ),
      ]);

      const forbidden = await promote(
        'ledger',
        { from: 'development', to: 'staging' },
        linus,
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.message).toMatch(
        /policy denies this promotion: .*you are not a member of group:default\/payments-team/,
      );
    });

    it('keeps every commit when components of one system are created at the same time', async () => {
      const names = ['ledger-a', 'ledger-b', 'ledger-c'];
      const runs = await Promise.all(names.map(n => provision(component(n))));
      expect(runs.map(r => r.status)).toEqual(names.map(() => 'succeeded'));
      const all = await files();
      for (const name of names) {
        expect(all).toContain(
          `payments/${name}/overlays/development/kustomization.yaml`,
        );
        expect(all).toContain(`payments/${name}/argocd/production.yaml`);
      }
    });
  },
);
