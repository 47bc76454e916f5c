import path from 'node:path';
import amqplib from 'amqplib';
import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import {
  createBlockingRepository,
  createTempDir,
  exists,
  git,
  startTestBrokerProxy,
  TcpProxy,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import {
  SAMPLE_BLUEPRINT,
  createJob,
  writeBlueprint,
} from '../__testUtils__/blueprints';
import { testAppConfig } from '../__testUtils__/config';
import { startTestClient } from '../__testUtils__/client';
import { EventCollector } from '../__testUtils__/events';
import {
  WorkerProcess,
  spawnWorker,
  writeConfigFile,
} from '../__testUtils__/workerProcess';

jest.setTimeout(120000);

/**
 * Outages without touching the shared RabbitMQ (other tests use it): the worker reaches it
 * through a TCP proxy this test controls, and cutting the proxy is the outage.
 */
describe('a provisionhub-worker process when RabbitMQ fails it', () => {
  const testBroker = useTestBroker();

  // Nested, so its afterAll runs before the vhost is removed.
  describe('on its own vhost', () => {
    let temp: { dir: string; remove(): Promise<void> };
    let proxy: TcpProxy;
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let worker: WorkerProcess | undefined;
    let release: (() => Promise<void>) | undefined;
    let blueprint: { location: string; digest: string };

    beforeAll(async () => {
      temp = await createTempDir('provisionhub-worker-outage-');
      blueprint = await writeBlueprint(
        path.join(temp.dir, 'blueprint'),
        SAMPLE_BLUEPRINT,
      );
      proxy = await startTestBrokerProxy();
      // The test's own client talks to the broker directly: it publishes while the worker is cut off.
      ({ client, events } = await startTestClient(
        testBroker,
        'outage-test-client',
      ));
    });

    afterAll(async () => {
      await release?.();
      if (worker && worker.child.exitCode === null) {
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
      await events?.close();
      await client?.close();
      await proxy?.close();
      await temp?.remove();
    });

    it('keeps /livez at 200, turns /readyz to 503 and back, and finishes every run once', async () => {
      const remotes = path.join(temp.dir, 'remotes');
      const gitops = path.join(remotes, 'platform/gitops-outage.git');
      const hook = await createBlockingRepository(
        gitops,
        path.join(temp.dir, 'markers'),
        { then: 'accept' },
      );
      release = hook.release;
      const config = await writeConfigFile(
        temp.dir,
        'worker.yaml',
        testAppConfig({
          amqpUrl: proxy.urlThrough(testBroker.url),
          prefix: testBroker.prefix,
          remoteBase: remotes,
          workspaceDir: path.join(temp.dir, 'workspaces'),
          concurrency: 2,
        }),
      );
      worker = spawnWorker(['--config', config]);
      await worker.waitForOutput(/is consuming/);
      const port = (await worker.waitForOutput(/localhost:(\d+)\/livez/))[1];
      const probe = async (endpoint: '/livez' | '/readyz') => {
        const res = await fetch(`http://127.0.0.1:${port}${endpoint}`);
        return { status: res.status, body: await res.json() };
      };
      // "is consuming" is logged once subscribed; the connection may still be opening.
      const up = await waitUntil(
        async () => {
          const answer = await probe('/readyz');
          return answer.status === 200 && answer;
        },
        { what: '/readyz to answer 200' },
      );
      expect(up.body).toEqual({
        status: 'ok',
        detail: `connected to RabbitMQ, consuming ${testBroker.prefix}.jobs`,
      });

      // A run in flight, held inside its gitops push by the repository's hook.
      const inFlight = createJob({
        ...blueprint,
        name: 'in-flight',
        steps: [
          {
            id: 'deploy',
            type: 'gitops',
            input: { repository: 'platform/gitops-outage' },
          },
        ],
      });
      await client.publishJob(inFlight);
      await waitUntil(() => exists(hook.entered), {
        what: 'the gitops push to start',
      });

      proxy.cut();
      const down = await waitUntil(
        async () => {
          const answer = await probe('/readyz');
          return answer.status === 503 && answer;
        },
        { what: '/readyz to answer 503' },
      );
      expect(down.body).toEqual({
        status: 'unavailable',
        detail: 'not connected to RabbitMQ',
      });
      expect((await probe('/livez')).status).toBe(200);

      // Published while the worker is cut off; the run in flight finishes its push meanwhile.
      const whileCut = createJob({ ...blueprint, name: 'while-cut' });
      await client.publishJob(whileCut);
      await hook.release();
      await waitUntil(
        async () =>
          (await git(gitops, 'rev-list', '--count', '--all').catch(
            () => '0',
          )) === '1',
        { what: 'the gitops push to land' },
      );
      expect((await probe('/livez')).status).toBe(200);
      expect((await probe('/readyz')).status).toBe(503);

      proxy.restore();
      await waitUntil(async () => (await probe('/readyz')).status === 200, {
        timeoutMs: 30000,
        what: '/readyz to answer 200 again',
      });
      await events.waitFor(inFlight.runId, 'run.succeeded');
      await events.waitFor(whileCut.runId, 'run.succeeded');
      // Still consuming after the reconnect: a new job runs too.
      const after = createJob({ ...blueprint, name: 'after-outage' });
      await client.publishJob(after);
      await events.waitFor(after.runId, 'run.succeeded');

      for (const job of [whileCut, after]) {
        const runs = events.forRun(job.runId);
        expect(new Set(runs.map(e => e.delivery))).toEqual(new Set([0]));
        expect(runs.filter(e => e.event.type === 'run.succeeded')).toHaveLength(
          1,
        );
      }
      for (const name of ['in-flight', 'while-cut', 'after-outage']) {
        expect(
          await git(
            path.join(remotes, `payments/${name}.git`),
            'rev-list',
            '--count',
            '--all',
          ),
        ).toBe('1');
      }
      expect(await git(gitops, 'rev-list', '--count', '--all')).toBe('1');

      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      // Every delivery was settled: nothing is left in the jobs queue.
      const connection = await amqplib.connect(testBroker.url);
      try {
        const channel = await connection.createChannel();
        const queue = await channel.checkQueue(client.names.jobsQueue);
        expect(queue.messageCount).toBe(0);
      } finally {
        await connection.close();
      }
    });

    it('comes back by itself when RabbitMQ drops its subscription', async () => {
      const config = await writeConfigFile(
        temp.dir,
        'worker-resubscribe.yaml',
        testAppConfig({
          amqpUrl: testBroker.url,
          prefix: testBroker.prefix,
          remoteBase: path.join(temp.dir, 'remotes'),
          workspaceDir: path.join(temp.dir, 'workspaces'),
        }),
      );
      worker = spawnWorker(['--config', config]);
      await worker.waitForOutput(/is consuming/);
      const port = (await worker.waitForOutput(/localhost:(\d+)\/livez/))[1];
      const probe = async (endpoint: '/livez' | '/readyz') => {
        const res = await fetch(`http://127.0.0.1:${port}${endpoint}`);
        return { status: res.status, body: await res.json() };
      };
      await waitUntil(async () => (await probe('/readyz')).status === 200, {
        what: '/readyz to answer 200',
      });

      // Deleting the jobs queue cancels the worker's consumer; resubscribing fails with 404,
      // the client reconnects, declares the topology again and resubscribes.
      const connection = await amqplib.connect(testBroker.url);
      try {
        const channel = await connection.createChannel();
        await channel.deleteQueue(client.names.jobsQueue);
      } finally {
        await connection.close();
      }
      await waitUntil(async () => (await probe('/readyz')).status === 503, {
        what: '/readyz to answer 503',
      });
      expect((await probe('/livez')).status).toBe(200);
      await waitUntil(async () => (await probe('/readyz')).status === 200, {
        timeoutMs: 30000,
        what: '/readyz to answer 200 again',
      });
      const job = createJob({ ...blueprint, name: 'after-resubscribe' });
      await client.publishJob(job);
      await events.waitFor(job.runId, 'run.succeeded');

      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
    });
  });
});
