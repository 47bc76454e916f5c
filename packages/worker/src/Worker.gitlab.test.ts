import { startClientFor } from './__testUtils__/client';
import path from 'node:path';
import amqplib from 'amqplib';
import {
  HEADER_DEAD_LETTER_REASON,
  ProvisionHubBroker,
} from '@provisionhub/plugin-provisionhub-node';
import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import {
  FakeGitLab,
  createTempDir,
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
import { readTestConfig } from './__testUtils__/config';
import { gitlabTestAppConfig } from './__testUtils__/testWorker';
import { EventCollector, eventTypes } from './__testUtils__/events';
import { createCapturingLogger } from './__testUtils__/logger';
import { RunningWorker, startWorker } from './startWorker';

jest.setTimeout(60000);

const TOKEN = 'glpat-worker-secret-9f8e7d6c5b4a';
const AMQP_PASSWORD = 's3cret-amqp-pw';

describe('Worker with @provisionhub/worker-module-gitlab chosen by config', () => {
  const testBroker = useTestBroker();

  describe('against the GitLab test server', () => {
    let temp: { dir: string; remove(): Promise<void> };
    let gitlab: FakeGitLab;
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let running: RunningWorker;
    let blueprint: { location: string; digest: string };
    let deadLetters: { reason: string; job: JobMessage }[];
    let amqp: amqplib.ChannelModel;
    const logger = createCapturingLogger();

    beforeAll(async () => {
      temp = await createTempDir('provisionhub-worker-gitlab-');
      gitlab = await FakeGitLab.start({
        token: TOKEN,
        root: path.join(temp.dir, 'gitlab'),
      });
      gitlab.addGroup('platform');
      blueprint = await writeBlueprint(
        path.join(temp.dir, 'blueprint'),
        SAMPLE_BLUEPRINT,
      );
      // A URL with a password the worker must never repeat; the broker itself uses guest.
      const data = gitlabTestAppConfig(gitlab, TOKEN, {
        amqpUrl: testBroker.url,
        prefix: testBroker.prefix,
        workspaceDir: path.join(temp.dir, 'workspaces'),
        retry: { maxAttempts: 3, initialMs: 100, maxMs: 200 },
      });
      const { config, rootConfig } = readTestConfig(data);
      config.secrets.push(AMQP_PASSWORD);
      ({ client, events } = await startClientFor(
        config,
        logger,
        'test-client',
      ));
      running = await startWorker({
        config,
        rootConfig,
        logger,
        workerId: 'gitlab-worker',
      });

      deadLetters = [];
      amqp = await amqplib.connect(testBroker.url);
      const channel = await amqp.createChannel();
      await channel.consume(client.names.deadLetterQueue, msg => {
        if (msg) {
          deadLetters.push({
            reason: String(msg.properties.headers?.[HEADER_DEAD_LETTER_REASON]),
            job: JSON.parse(msg.content.toString()),
          });
          channel.ack(msg);
        }
      });
    });

    afterAll(async () => {
      await amqp?.close();
      await running?.stop();
      await events?.close();
      await client?.close();
      await gitlab?.close();
      await temp?.remove();
    });

    it('creates the project, pushes the rendered files over HTTPS and reports its web URL', async () => {
      const job = createJob({ ...blueprint, name: 'orders' });
      await client.publishJob(job);
      const succeeded = await events.waitFor(job.runId, 'run.succeeded');
      expect(succeeded.event).toMatchObject({
        outputs: {
          repoUrl: `${gitlab.url}/platform/payments/orders`,
          defaultBranch: 'main',
          entityRef: 'component:default/orders',
        },
      });
      const project = gitlab.projects.get('platform/payments/orders')!;
      expect(project).toMatchObject({
        default_branch: 'main',
        topics: ['provisionhub', 'node-backend', 'component'],
        description: `The orders component [provisionhub run ${job.runId}]`,
      });
      const bare = gitlab.repositoryPath('platform/payments/orders');
      const files = (
        await git(bare, 'ls-tree', '-r', '--name-only', 'main')
      ).split('\n');
      expect(files.sort()).toEqual(
        Object.keys(expectedSampleFiles('orders', 'payments')).sort(),
      );
      expect(await git(bare, 'rev-list', '--count', 'main')).toBe('1');
      expect(logger.lines.join('\n')).toContain(
        "Loaded worker module @provisionhub/worker-module-gitlab (id 'gitlab')",
      );
    });

    it('retries a transient failure (503) with backoff and then succeeds', async () => {
      gitlab.failNext('POST /api/v4/projects', 503);
      const job = createJob({ ...blueprint, name: 'billing' });
      await client.publishJob(job);
      await events.waitFor(job.runId, 'run.succeeded');
      const all = events.forRun(job.runId);
      const retrying = all.find(e => e.event.type === 'run.retrying')!;
      expect(retrying.event).toEqual({
        type: 'run.retrying',
        error: expect.stringContaining(
          'answered 503 while creating project platform/payments/billing',
        ),
        nextAttempt: 2,
        delayMs: 100,
      });
      const first = all.filter(e => e.attempt === 1);
      expect(eventTypes(first).slice(-3)).toEqual([
        'step.started:create-repository',
        'step.failed:create-repository',
        'run.retrying',
      ]);
      const second = all.filter(e => e.attempt === 2);
      expect(second[0]).toMatchObject({
        seq: 1,
        delivery: 0,
        event: { type: 'run.started' },
      });
      expect(eventTypes(second).slice(-1)).toEqual(['run.succeeded']);
    });

    it('dead-letters the job with the reason after the last attempt and sends a final failed event', async () => {
      gitlab.failNext('POST /api/v4/projects', 503, { times: 100 });
      const job = createJob({ ...blueprint, name: 'flaky', maxAttempt: 3 });
      try {
        await client.publishJob(job);
        const failed = await events.waitFor(job.runId, 'run.failed');
        expect(failed).toMatchObject({ attempt: 3 });
        expect(failed.event).toEqual({
          type: 'run.failed',
          step: 'create-repository',
          error: expect.stringContaining('platform/payments/flaky'),
          retryable: true,
          deadLettered: true,
        });
        const retries = events
          .forRun(job.runId)
          .filter(e => e.event.type === 'run.retrying');
        expect(
          retries.map(e => [
            e.attempt,
            (e.event as { delayMs: number }).delayMs,
          ]),
        ).toEqual([
          [1, 100],
          [2, 200],
        ]);
        const dead = await waitUntil(
          () => deadLetters.find(d => d.job.runId === job.runId),
          {
            what: 'the dead-lettered job',
          },
        );
        expect(dead.job.attempt).toBe(3);
        expect(dead.reason).toMatch(
          /^attempt 3 of 3 failed at step create-repository: /,
        );
      } finally {
        gitlab.clearFailures();
      }
    });

    it('fails a permanent error (401) at once, without retrying', async () => {
      gitlab.failNext('GET /api/v4/projects/platform%2Fpayments%2Fdenied', 401);
      const job = createJob({ ...blueprint, name: 'denied' });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect(failed.event).toMatchObject({
        step: 'create-repository',
        retryable: false,
        deadLettered: false,
        error: expect.stringContaining('refused the token (401 Unauthorized)'),
      });
      expect(
        events.forRun(job.runId).some(e => e.event.type === 'run.retrying'),
      ).toBe(false);
    });

    it('never lets a token or password reach events or logs, even when a server echoes them', async () => {
      gitlab.failNext('POST /api/v4/projects', 400, {
        message: `path is invalid for token ${TOKEN} on amqp://user:${AMQP_PASSWORD}@rabbit`,
      });
      const job = createJob({ ...blueprint, name: 'leaky' });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect((failed.event as { error: string }).error).toContain(
        'path is invalid for token *** on amqp://user:***@rabbit',
      );
      const everything = JSON.stringify(events.all) + logger.lines.join('\n');
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(AMQP_PASSWORD);
      expect(everything).not.toContain(
        Buffer.from(`oauth2:${TOKEN}`).toString('base64'),
      );
    });
  });
});
