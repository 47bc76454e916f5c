import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import provisionhubPlugin from '@provisionhub/plugin-provisionhub-backend';
import type { Entity } from '@backstage/catalog-model';
import type { Run } from '@provisionhub/plugin-provisionhub-common';
import {
  CAPACITY_REVIEW_RULE,
  WorkerProcess,
  cloneAndList,
  createBlockingRepository,
  createTempDir,
  createTestBroker,
  exists,
  git,
  shippedBlueprintTrust,
  shippedCatalogEntities,
  silentSignalsAndNotifications,
  startLocalWorker,
  waitUntil,
} from '@provisionhub/test-utils';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

jest.setTimeout(240_000);

const CLI = path.resolve(__dirname, '../bin/provisionhub');
const CI_TOKEN = 'ci-token-0123456789abcdef';
const APPROVER_TOKEN = 'release-manager-token-0123456789';
const READER_TOKEN = 'dashboard-token-0123456789';
const NO_ADMIN_TOKEN = 'team-pipeline-token-0123456789';
const ESC = String.fromCharCode(27);

/**
 * The shipped catalog, plus the React frontend blueprint with a GitOps step: pushes to the GitOps
 * repository go through git's hooks, so the test can hold the worker inside that step.
 */
function catalogEntities(): Entity[] {
  const shipped = shippedCatalogEntities();
  const frontend = shipped.find(
    e => e.metadata.name === 'react-frontend-v1.0.0',
  )!;
  return [
    ...shipped,
    {
      ...frontend,
      metadata: {
        ...frontend.metadata,
        name: 'frontend-with-gitops-v1.0.0',
        labels: { 'provisionhub.io/blueprint': 'frontend-with-gitops' },
      },
      spec: {
        ...frontend.spec,
        steps: [
          {
            id: 'deploy',
            title: 'Deploy through GitOps',
            type: 'gitops',
            input: { repository: 'platform/gitops' },
          },
        ],
      },
    },
  ];
}

/** The external access block of this package's README, with the CI token filled in. */
async function externalAccessFromReadme(): Promise<object[]> {
  const readme = await fs.readFile(
    path.resolve(__dirname, '../README.md'),
    'utf8',
  );
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map(m => m[1])
    .find(text => text.includes('externalAccess:'));
  if (!block) {
    throw new Error('README.md has no yaml block with externalAccess');
  }
  const config = parseYaml(
    block.replace('${PROVISIONHUB_CI_TOKEN}', CI_TOKEN),
  ) as { backend: { auth: { externalAccess: object[] } } };
  return config.backend.auth.externalAccess;
}

/** A command line of words without spaces, as a shell splits it. */
function argv(line: string): string[] {
  return line.split(/\s+/).filter(Boolean);
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `provisionhub` process, run as a CI job runs it: no terminal, no sign-in, a URL and maybe a token. */
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: CliResult = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', chunk => {
    result.stdout += chunk;
  });
  child.stderr.on('data', chunk => {
    result.stderr += chunk;
  });
  const exited = new Promise<CliResult>(resolve =>
    child.on('close', code => resolve({ ...result, code })),
  );
  return { child, output: () => result, exited };
}

/**
 * The CLI against a control plane with Backstage's real auth and permission services (so the
 * tokens are static external access tokens, as in CI), RabbitMQ and a real worker process.
 */
describe('the provisionhub CLI against a portal backend, RabbitMQ and a worker', () => {
  let broker: Awaited<ReturnType<typeof createTestBroker>>;
  let temp: Awaited<ReturnType<typeof createTempDir>>;
  let worker: WorkerProcess | undefined;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  let url: string;
  const outputs: string[] = [];

  beforeAll(async () => {
    broker = await createTestBroker();
    temp = await createTempDir('provisionhub-cli-e2e-');
    const shared = {
      amqp: { url: broker.url, prefix: broker.prefix },
      runs: { maxAttempts: 2, backoff: { initialMs: 500, maxMs: 1000 } },
    };
    const externalAccess = [
      ...(await externalAccessFromReadme()),
      {
        type: 'static',
        options: { token: APPROVER_TOKEN, subject: 'release-manager' },
        accessRestrictions: [
          {
            plugin: 'provisionhub',
            permission: [
              'provisionhub.run.read',
              'provisionhub.run.approve',
              'provisionhub.run.cancel',
              'provisionhub.run.retry',
            ],
          },
        ],
      },
      {
        // The CI token's permissions without provisionhub.admin.
        type: 'static',
        options: { token: NO_ADMIN_TOKEN, subject: 'team-pipeline' },
        accessRestrictions: [
          {
            plugin: 'provisionhub',
            permission: [
              'provisionhub.run.create',
              'provisionhub.run.read',
              'provisionhub.blueprint.read',
            ],
          },
        ],
      },
      {
        type: 'static',
        options: { token: READER_TOKEN, subject: 'dashboard' },
        accessRestrictions: [
          {
            plugin: 'provisionhub',
            permission: [
              'provisionhub.run.read',
              'provisionhub.blueprint.read',
            ],
          },
        ],
      },
    ];
    [worker, backend] = await Promise.all([
      startLocalWorker(temp.dir, shared),
      startTestBackend({
        features: [
          provisionhubPlugin,
          catalogServiceMock.factory({ entities: catalogEntities() }),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://portal.example.com' },
              backend: { auth: { externalAccess } },
              permission: { enabled: true },
              provisionhub: {
                ...shared,
                policy: {
                  rules: [
                    CAPACITY_REVIEW_RULE,
                    {
                      id: 'staging-release',
                      description: 'Staging needs the release manager',
                      when: { environment: 'staging' },
                      effect: 'require-approval',
                      reason: 'staging is shared by every team',
                    },
                  ],
                },
                blueprints: shippedBlueprintTrust(),
              },
            },
          }),
          // Backstage's own token checks and permission client: external access, as in production.
          authServiceFactory,
          httpAuthServiceFactory,
          permissionsServiceFactory,
          ...silentSignalsAndNotifications(),
        ],
      }),
    ]);
    url = `http://localhost:${(backend.server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await worker?.stop();
    await broker?.remove();
    await temp?.remove();
  }, 60_000);

  /** Runs the CLI to its end with the CI token (or another; '' for none). */
  async function provisionhub(
    args: string[],
    token: string = CI_TOKEN,
  ): Promise<CliResult> {
    const { exited } = startCli(args, cliEnv(token));
    const result = await exited;
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  function cliEnv(token: string): Record<string, string> {
    return {
      PROVISIONHUB_URL: url,
      PROVISIONHUB_TOKEN: token,
      // No Backstage CLI session of this machine's user may leak in.
      XDG_CONFIG_HOME: path.join(temp.dir, 'config'),
      XDG_DATA_HOME: path.join(temp.dir, 'data'),
    };
  }

  const describeResult = (r: CliResult) =>
    `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

  it('lists the blueprints in a table', async () => {
    const result = await provisionhub(['blueprints', 'list']);
    expect({ code: result.code, stdout: result.stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        /^NAME +TYPE +LATEST +VERSIONS +OWNER +TITLE\n/,
      ),
    });
    expect(result.stdout).toMatch(
      /\nnode-backend +backend +1\.2\.0 +1\.2\.0, 1\.1\.0, 1\.0\.0 +group:default\/platform-team +Node\.js backend service\n/,
    );

    const show = await provisionhub([
      'blueprints',
      'show',
      'node-backend@1.0.0',
    ]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(
      /^node-backend@1\.0\.0 {2}Node\.js backend service$/m,
    );
    expect(show.stdout).toMatch(
      /^port +integer +8080 +The port the service listens on/m,
    );
  });

  it('creates a system with --wait: exit 0, the steps as they end and the repository URL', async () => {
    const result = await provisionhub([
      'runs',
      'create',
      '--kind',
      'system',
      '--name',
      'payments',
      '--owner',
      'group:default/payments-team',
      '--blueprint',
      'system@1.0.0',
      '--set',
      'description=Everything that moves money',
      '--set',
      'productionCpu=4',
      '--wait',
      '--poll-interval',
      '200',
    ]);
    expect({ code: result.code, out: describeResult(result) }).toMatchObject({
      code: 0,
    });
    const runId = result.stdout.match(
      /^Requested run ([0-9a-f-]{36}): system payments from system@1\.0\.0, queued$/m,
    )?.[1];
    expect(runId).toBeDefined();
    for (const step of [
      'fetch-blueprint',
      'render',
      'create-repository',
      'push',
      'report',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`\\(${step}\\) succeeded`));
    }
    const repoUrl = result.stdout.match(/^Repository +(\S+)$/m)?.[1];
    expect(repoUrl).toBe(
      `file://${path.join(temp.dir, 'remotes', 'payments', 'payments.git')}`,
    );
    expect(result.stdout).toMatch(new RegExp(`  Run ${runId} succeeded$`, 'm'));
    expect(result.stdout).toMatch(/^Entity +system:default\/payments$/m);
    const clone = await cloneAndList(
      repoUrl!,
      path.join(temp.dir, 'clones', 'payments'),
    );
    expect(clone.files).toContain('catalog-info.yaml');
  });

  it('creates a component with --wait --json: one JSON document with status succeeded and outputs.repoUrl, progress on stderr', async () => {
    const result = await provisionhub(
      argv(
        'runs create --json --kind component --name payments-api --owner payments-team --system payments --blueprint node-backend --set port=8080 --set nodeVersion=20 --wait --poll-interval 200',
      ),
    );
    expect({ code: result.code, out: describeResult(result) }).toMatchObject({
      code: 0,
    });
    const run = JSON.parse(result.stdout) as Run;
    expect(run).toMatchObject({
      status: 'succeeded',
      kind: 'component',
      requestedBy: 'ci-provisioning',
      owner: 'group:default/payments-team',
      blueprint: { name: 'node-backend', version: '1.2.0' },
      // Typed by the blueprint's schema: port is an integer, nodeVersion a string.
      values: expect.objectContaining({ port: 8080, nodeVersion: '20' }),
      outputs: {
        repoUrl: `file://${path.join(
          temp.dir,
          'remotes',
          'payments',
          'payments-api.git',
        )}`,
        entityRef: 'component:default/payments-api',
      },
    });
    expect(result.stderr).toContain(`Run ${run.id} succeeded`);
    expect(result.stderr).toMatch(/Step "Commit and push" \(push\) succeeded/);
  });

  it('upgrades every component on a version with blueprints upgrade --wait; without provisionhub.admin it exits 1', async () => {
    const created = await provisionhub(
      argv(
        'runs create --kind component --name invoices-api --owner payments-team --system payments --blueprint node-backend@1.0.0 --wait --poll-interval 200',
      ),
    );
    expect({ code: created.code, out: describeResult(created) }).toMatchObject({
      code: 0,
    });
    const campaign = argv(
      'blueprints upgrade node-backend --from 1.0.0 --to 1.1.0 --wait --poll-interval 200',
    );
    const denied = await provisionhub(campaign, NO_ADMIN_TOKEN);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('provisionhub.admin');

    const result = await provisionhub(campaign);
    expect({ code: result.code, out: describeResult(result) }).toMatchObject({
      code: 0,
    });
    expect(result.stdout).toMatch(
      /^Started campaign [0-9a-f-]{36}: node-backend 1\.0\.0 → 1\.1\.0 \(1 queued\)$/m,
    );
    expect(result.stdout).toMatch(
      /^invoices-api +succeeded +[0-9a-f-]{36} +branch provisionhub\/upgrade-1\.1\.0$/m,
    );
    const bare = path.join(temp.dir, 'remotes', 'payments', 'invoices-api.git');
    expect(await git(bare, 'rev-parse', 'provisionhub/upgrade-1.1.0^')).toBe(
      await git(bare, 'rev-parse', 'main'),
    );
  });

  it('upgrades a component with components upgrade --wait: a branch over its default branch', async () => {
    const created = await provisionhub(
      argv(
        'runs create --kind component --name orders-api --owner payments-team --system payments --blueprint node-backend@1.0.0 --wait --poll-interval 200',
      ),
    );
    expect({ code: created.code, out: describeResult(created) }).toMatchObject({
      code: 0,
    });
    const result = await provisionhub(
      argv(
        'components upgrade orders-api --to 1.1.0 --set logLevel=debug --wait --poll-interval 200',
      ),
    );
    expect({ code: result.code, out: describeResult(result) }).toMatchObject({
      code: 0,
    });
    expect(result.stdout).toMatch(
      /^Requested run [0-9a-f-]{36}: upgrade of component orders-api \(system payments\) from node-backend@1\.0\.0 to 1\.1\.0, queued$/m,
    );
    expect(result.stdout).toMatch(/\(merge\) succeeded/);
    expect(result.stdout).toMatch(/^Branch +provisionhub\/upgrade-1\.1\.0$/m);
    const bare = path.join(temp.dir, 'remotes', 'payments', 'orders-api.git');
    expect(
      await git(bare, 'show', 'provisionhub/upgrade-1.1.0:src/config.ts'),
    ).toContain("return 'debug';");
    expect(await git(bare, 'rev-parse', 'provisionhub/upgrade-1.1.0^')).toBe(
      await git(bare, 'rev-parse', 'main'),
    );
  });

  it('decommissions a component with components decommission --reason --wait, and refuses it twice with exit 1', async () => {
    const created = await provisionhub(
      argv(
        'runs create --kind component --name retired-api --owner payments-team --system payments --blueprint node-backend@1.0.0 --wait --poll-interval 200',
      ),
    );
    expect({ code: created.code, out: describeResult(created) }).toMatchObject({
      code: 0,
    });
    const result = await provisionhub([
      'components',
      'decommission',
      'retired-api',
      '--reason',
      'Replaced by orders-api',
      '--wait',
      '--poll-interval',
      '200',
    ]);
    expect({ code: result.code, out: describeResult(result) }).toMatchObject({
      code: 0,
    });
    expect(result.stdout).toMatch(
      /^Requested run [0-9a-f-]{36}: decommission of component:default\/retired-api \(system payments\), node-backend@1\.0\.0, queued$/m,
    );
    expect(result.stdout).toMatch(/\(archive\) succeeded/);
    const bare = path.join(temp.dir, 'remotes', 'payments', 'retired-api.git');
    expect(await git(bare, 'show', 'main:DECOMMISSIONED.md')).toContain(
      '> Replaced by orders-api',
    );

    const again = await provisionhub(
      argv('components decommission retired-api'),
    );
    expect({ code: again.code, stderr: again.stderr }).toEqual({
      code: 1,
      stderr: expect.stringMatching(
        /^provisionhub: refused: component 'retired-api' was decommissioned already, by run [0-9a-f-]{36} at /,
      ),
    });
    const missing = await provisionhub(argv('components decommission nobody'));
    expect(missing.code).toBe(2);
  });

  it('exits 1 with the rule and its reason when policy denies the request; --json gives the error as JSON', async () => {
    const request = argv(
      '--kind component --name payments-batch --owner group:default/payments-team --system payments --blueprint node-backend --set replicas=12',
    );
    const reason =
      'denied because rule capacity-review: more than 10 replicas need a capacity review with the platform team';
    const human = await provisionhub(['runs', 'create', ...request, '--wait']);
    expect({
      code: human.code,
      stdout: human.stdout,
      stderr: human.stderr,
    }).toEqual({
      code: 1,
      stdout: '',
      stderr: `provisionhub: denied: policy denies this request: ${reason}\n`,
    });

    const json = await provisionhub(['runs', 'create', ...request, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        name: 'NotAllowedError',
        message: `denied: policy denies this request: ${reason}`,
        statusCode: 403,
        exitCode: 1,
      },
    });

    // The same answer before asking, without creating anything.
    const preview = await provisionhub(['policy', 'evaluate', ...request]);
    expect({ code: preview.code, stdout: preview.stdout }).toEqual({
      code: 1,
      stdout: expect.stringContaining(reason),
    });
    const dryRun = await provisionhub([
      'runs',
      'create',
      ...request,
      '--dry-run',
    ]);
    expect({ code: dryRun.code, stdout: dryRun.stdout }).toEqual({
      code: 1,
      stdout: expect.stringContaining(`Policy: ${reason}`),
    });
    expect(dryRun.stdout).toMatch(
      /would create repository payments\/payments-batch with \d+ file\(s\); nothing was created/,
    );
  });

  it('follows a run with runs logs --follow as it happens: approval, then each step while the worker is in it, then the end', async () => {
    const created = await provisionhub(
      argv(
        'runs create --json --kind component --name payments-ui --owner group:default/payments-team --system payments --blueprint frontend-with-gitops --environment staging',
      ),
    );
    expect({ code: created.code, out: describeResult(created) }).toMatchObject({
      code: 0,
    });
    const run = JSON.parse(created.stdout) as Run;
    expect(run.status).toBe('awaiting_approval');
    expect(created.stderr).toContain(
      'It waits for approval: it needs 1 approval because rule staging-release: staging is shared by every team',
    );

    // The GitOps repository: the first push into it waits until the test releases it.
    const hook = await createBlockingRepository(
      path.join(temp.dir, 'remotes', 'platform', 'gitops.git'),
      path.join(temp.dir, 'markers'),
      { then: 'accept' },
    );

    const follow = startCli(
      ['runs', 'logs', run.id, '--follow', '--poll-interval', '200'],
      cliEnv(CI_TOKEN),
    );
    const seen = (text: string) => follow.output().stdout.includes(text);
    await waitUntil(() => seen(`Run ${run.id} is waiting for an approval`), {
      timeoutMs: 30_000,
      what: 'the follower to show the wait for approval',
    });

    // The CI token may not approve (not even its own run); the release manager's token may.
    const own = await provisionhub(['runs', 'approve', run.id]);
    expect({ code: own.code, stderr: own.stderr }).toEqual({
      code: 1,
      stderr: `provisionhub: denied: you lack the permission provisionhub.run.approve for run ${run.id}\n`,
    });
    const approved = await provisionhub(
      ['runs', 'approve', run.id, '--comment', 'ship it'],
      APPROVER_TOKEN,
    );
    expect({
      code: approved.code,
      out: describeResult(approved),
    }).toMatchObject({ code: 0 });
    expect(approved.stdout).toContain(
      `Run ${run.id} is approved by you; it is now queued`,
    );

    // The worker is inside the GitOps step: the follower shows it running, and nothing after it.
    await waitUntil(() => exists(hook.entered), {
      timeoutMs: 60_000,
      what: 'the worker to push',
    }).catch(error => {
      throw new Error(
        `${error.message}; the follower printed:\n${follow.output().stdout}${
          follow.output().stderr
        }\nthe worker:\n${worker?.output()}`,
      );
    });
    await waitUntil(
      () => seen('Step "Deploy through GitOps" (deploy) started'),
      {
        timeoutMs: 30_000,
        what: 'the follower to show the GitOps step running',
      },
    );
    const during = follow.output().stdout;
    expect(during).toMatch(/Step "Commit and push" \(push\) succeeded/);
    expect(during).not.toMatch(/\(deploy\) succeeded/);
    expect(during).not.toContain(`Run ${run.id} succeeded`);

    // Ctrl-C stops following; the run goes on.
    const interrupted = startCli(
      ['runs', 'logs', run.id, '--follow', '--poll-interval', '200'],
      cliEnv(CI_TOKEN),
    );
    await waitUntil(
      () => interrupted.output().stdout.includes('(deploy) started'),
      { timeoutMs: 30_000, what: 'the second follower to catch up' },
    );
    interrupted.child.kill('SIGINT');
    expect(await interrupted.exited).toMatchObject({
      code: 130,
      stderr: `provisionhub: stopped following run ${run.id}; it keeps going: provisionhub runs logs ${run.id} --follow\n`,
    });

    await hook.release();
    const ended = await follow.exited;
    outputs.push(ended.stdout, ended.stderr);
    expect({ code: ended.code, out: describeResult(ended) }).toMatchObject({
      code: 0,
    });
    const lines = ended.stdout.split('\n');
    const at = (text: string) => lines.findIndex(line => line.includes(text));
    // Only what a poll is sure to see: a step or status that passes between two polls shows its end only.
    const order = [
      `Run ${run.id} is waiting for an approval`,
      'Step "Render files" (render) succeeded',
      'Step "Commit and push" (push) succeeded',
      'Step "Deploy through GitOps" (deploy) started',
      'Step "Deploy through GitOps" (deploy) succeeded',
      'Step "Report result" (report) succeeded',
      `Run ${run.id} succeeded`,
    ].map(at);
    expect(order.filter(i => i < 0)).toEqual([]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(ended.stdout).toMatch(/^Repository +file:\/\/\S+payments-ui\.git$/m);
  });

  it('answers --json for list and get with documents that parse', async () => {
    const list = await provisionhub([
      'runs',
      'list',
      '--json',
      '--system',
      'payments',
    ]);
    expect(list.code).toBe(0);
    const page = JSON.parse(list.stdout) as { items: Run[] };
    expect(page.items.map(r => r.name).sort()).toEqual(
      expect.arrayContaining(['payments-api', 'payments-ui']),
    );
    const [first] = page.items;
    const get = await provisionhub(['runs', 'get', first.id, '--json']);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({
      id: first.id,
      steps: expect.any(Array),
    });
    const logs = await provisionhub(['runs', 'logs', first.id, '--json']);
    expect(logs.code).toBe(0);
    const entries = logs.stdout
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(entries.map(e => e.phase)).toEqual(
      expect.arrayContaining(['runEnd', 'stepEnd', 'log']),
    );
    expect(entries[entries.length - 1]).toMatchObject({
      phase: 'runEnd',
      message: `Run ${first.id} succeeded`,
    });
  });

  it('rejects, cancels and retries runs; following a rejected run exits 1 with the reason', async () => {
    const request = (name: string) =>
      provisionhub(
        argv(
          `runs create --json --kind component --name ${name} --owner group:default/payments-team --system payments --blueprint react-frontend --environment staging`,
        ),
      ).then(r => JSON.parse(r.stdout) as Run);

    const rejected = await request('payments-admin');
    const reject = await provisionhub(
      ['runs', 'reject', rejected.id, '--reason', 'use the shared admin UI'],
      APPROVER_TOKEN,
    );
    expect({ code: reject.code, stdout: reject.stdout }).toEqual({
      code: 0,
      stdout: `Run ${rejected.id} is rejected; it is now rejected\n`,
    });
    const followed = await provisionhub([
      'runs',
      'logs',
      rejected.id,
      '--follow',
    ]);
    expect({ code: followed.code, stderr: followed.stderr }).toEqual({
      code: 1,
      stderr: expect.stringContaining(
        `Run ${rejected.id} was rejected: use the shared admin UI`,
      ),
    });

    const cancelled = await request('payments-docs');
    const cancel = await provisionhub(
      ['runs', 'cancel', cancelled.id],
      APPROVER_TOKEN,
    );
    expect({ code: cancel.code, stdout: cancel.stdout }).toEqual({
      code: 0,
      stdout: `Run ${cancelled.id} is cancelled; it is now cancelled\n`,
    });
    // A retry never skips approval: the run waits again.
    const retry = await provisionhub(
      ['runs', 'retry', cancelled.id],
      APPROVER_TOKEN,
    );
    expect({ code: retry.code, stdout: retry.stdout }).toEqual({
      code: 0,
      stdout: expect.stringContaining(
        `Run ${cancelled.id} is retried (attempt 2); it is now awaiting_approval\n`,
      ),
    });
  });

  it('exits 1 when a token lacks the permission, and 2 without a token, with a wrong one, or with no portal', async () => {
    const ledger = argv(
      'runs create --kind system --name ledger --owner payments-team --blueprint system',
    );
    const reader = await provisionhub(ledger, READER_TOKEN);
    expect({ code: reader.code, stderr: reader.stderr }).toEqual({
      code: 1,
      stderr:
        'provisionhub: denied: you lack the permission provisionhub.run.create\n',
    });

    // Without provisionhub.admin a token names no owner: a service belongs to no group.
    const noAdmin = await provisionhub(ledger, NO_ADMIN_TOKEN);
    expect({ code: noAdmin.code, stderr: noAdmin.stderr }).toEqual({
      code: 1,
      stderr: expect.stringContaining(
        'denied: policy denies this request: denied because rule provisionhub:owner-membership: you are not a member of group:default/payments-team',
      ),
    });

    const none = await provisionhub(['runs', 'list'], '');
    expect({ code: none.code, stderr: none.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining(
        `${url} needs a token and none was found`,
      ),
    });

    const wrong = await provisionhub(
      ['runs', 'list'],
      'not-a-valid-token-at-all',
    );
    expect({ code: wrong.code, stderr: wrong.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining(`${url} did not accept the credentials`),
    });

    const { exited } = startCli(['runs', 'list'], {
      ...cliEnv(CI_TOKEN),
      PROVISIONHUB_URL: 'http://127.0.0.1:1',
    });
    const unreachable = await exited;
    expect({ code: unreachable.code, stderr: unreachable.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(
        /^provisionhub: cannot reach http:\/\/127\.0\.0\.1:1: /,
      ),
    });

    const usage = await provisionhub(['runs', 'create', '--kind', 'service']);
    expect({ code: usage.code, stderr: usage.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining('Allowed choices are system, component'),
    });
  });

  it('never prints a token', () => {
    const all = outputs.join('\n');
    for (const token of [
      CI_TOKEN,
      APPROVER_TOKEN,
      READER_TOKEN,
      NO_ADMIN_TOKEN,
    ]) {
      expect(all).not.toContain(token);
    }
    // And no stack traces: every failure above was one line.
    expect(all).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(all).not.toContain(ESC);
  });
});
