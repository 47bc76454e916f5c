import { startClientFor } from './__testUtils__/client';
import fs from 'node:fs/promises';
import path from 'node:path';
import amqplib from 'amqplib';
import {
  HEADER_DEAD_LETTER_REASON,
  ProvisionHubBroker,
} from '@provisionhub/plugin-provisionhub-node';
import {
  cloneAndList,
  createBlockingRepository,
  createTempDir,
  exists,
  git,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import {
  SAMPLE_BLUEPRINT,
  createJob,
  expectedSampleFiles,
  writeBlueprint,
} from './__testUtils__/blueprints';
import { readTestConfig, testAppConfig } from './__testUtils__/config';
import { EventCollector, eventTypes } from './__testUtils__/events';
import { createCapturingLogger } from './__testUtils__/logger';
import { RunningWorker, startWorker } from './startWorker';

jest.setTimeout(60000);

const CORE_STEPS = ['fetch-blueprint', 'render', 'create-repository', 'push'];

function stepEvents(
  steps: string[],
  status: 'succeeded' | 'skipped' = 'succeeded',
) {
  return steps.flatMap(s => [
    `step.started:${s}`,
    `step.finished:${s}:${status}`,
  ]);
}

describe('Worker on the real RabbitMQ and real git', () => {
  const testBroker = useTestBroker();
  // Nested, so that its afterAll closes the connections before the vhost is removed.
  describe('with a running worker and no worker modules (the built-in git provider and gitops step)', () => {
    let temp: { dir: string; remove(): Promise<void> };
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let running: RunningWorker;
    let remotes: string;
    let blueprint: { location: string; digest: string };
    const logger = createCapturingLogger();

    beforeAll(async () => {
      temp = await createTempDir('provisionhub-worker-test-');
      remotes = path.join(temp.dir, 'remotes');
      blueprint = await writeBlueprint(
        path.join(temp.dir, 'blueprint'),
        SAMPLE_BLUEPRINT,
      );
      const { config, rootConfig } = readTestConfig(
        testAppConfig({
          amqpUrl: testBroker.url,
          prefix: testBroker.prefix,
          remoteBase: remotes,
          workspaceDir: path.join(temp.dir, 'workspaces'),
        }),
      );
      ({ client, events } = await startClientFor(
        config,
        logger,
        'test-client',
      ));
      running = await startWorker({
        config,
        rootConfig,
        logger,
        workerId: 'test-worker',
      });
    });

    afterAll(async () => {
      await running?.stop();
      await events?.close();
      await client?.close();
      await temp?.remove();
    });

    it('renders a multi-file blueprint into a repository that git clone shows exactly', async () => {
      const job = createJob(blueprint);
      await client.publishJob(job);
      const succeeded = await events.waitFor(job.runId, 'run.succeeded');

      const expected = expectedSampleFiles('payments-api', 'payments');
      const outputs = (succeeded.event as { outputs: Record<string, any> })
        .outputs;
      expect(outputs).toMatchObject({
        repoUrl: `file://${remotes}/payments/payments-api.git`,
        defaultBranch: 'main',
        entityRef: 'component:default/payments-api',
        entity: { kind: 'Component', metadata: { name: 'payments-api' } },
      });

      const clone = await cloneAndList(
        outputs.repoUrl,
        path.join(temp.dir, 'clone-1'),
      );
      expect(clone.files).toEqual(Object.keys(expected).sort());
      for (const [file, content] of Object.entries(expected)) {
        const actual = await fs.readFile(path.join(clone.dir, file));
        expect([
          file,
          file.endsWith('.png') ? actual.toString('base64') : actual.toString(),
        ]).toEqual([file, content]);
      }
      expect(
        await git(clone.dir, 'ls-files', '-s', 'scripts/start.sh'),
      ).toMatch(/^100755 /);
      expect(await git(clone.dir, 'ls-files', '-s', 'README.md')).toMatch(
        /^100644 /,
      );
      expect(await git(clone.dir, 'rev-list', '--count', 'HEAD')).toBe('1');
      expect(
        await git(clone.dir, 'log', '-1', '--format=%aI %cI %an <%ae>'),
      ).toBe(
        '2026-11-27T10:00:00+00:00 2026-11-27T10:00:00+00:00 ProvisionHub <provisionhub@example.com>',
      );
      expect(
        await git(
          clone.dir,
          'log',
          '-1',
          '--format=%(trailers:key=ProvisionHub-Run,valueonly)',
        ),
      ).toBe(job.runId);
      expect(
        (
          await fs.readFile(
            path.join(remotes, 'payments/payments-api.git/description'),
            'utf8',
          )
        ).trim(),
      ).toBe(`The payments-api component [provisionhub run ${job.runId}]`);

      const all = events.forRun(job.runId);
      expect(eventTypes(all)).toEqual([
        'run.started',
        ...stepEvents(CORE_STEPS),
        ...stepEvents(['report']),
        'run.succeeded',
      ]);
      expect(all.map(e => e.seq)).toEqual(all.map((_, i) => i + 1));
      expect(all.every(e => e.attempt === 1 && e.delivery === 0)).toBe(true);
      const logLines = all.flatMap(e =>
        e.event.type === 'log' ? e.event.lines : [],
      );
      expect(logLines.map(l => l.step)).toEqual(
        expect.arrayContaining(['render', 'push']),
      );
      expect(logLines.find(l => l.step === 'render')?.message).toMatch(
        /^Rendered 10 files \(1 binary\)/,
      );
    });

    it('runs a gitops step, and a second delivery of the same job skips every side effect', async () => {
      const job = createJob({
        ...blueprint,
        name: 'ledger',
        steps: [
          {
            id: 'deploy',
            type: 'gitops',
            title: 'Register in GitOps',
            input: {
              repository: 'platform/gitops',
              path: 'apps/${{ system }}/${{ name }}',
            },
          },
        ],
      });
      await client.publishJob(job);
      await events.waitFor(job.runId, 'run.succeeded');
      expect(eventTypes(events.forRun(job.runId))).toEqual([
        'run.started',
        ...stepEvents([...CORE_STEPS, 'deploy', 'report']),
        'run.succeeded',
      ]);

      const gitops = await cloneAndList(
        path.join(remotes, 'platform/gitops.git'),
        path.join(temp.dir, 'gitops-1'),
      );
      expect(gitops.files).toEqual([
        'apps/payments/ledger/deployment.yaml',
        'apps/payments/ledger/service.yaml',
      ]);
      expect(
        await fs.readFile(
          path.join(gitops.dir, 'apps/payments/ledger/service.yaml'),
          'utf8',
        ),
      ).toBe('kind: Service\nmetadata:\n  name: ledger\nport: 8080\n');

      // The broker may deliver a job twice (e.g. its worker died before acknowledging it).
      const before = events.forRun(job.runId).length;
      await client.publishJob(job);
      await events.waitFor(
        job.runId,
        'run.succeeded',
        e => e.seq > 0 && events.forRun(job.runId).indexOf(e) >= before,
      );
      const second = events.forRun(job.runId).slice(before);
      expect(second[0].seq).toBe(1);
      expect(eventTypes(second)).toEqual([
        'run.started',
        ...stepEvents(['fetch-blueprint', 'render']),
        ...stepEvents(['create-repository', 'push', 'deploy'], 'skipped'),
        ...stepEvents(['report']),
        'run.succeeded',
      ]);
      const repo = path.join(remotes, 'payments/ledger.git');
      expect(await git(repo, 'rev-list', '--count', '--all')).toBe('1');
      expect(
        await git(
          path.join(remotes, 'platform/gitops.git'),
          'rev-list',
          '--count',
          '--all',
        ),
      ).toBe('1');
      expect(
        (await fs.readdir(path.join(remotes, 'payments'))).filter(f =>
          f.startsWith('ledger'),
        ),
      ).toEqual(['ledger.git']);
    });

    it('dead-letters malformed messages with their reason and keeps consuming', async () => {
      const connection = await amqplib.connect(testBroker.url);
      const channel = await connection.createChannel();
      const reasons: string[] = [];
      await channel.consume(client.names.deadLetterQueue, msg => {
        if (msg) {
          reasons.push(
            String(msg.properties.headers?.[HEADER_DEAD_LETTER_REASON]),
          );
          channel.ack(msg);
        }
      });
      try {
        channel.publish(
          client.names.exchange,
          'job',
          Buffer.from('{not json'),
          { persistent: true },
        );
        const invalid = { ...createJob(blueprint), attempt: 0 };
        channel.publish(
          client.names.exchange,
          'job',
          Buffer.from(JSON.stringify(invalid)),
          {
            persistent: true,
          },
        );
        await waitUntil(() => reasons.length >= 2 && reasons, {
          what: 'two dead letters',
        });
        expect(reasons[0]).toMatch(/^body is not JSON/);
        expect(reasons[1]).toMatch(/^invalid job message: .*attempt/);

        const job = createJob({ ...blueprint, name: 'after-garbage' });
        await client.publishJob(job);
        await events.waitFor(job.runId, 'run.succeeded');
      } finally {
        await connection.close();
      }
    });

    it('fails at once, naming file, line and variable, when a template uses an undefined value', async () => {
      const broken = await writeBlueprint(path.join(temp.dir, 'broken'), {
        ...SAMPLE_BLUEPRINT,
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.prot }}\n',
      });
      const job = createJob({ ...broken, name: 'broken' });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect(failed.event).toEqual({
        type: 'run.failed',
        step: 'render',
        error: expect.stringMatching(
          /^catalog-info\.yaml line 4: 'values\.prot' is not defined/,
        ),
        retryable: false,
        deadLettered: false,
      });
      expect(eventTypes(events.forRun(job.runId))).toEqual([
        'run.started',
        ...stepEvents(['fetch-blueprint']),
        'step.started:render',
        'step.failed:render',
        'run.failed',
      ]);
      expect(await exists(path.join(remotes, 'payments/broken.git'))).toBe(
        false,
      );
    });

    it('refuses blueprint files whose digest differs from the pinned one', async () => {
      const job = createJob({
        ...blueprint,
        digest: `sha256:${'0'.repeat(64)}`,
        name: 'pinned',
      });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect(failed.event).toMatchObject({
        step: 'fetch-blueprint',
        retryable: false,
        error: expect.stringContaining(
          `the run pinned sha256:${'0'.repeat(64)}`,
        ),
      });
    });

    it('refuses a repository path that belongs to something else', async () => {
      const taken = path.join(remotes, 'payments/taken.git');
      await fs.mkdir(taken, { recursive: true });
      await git(taken, 'init', '--bare', '--quiet');
      await fs.writeFile(path.join(taken, 'description'), 'Somebody else\n');
      const job = createJob({ ...blueprint, name: 'taken' });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect(failed.event).toMatchObject({
        step: 'create-repository',
        retryable: false,
        error: expect.stringContaining(
          "repository path 'payments/taken' is taken",
        ),
      });
      expect(await git(taken, 'rev-list', '--count', '--all')).toBe('0');
    });

    it('stops a cancelled run inside the step that honours the signal and reports it', async () => {
      const gitopsRepo = path.join(remotes, 'platform/slow-gitops.git');
      const hook = await createBlockingRepository(
        gitopsRepo,
        path.join(temp.dir, 'cancel-markers'),
        {
          then: 'reject',
        },
      );
      const job = createJob({
        ...blueprint,
        name: 'cancelled',
        steps: [
          {
            id: 'deploy',
            type: 'gitops',
            input: { repository: 'platform/slow-gitops' },
          },
        ],
      });
      try {
        await client.publishJob(job);
        await waitUntil(() => exists(hook.entered), {
          what: 'the gitops push to start',
        });
        await client.publishCancel(job.runId);
        const cancelled = await events.waitFor(job.runId, 'run.cancelled');
        expect(cancelled.event).toEqual({
          type: 'run.cancelled',
          step: 'deploy',
        });
        expect(eventTypes(events.forRun(job.runId)).slice(-2)).toEqual([
          'step.started:deploy',
          'run.cancelled',
        ]);
      } finally {
        await hook.release();
      }
    });

    it('rebuilds a gitops commit that lost a race against another run on the new head', async () => {
      const gitopsRepo = path.join(remotes, 'platform/race-gitops.git');
      const hook = await createBlockingRepository(
        gitopsRepo,
        path.join(temp.dir, 'race-markers'),
        { then: 'accept' },
      );
      const step = (name: string) => ({
        ...blueprint,
        name,
        steps: [
          {
            id: 'deploy',
            type: 'gitops',
            input: { repository: 'platform/race-gitops' },
          },
        ],
      });
      const slow = createJob(step('race-slow'));
      const fast = createJob(step('race-fast'));
      try {
        await client.publishJob(slow);
        await waitUntil(() => exists(hook.entered), {
          what: 'the first gitops push to start',
        });
        await client.publishJob(fast);
        await events.waitFor(fast.runId, 'run.succeeded');
      } finally {
        await hook.release();
      }
      await events.waitFor(slow.runId, 'run.succeeded');

      const logs = events
        .forRun(slow.runId)
        .flatMap(e => (e.event.type === 'log' ? e.event.lines : []))
        .map(l => l.message);
      expect(logs).toContainEqual(
        expect.stringMatching(/moved on while pushing; rebuilding/),
      );
      expect(await git(gitopsRepo, 'rev-list', '--count', 'main')).toBe('2');
      expect(
        (await git(gitopsRepo, 'ls-tree', '-r', '--name-only', 'main')).split(
          '\n',
        ),
      ).toEqual([
        'payments/race-fast/deployment.yaml',
        'payments/race-fast/service.yaml',
        'payments/race-slow/deployment.yaml',
        'payments/race-slow/service.yaml',
      ]);
    });

    it('serves /livez, /readyz (and its alias /healthz) and Prometheus /metrics', async () => {
      const live = await fetch(`http://127.0.0.1:${running.port}/livez`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({
        status: 'ok',
        detail: expect.stringMatching(/^alive for \d+ s$/),
      });
      const ready = {
        status: 'ok',
        detail: `connected to RabbitMQ, consuming ${testBroker.prefix}.jobs`,
      };
      for (const endpoint of ['/readyz', '/healthz']) {
        const answer = await fetch(
          `http://127.0.0.1:${running.port}${endpoint}`,
        );
        expect(answer.status).toBe(200);
        expect(await answer.json()).toEqual(ready);
      }
      const unknown = await fetch(`http://127.0.0.1:${running.port}/health`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toBe(
        'not found; try /livez, /readyz, /healthz, /metrics\n',
      );
      const metrics = await (
        await fetch(`http://127.0.0.1:${running.port}/metrics`)
      ).text();
      expect(metrics).toMatch(
        /^provisionhub_worker_jobs_total\{outcome="succeeded"\} [1-9]/m,
      );
      expect(metrics).toMatch(
        /^provisionhub_worker_jobs_total\{outcome="failed"\} [1-9]/m,
      );
      expect(metrics).toMatch(
        /^provisionhub_worker_step_duration_seconds_count\{step="render",status="succeeded"\} [1-9]/m,
      );
      expect(metrics).toMatch(
        /^provisionhub_worker_job_duration_seconds_bucket/m,
      );
      expect(metrics).toMatch(/^provisionhub_worker_jobs_in_flight 0$/m);
    });
  });
});
