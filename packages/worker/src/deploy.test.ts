import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type {
  DeployEnvironment,
  JobMessage,
  RunEventMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  createBlockingRepository,
  createTempDir,
  exists,
  git,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import { parse } from 'yaml';
import {
  SAMPLE_BLUEPRINT,
  createJob,
  writeBlueprint,
} from './__testUtils__/blueprints';
import { testAppConfig } from './__testUtils__/config';
import { TestWorker, startTestWorker } from './__testUtils__/testWorker';

jest.setTimeout(90_000);

const run = promisify(execFile);

const ENVIRONMENTS: DeployEnvironment[] = [
  'development',
  'staging',
  'production',
].map(name => ({
  name,
  namespace: `payments-${name}`,
  server: 'https://kubernetes.default.svc',
  argocdProject: 'payments',
  automatic: name === 'development',
}));

const overlay = (replicas: number) =>
  [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    '# rendered for ${{ name }}',
    'namespace: placeholder',
    'resources:',
    '  - ../../base',
    'replicas:',
    '  - name: ${{ name }}',
    `    count: ${replicas}`,
    '',
  ].join('\n');

/** A component blueprint with a kustomize base and one overlay per environment. */
const DEPLOYING_BLUEPRINT = {
  'catalog-info.yaml': SAMPLE_BLUEPRINT['catalog-info.yaml'],
  'deploy/base/kustomization.yaml': [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - deployment.yaml',
    'images:',
    '  - name: ${{ name }}',
    '    newName: registry.example.com/${{ system }}/${{ name }}',
    '    newTag: latest',
    '',
  ].join('\n'),
  'deploy/base/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: ${{ name }}',
    'spec:',
    '  selector:',
    '    matchLabels: { app: "${{ name }}" }',
    '  template:',
    '    metadata:',
    '      labels: { app: "${{ name }}" }',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: ${{ name }}',
    '',
  ].join('\n'),
  'deploy/overlays/development/kustomization.yaml': overlay(1),
  'deploy/overlays/staging/kustomization.yaml': overlay(2),
  'deploy/overlays/production/kustomization.yaml': overlay(3),
};

const SYSTEM_BLUEPRINT = {
  'catalog-info.yaml': [
    'apiVersion: backstage.io/v1alpha1',
    'kind: System',
    'metadata:',
    '  name: ${{ name }}',
    'spec:',
    '  owner: ${{ owner }}',
    '',
  ].join('\n'),
  ...Object.fromEntries(
    ENVIRONMENTS.map(e => [
      `environments/${e.name}/namespace.yaml`,
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \${{ name }}-${e.name}\n`,
    ]),
  ),
};

const DEPLOY_STEP = {
  id: 'deploy',
  type: 'deploy',
  input: { image: 'registry.example.com/${{ system }}/${{ name }}' },
};

function deployment(
  repository: string,
  promote?: { from: string; to: string; version: string },
): NonNullable<JobMessage['deploy']> {
  return {
    repository,
    branch: 'main',
    argocdNamespace: 'argocd',
    path: '',
    environments: ENVIRONMENTS,
    ...(promote ? { promote } : {}),
  };
}

function componentJob(
  blueprint: { location: string; digest: string },
  name: string,
  repository: string,
  promote?: { from: string; to: string; version: string },
): JobMessage {
  const job = createJob({ ...blueprint, name, steps: [DEPLOY_STEP] });
  return {
    ...job,
    deploy: { ...deployment(repository, promote), path: `payments/${name}` },
  };
}

function outputsOf(event: RunEventMessage) {
  return (event.event as { outputs: Record<string, any> }).outputs;
}

async function show(repo: string, ref: string, file: string) {
  return git(repo, 'show', `${ref}:${file}`);
}

describe('the deploy step on real git and RabbitMQ', () => {
  const testBroker = useTestBroker();
  let temp: { dir: string; remove(): Promise<void> };
  let worker: TestWorker;
  let remotes: string;
  let component: { location: string; digest: string };
  let system: { location: string; digest: string };

  beforeAll(async () => {
    temp = await createTempDir('provisionhub-deploy-test-');
    remotes = path.join(temp.dir, 'remotes');
    component = await writeBlueprint(
      path.join(temp.dir, 'component'),
      DEPLOYING_BLUEPRINT,
    );
    system = await writeBlueprint(
      path.join(temp.dir, 'system'),
      SYSTEM_BLUEPRINT,
    );
    worker = await startTestWorker(
      testAppConfig({
        amqpUrl: testBroker.url,
        prefix: testBroker.prefix,
        remoteBase: remotes,
        workspaceDir: path.join(temp.dir, 'workspaces'),
      }),
      'deploy-worker',
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await temp?.remove();
  });

  it('commits the base, the automatic environment and one Argo CD Application per environment; a redelivery writes nothing', async () => {
    const gitops = path.join(remotes, 'platform/gitops.git');
    const job = componentJob(component, 'ledger', 'platform/gitops');
    await worker.client.publishJob(job);
    const outputs = outputsOf(await worker.events.waitForEnd(job));
    const commit = await git(
      path.join(remotes, 'payments/ledger.git'),
      'rev-parse',
      'main',
    );
    const head = await git(gitops, 'rev-parse', 'main');
    expect(outputs.deployments).toEqual([
      {
        environment: 'development',
        version: commit.slice(0, 8),
        path: 'payments/ledger/overlays/development',
        commit: head,
        state: 'committed',
      },
    ]);
    expect(
      (await git(gitops, 'ls-tree', '-r', '--name-only', 'main')).split('\n'),
    ).toEqual([
      'payments/ledger/argocd/development.yaml',
      'payments/ledger/argocd/production.yaml',
      'payments/ledger/argocd/staging.yaml',
      'payments/ledger/base/deployment.yaml',
      'payments/ledger/base/kustomization.yaml',
      'payments/ledger/overlays/development/kustomization.yaml',
    ]);
    expect(
      await git(
        gitops,
        'log',
        '-1',
        '--format=%s%n%(trailers:key=ProvisionHub-Run,valueonly)',
      ),
    ).toBe(`Deploy component:default/ledger (development)\n${job.runId}`);

    const overlayText = await show(
      gitops,
      'main',
      'payments/ledger/overlays/development/kustomization.yaml',
    );
    expect(overlayText).toContain('# rendered for ledger');
    expect(parse(overlayText)).toMatchObject({
      namespace: 'payments-development',
      images: [
        {
          name: 'registry.example.com/payments/ledger',
          newTag: commit.slice(0, 8),
        },
      ],
    });
    const development = parse(
      await show(gitops, 'main', 'payments/ledger/argocd/development.yaml'),
    );
    expect(development).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'ledger-development',
        namespace: 'argocd',
        labels: {
          'app.kubernetes.io/part-of': 'payments',
          'provisionhub.io/component': 'ledger',
          'provisionhub.io/environment': 'development',
        },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'payments',
        source: {
          repoURL: gitops,
          targetRevision: 'main',
          path: 'payments/ledger/overlays/development',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'payments-development',
        },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    const production = parse(
      await show(gitops, 'main', 'payments/ledger/argocd/production.yaml'),
    );
    expect(production.spec.syncPolicy).toEqual({});

    // kustomize builds the overlay as Argo CD would, with the run's image tag.
    const checkout = path.join(temp.dir, 'gitops-checkout');
    await git(temp.dir, 'clone', '--quiet', gitops, checkout);
    const { stdout } = await run('kubectl', [
      'kustomize',
      path.join(checkout, 'payments/ledger/overlays/development'),
    ]);
    expect(parse(stdout)).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'ledger', namespace: 'payments-development' },
      spec: {
        replicas: 1,
        template: {
          spec: {
            containers: [
              {
                image: `registry.example.com/payments/ledger:${commit.slice(
                  0,
                  8,
                )}`,
              },
            ],
          },
        },
      },
    });

    // The same job again (a redelivery after a crash): every side effect is skipped.
    await worker.client.publishJob({ ...job, attempt: 2 });
    await waitUntil(
      () =>
        worker.events
          .forRun(job.runId)
          .filter(e => e.event.type === 'run.succeeded').length === 2,
      { what: 'the second delivery to succeed' },
    );
    const deploySteps = worker.events
      .forRun(job.runId)
      .filter(e => e.event.type === 'step.finished')
      .map(e => e.event as { step: string; status: string })
      .filter(e => e.step === 'deploy');
    expect(deploySteps.map(s => s.status)).toEqual(['succeeded', 'skipped']);
    expect(await git(gitops, 'rev-parse', 'main')).toBe(head);
  });

  it('promotes to a reviewed environment on a branch of its own that changes only that overlay', async () => {
    const gitops = path.join(remotes, 'platform/promote-gitops.git');
    const created = componentJob(
      component,
      'billing',
      'platform/promote-gitops',
    );
    await worker.client.publishJob(created);
    await worker.events.waitForEnd(created);
    const main = await git(gitops, 'rev-parse', 'main');

    const promote = componentJob(
      component,
      'billing',
      'platform/promote-gitops',
      {
        from: 'development',
        to: 'staging',
        version: '1a2b3c4d',
      },
    );
    await worker.client.publishJob(promote);
    const outputs = outputsOf(await worker.events.waitForEnd(promote));
    const branch = `provisionhub/promote-billing-staging-${promote.runId.slice(
      0,
      8,
    )}`;
    expect(outputs).toMatchObject({
      repoUrl: `file://${gitops}`,
      defaultBranch: 'main',
      entityRef: 'component:default/billing',
      deployments: [
        {
          environment: 'staging',
          version: '1a2b3c4d',
          path: 'payments/billing/overlays/staging',
          state: 'proposed',
          branch,
          commit: await git(gitops, 'rev-parse', branch),
        },
      ],
    });
    expect(await git(gitops, 'rev-parse', 'main')).toBe(main);
    expect(
      (await git(gitops, 'diff', '--name-only', `main..${branch}`)).split('\n'),
    ).toEqual(['payments/billing/overlays/staging/kustomization.yaml']);
    expect(
      parse(
        await show(
          gitops,
          branch,
          'payments/billing/overlays/staging/kustomization.yaml',
        ),
      ),
    ).toMatchObject({
      namespace: 'payments-staging',
      images: [
        { name: 'registry.example.com/payments/billing', newTag: '1a2b3c4d' },
      ],
    });
    const steps = worker.events
      .forRun(promote.runId)
      .filter(e => e.event.type === 'step.finished')
      .map(e => (e.event as { step: string }).step);
    expect(steps).toEqual(['fetch-blueprint', 'render', 'deploy', 'report']);

    // To an automatic environment, a promotion is a commit on main.
    const back = componentJob(component, 'billing', 'platform/promote-gitops', {
      from: 'staging',
      to: 'development',
      version: '9f8e7d6c',
    });
    await worker.client.publishJob(back);
    const direct = outputsOf(await worker.events.waitForEnd(back));
    expect(direct.deployments).toEqual([
      expect.objectContaining({
        environment: 'development',
        state: 'committed',
      }),
    ]);
    expect(await git(gitops, 'rev-parse', 'main^')).toBe(main);
    expect(
      (await git(gitops, 'diff', '--name-only', 'main^..main')).split('\n'),
    ).toEqual(['payments/billing/overlays/development/kustomization.yaml']);
  });

  it('adds the base and the Applications with a first promotion of a component its first run did not deploy', async () => {
    // E.g. a component upgraded to a blueprint version with a deploy step.
    const gitops = path.join(remotes, 'platform/upgraded-gitops.git');
    const promote = componentJob(
      component,
      'upgraded',
      'platform/upgraded-gitops',
      { from: 'staging', to: 'development', version: '0a0b0c0d' },
    );
    await worker.client.publishJob(promote);
    const outputs = outputsOf(await worker.events.waitForEnd(promote));
    expect(outputs.deployments).toEqual([
      expect.objectContaining({
        environment: 'development',
        state: 'committed',
      }),
    ]);
    expect(
      (await git(gitops, 'ls-tree', '-r', '--name-only', 'main')).split('\n'),
    ).toEqual([
      'payments/upgraded/argocd/development.yaml',
      'payments/upgraded/argocd/production.yaml',
      'payments/upgraded/argocd/staging.yaml',
      'payments/upgraded/base/deployment.yaml',
      'payments/upgraded/base/kustomization.yaml',
      'payments/upgraded/overlays/development/kustomization.yaml',
    ]);
  });

  it('keeps both commits when two runs push to the GitOps repository at the same moment', async () => {
    const gitops = path.join(remotes, 'platform/race-gitops.git');
    const hook = await createBlockingRepository(
      gitops,
      path.join(temp.dir, 'race-markers'),
      { then: 'accept' },
    );
    const slow = componentJob(component, 'slow', 'platform/race-gitops');
    const fast = componentJob(component, 'fast', 'platform/race-gitops');
    try {
      await worker.client.publishJob(slow);
      await waitUntil(() => exists(hook.entered), {
        what: 'the first GitOps push to start',
      });
      await worker.client.publishJob(fast);
      await worker.events.waitFor(fast.runId, 'run.succeeded');
    } finally {
      await hook.release();
    }
    await worker.events.waitFor(slow.runId, 'run.succeeded');
    expect(await git(gitops, 'rev-list', '--count', 'main')).toBe('2');
    const files = (await git(gitops, 'ls-tree', '-r', '--name-only', 'main'))
      .split('\n')
      .filter(f => f.endsWith('overlays/development/kustomization.yaml'));
    expect(files).toEqual([
      'payments/fast/overlays/development/kustomization.yaml',
      'payments/slow/overlays/development/kustomization.yaml',
    ]);
  });

  it('writes a system: its AppProject, every environment and their Applications', async () => {
    const gitops = path.join(remotes, 'platform/system-gitops.git');
    const job: JobMessage = {
      ...createJob({
        ...system,
        name: 'orders',
        steps: [{ id: 'deploy', type: 'deploy' }],
      }),
      run: {
        kind: 'system',
        name: 'orders',
        owner: 'group:default/payments',
        entityRef: 'system:default/orders',
        values: {},
      },
      repository: { path: 'orders/orders', description: 'The orders system' },
      deploy: {
        ...deployment('platform/system-gitops'),
        path: 'orders/_system',
        environments: ENVIRONMENTS.map(e => ({
          ...e,
          namespace: `orders-${e.name}`,
          argocdProject: 'orders',
        })),
      },
    };
    await worker.client.publishJob(job);
    const outputs = outputsOf(await worker.events.waitForEnd(job));
    expect(
      outputs.deployments.map((d: { environment: string }) => d.environment),
    ).toEqual(['development', 'staging', 'production']);
    expect(
      (await git(gitops, 'ls-tree', '-r', '--name-only', 'main')).split('\n'),
    ).toEqual([
      'orders/_system/appproject.yaml',
      'orders/_system/argocd/development.yaml',
      'orders/_system/argocd/production.yaml',
      'orders/_system/argocd/staging.yaml',
      'orders/_system/overlays/development/namespace.yaml',
      'orders/_system/overlays/production/namespace.yaml',
      'orders/_system/overlays/staging/namespace.yaml',
    ]);
    expect(
      parse(await show(gitops, 'main', 'orders/_system/appproject.yaml')),
    ).toMatchObject({
      kind: 'AppProject',
      metadata: { name: 'orders', namespace: 'argocd' },
      spec: {
        sourceRepos: [gitops],
        destinations: ENVIRONMENTS.map(e => ({
          server: e.server,
          namespace: `orders-${e.name}`,
        })),
      },
    });
    expect(
      parse(await show(gitops, 'main', 'orders/_system/argocd/staging.yaml'))
        .metadata.name,
    ).toBe('orders-system-staging');
  });

  it('fails a run whose blueprint lacks an environment overlay, naming the folder', async () => {
    const {
      'deploy/overlays/development/kustomization.yaml': _development,
      ...withoutDevelopment
    } = DEPLOYING_BLUEPRINT;
    const partial = await writeBlueprint(
      path.join(temp.dir, 'partial'),
      withoutDevelopment,
    );
    const job = componentJob(partial, 'partial', 'platform/gitops');
    await worker.client.publishJob(job);
    const failed = await worker.events.waitForEnd(job);
    expect(failed.event).toMatchObject({
      type: 'run.failed',
      step: 'deploy',
      retryable: false,
      error: expect.stringContaining(
        "renders nothing under 'deploy/overlays/development/'",
      ),
    });
  });
});
