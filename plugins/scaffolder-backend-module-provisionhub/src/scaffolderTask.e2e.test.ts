import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import type { JsonObject } from '@backstage/types';
// The end-to-end test hosts the control plane next to the scaffolder, as a portal does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisionhubPlugin from '@provisionhub/plugin-provisionhub-backend';
import {
  CORE_STEPS,
  Run,
  RunLogsPage,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import {
  CAPACITY_REVIEW_RULE,
  WorkerProcess,
  cloneAndList,
  createTempDir,
  createTestBroker,
  shippedBlueprintTrust,
  shippedCatalogEntities,
  shippedTemplates,
  silentSignalsAndNotifications,
  startLocalWorker,
  waitUntil,
} from '@provisionhub/test-utils';
import path from 'node:path';
import request from 'supertest';
import { scaffolderModuleProvisionHub } from './module';

jest.setTimeout(240_000);

const APP_BASE_URL = 'http://portal.example.com';
const ESC = String.fromCharCode(27);
// The portal of this test mounts the run page elsewhere (provisionhub.routes.run).
const RUN_URL = new RegExp(
  `^${APP_BASE_URL}/self-service/runs/([0-9a-f-]{36})$`,
);

interface TaskEvent {
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message: string;
    stepId?: string;
    status?: string;
    output?: JsonObject;
  };
}

/** The task log prefixes action log lines with their level, coloured: `\u001b[32minfo\u001b[39m: `. */
const LEVEL_PREFIX = new RegExp(
  `^(${ESC}\\[\\d+m)?(error|warn|info|debug)(${ESC}\\[\\d+m)?: `,
);

function withoutLevel(message: string): string {
  return message.replace(LEVEL_PREFIX, '');
}

/**
 * One backend with the scaffolder, this module and the ProvisionHub control plane, on a RabbitMQ
 * vhost of its own, with a real provisionhub-worker process pushing to local bare repositories.
 * The catalog is an in-memory stand-in holding what the dev portal's catalog holds: the shipped
 * templates, blueprints (with their file locations) and demo organisation.
 */
describe('ProvisionHub templates run through the scaffolder, the control plane and a worker', () => {
  let broker: Awaited<ReturnType<typeof createTestBroker>>;
  let temp: Awaited<ReturnType<typeof createTempDir>>;
  let worker: WorkerProcess | undefined;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;

  const api = () => request(backend!.server);
  const asUser = mockCredentials.user.header();

  beforeAll(async () => {
    broker = await createTestBroker();
    temp = await createTempDir('provisionhub-scaffolder-e2e-');
    const shared = {
      amqp: { url: broker.url, prefix: broker.prefix },
      runs: { maxAttempts: 2, backoff: { initialMs: 500, maxMs: 1000 } },
    };
    [worker, backend] = await Promise.all([
      startLocalWorker(temp.dir, shared),
      startTestBackend({
        features: [
          scaffolderPlugin,
          scaffolderModuleProvisionHub,
          provisionhubPlugin,
          catalogServiceMock.factory({
            entities: [...shippedCatalogEntities(), ...shippedTemplates()],
          }),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: APP_BASE_URL },
              provisionhub: {
                ...shared,
                routes: { run: '/self-service/runs/:id' },
                policy: { rules: [CAPACITY_REVIEW_RULE] },
                blueprints: shippedBlueprintTrust(),
              },
            },
          }),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          ...silentSignalsAndNotifications(),
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

  /** Starts a task from a registered template, as the portal's form does, and waits for its end. */
  async function runTemplate(template: string, values: JsonObject) {
    const created = await api()
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', asUser)
      .send({ templateRef: `template:default/${template}`, values });
    expect(created.status).toBe(201);
    const taskId = created.body.id as string;
    const status = await waitUntil(
      async () => {
        const task = await api()
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('Authorization', asUser);
        return ['completed', 'failed', 'cancelled'].includes(task.body.status)
          ? (task.body.status as string)
          : undefined;
      },
      {
        timeoutMs: 180_000,
        intervalMs: 500,
        what: `task ${taskId} of ${template} to end`,
      },
    );
    const events = (
      await api()
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', asUser)
    ).body as TaskEvent[];
    const log = events
      .filter(e => e.type === 'log')
      .map(e => withoutLevel(e.body.message));
    const output = events.find(e => e.type === 'completion')?.body.output ?? {};
    return {
      status,
      log,
      output,
      describe: () =>
        `task ${taskId} ended ${status}; its log:\n${log.join('\n')}`,
    };
  }

  async function provisionhub<T>(pathname: string): Promise<T> {
    const response = await api()
      .get(`/api/provisionhub${pathname}`)
      .set('Authorization', asUser);
    expect(response.status).toBe(200);
    return response.body as T;
  }

  /** Checks that a task created what its links say, and streamed the worker's steps and logs. */
  async function expectProvisioned(
    task: Awaited<ReturnType<typeof runTemplate>>,
    expected: { entityRef: string; files: string[] },
  ) {
    expect({ status: task.status, log: task.log }).toMatchObject({
      status: 'completed',
    });
    const links = task.output.links as Array<{
      title: string;
      url?: string;
      entityRef?: string;
    }>;
    expect(links).toHaveLength(3);
    const [repository, runLink, entity] = links;

    const runId = runLink.url!.match(RUN_URL)?.[1];
    expect(runId).toBeDefined();
    const run = await provisionhub<Run>(`/runs/${runId}`);
    expect(run).toMatchObject({
      status: 'succeeded',
      requestedBy: 'user:default/mock',
      entityRef: expected.entityRef,
      outputs: { repoUrl: repository.url, entityRef: expected.entityRef },
    });
    expect(entity.entityRef).toBe(expected.entityRef);

    // The repository exists and clones, with the rendered blueprint in it.
    const clone = await cloneAndList(
      repository.url!,
      path.join(temp.dir, 'clones', runId!),
    );
    expect(clone.files).toEqual(expect.arrayContaining(expected.files));

    // The worker's step results and every log line of the run are in the task log, in order.
    // (A step that starts and ends between two polls shows only its end.)
    const stepEnds = CORE_STEPS.map(step =>
      task.log.findIndex(line =>
        line.startsWith(`Step "${step.title}" (${step.id}) succeeded`),
      ),
    );
    expect(stepEnds.filter(p => p < 0)).toEqual([]);
    expect(stepEnds).toEqual([...stepEnds].sort((a, b) => a - b));
    const runLog = await provisionhub<RunLogsPage>(
      `/runs/${runId}/logs?limit=1000`,
    );
    expect(runLog.items.length).toBeGreaterThan(0);
    const workerLines = runLog.items.map(l =>
      l.step ? `[${l.step}] ${l.message}` : l.message,
    );
    const positions = workerLines.map(line => task.log.indexOf(line));
    expect(positions.filter(p => p < 0)).toEqual([]);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // Each step's lines sit between its start (when a poll saw it) and its end.
    const misplaced = runLog.items
      .filter(l => l.step)
      .filter(l => {
        const step = CORE_STEPS.findIndex(s => s.id === l.step);
        const line = task.log.indexOf(`[${l.step}] ${l.message}`);
        return step >= 0 && line > stepEnds[step];
      });
    expect(misplaced).toEqual([]);
    expect(task.log).toContain(`Run ${runId} succeeded`);
    return { run, repoUrl: repository.url! };
  }

  it('creates a system from provisionhub-create-system', async () => {
    const task = await runTemplate('provisionhub-create-system', {
      name: 'payments',
      owner: 'group:default/payments-team',
      blueprint: 'system',
      values: {
        description: 'Everything that moves money',
        productionCpu: 4,
        productionMemoryGi: 8,
        ingressNamespace: 'ingress-nginx',
      },
    });

    const { run } = await expectProvisioned(task, {
      entityRef: 'system:default/payments',
      files: ['catalog-info.yaml'],
    });
    expect(run).toMatchObject({
      kind: 'system',
      blueprint: { name: 'system', version: '1.1.0' },
    });
  });

  it('creates a component of it from provisionhub-create-component, as the form submits it', async () => {
    const task = await runTemplate('provisionhub-create-component', {
      name: 'payments-api',
      owner: 'group:default/payments-team',
      system: 'system:default/payments',
      blueprint: 'node-backend',
      values: {
        description: 'Takes payments',
        port: 8080,
        replicas: 2,
        healthPath: '/healthz',
        imageRegistry: 'registry.example.com',
        cpu: '100m',
        memory: '128Mi',
      },
    });

    const { run } = await expectProvisioned(task, {
      entityRef: 'component:default/payments-api',
      files: ['catalog-info.yaml', 'package.json'],
    });
    expect(run).toMatchObject({
      system: 'payments',
      owner: 'group:default/payments-team',
      blueprint: { name: 'node-backend', version: '1.2.0' },
    });
  });

  it('fails the task with the field and the rule before anything is published', async () => {
    const task = await runTemplate('provisionhub-create-component', {
      name: 'payments-ledger',
      owner: 'group:default/payments-team',
      system: 'system:default/payments',
      blueprint: 'node-backend',
      version: '1.0.0',
      // logLevel came with node-backend 1.1.0.
      values: { description: 'Books payments', logLevel: 'debug' },
    });

    expect(task.status).toBe('failed');
    expect(task.log.join('\n')).toContain(
      'Invalid component request: /values/logLevel is not a known field (blueprint node-backend@1.0.0)',
    );
    // A published request becomes a run even when the control plane rejects it: there is none.
    const runs = await provisionhub<{ items: Run[] }>('/runs?system=payments');
    expect(runs.items.map(r => r.name)).not.toContain('payments-ledger');
  });

  it('fails the task with the rule and its reason when policy denies the request', async () => {
    const task = await runTemplate('provisionhub-create-component', {
      name: 'payments-batch',
      owner: 'group:default/payments-team',
      system: 'system:default/payments',
      blueprint: 'node-backend',
      values: { description: 'Settles payments', replicas: 12 },
    });

    expect(task.status).toBe('failed');
    expect(task.log.join('\n')).toMatch(
      /Run [0-9a-f-]{36} was rejected: policy denies this request: denied because rule capacity-review: more than 10 replicas need a capacity review with the platform team/,
    );
    const [run] = (
      await provisionhub<{ items: Run[] }>('/runs?status=rejected')
    ).items.filter(r => r.name === 'payments-batch');
    expect(run).toMatchObject({
      requestedBy: 'user:default/mock',
      policy: {
        decision: 'deny',
        rules: [expect.objectContaining({ id: 'capacity-review' })],
      },
    });
  });

  it('lists the files a blueprint would create in a dry run, and publishes nothing', async () => {
    const [template] = shippedTemplates().filter(
      t => t.metadata.name === 'provisionhub-create-component',
    );
    const response = await api()
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', asUser)
      .send({
        template,
        values: {
          name: 'payments-ui',
          owner: 'group:default/payments-team',
          system: 'system:default/payments',
          blueprint: 'react-frontend',
          values: { title: 'Payments' },
        },
        secrets: {},
        directoryContents: [],
      });

    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 200,
    });
    const log = (response.body.log as Array<{ body: { message: string } }>).map(
      l => withoutLevel(l.body.message),
    );
    expect(log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Dry run: blueprint react-frontend@1\.1\.0 \(sha256:[0-9a-f]{64}\) would create repository payments\/payments-ui with \d+ file\(s\); nothing was published$/,
        ),
        expect.stringMatching(/^ {2}catalog-info\.yaml \(\d+ bytes\)$/),
      ]),
    );
    const runs = await provisionhub<{ items: Run[] }>('/runs?system=payments');
    expect(runs.items.every(r => isTerminalRunStatus(r.status))).toBe(true);
    expect(log).toContain('Policy: allowed: no policy rule matched');
    expect(runs.items.map(r => r.name)).not.toContain('payments-ui');
  });
});
