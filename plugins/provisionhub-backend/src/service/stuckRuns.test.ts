import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  JobMessage,
  Run,
  RunEventMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  createTempDir,
  createTestDatabases,
  startTestBrokerProxy,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import amqplib from 'amqplib';
import type { Knex } from 'knex';
import request from 'supertest';
import { provisionhubPlugin } from '../plugin';
import {
  catalogWith,
  provisionhubConfig,
  recordingServices,
  writeBlueprintEntities,
} from '../__testUtils__/fixtures';
import {
  TestBrokerClient,
  connectTestBroker,
} from '../__testUtils__/testBroker';

// Waits for the scheduler to notice a run past its (2 s) timeout; nothing asserts a duration.
jest.setTimeout(90_000);

const databases = createTestDatabases();
// At the top level, so the vhost outlives the backends the suite's hooks stop (a vhost removed
// under a connected backend fails the suite with "Channel ended").
const testBroker = useTestBroker();

/**
 * Stuck runs on the real RabbitMQ, PostgreSQL and Backstage's scheduler, with two control-plane
 * replicas: a worker takes a job in a way the broker cannot redeliver (no acknowledgement), reports
 * that it started, and its connection is cut. The run is queued again as its next attempt, and
 * failed once no attempt is left, each exactly once.
 */
describe('stuck runs', () => {
  let broker: TestBrokerClient;
  let knex: Knex;
  let removeDir: () => Promise<void>;
  const backends: Array<Awaited<ReturnType<typeof startTestBackend>>> = [];

  beforeAll(async () => {
    const temp = await createTempDir();
    removeDir = temp.remove;
    const entities = await writeBlueprintEntities(temp.dir);
    broker = await connectTestBroker(testBroker);
    knex = await databases.init('POSTGRES_15');
    for (let replica = 0; replica < 2; replica++) {
      backends.push(
        await startTestBackend({
          features: [
            provisionhubPlugin,
            mockServices.database.factory({ knex }),
            // The real scheduler: global tasks run on one replica at a time.
            schedulerServiceFactory,
            provisionhubConfig(testBroker, {
              runs: {
                maxAttempts: 2,
                backoff: { initialMs: 100, maxMs: 200 },
                noProgressTimeout: { seconds: 2 },
              },
            }),
            catalogWith(entities),
            mockServices.permissions.factory({
              result: AuthorizeResult.ALLOW,
            }),
            ...recordingServices().features,
          ],
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const backend of backends) {
      await backend.stop();
    }
    await broker?.close();
    await removeDir?.();
  }, 60_000);

  const api = () => request(backends[0].server);

  async function getRun(id: string): Promise<Run> {
    return (await api().get(`/api/provisionhub/runs/${id}`)).body;
  }

  /**
   * A worker that takes the run's job without acknowledgement mode, says it started, and loses
   * its connection: the broker has nothing left to redeliver.
   */
  async function vanishingWorker(runId: string, attempt: number) {
    const proxy = await startTestBrokerProxy();
    const connection = await amqplib.connect(proxy.urlThrough(testBroker.url));
    connection.on('error', () => undefined);
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    const job = await waitUntil(
      async () => {
        const message = await channel.get(broker.client.names.jobsQueue, {
          noAck: true,
        });
        return message
          ? (JSON.parse(message.content.toString('utf8')) as JobMessage)
          : undefined;
      },
      { what: `the job of attempt ${attempt}` },
    );
    expect(job).toMatchObject({ runId, attempt });
    const events: RunEventMessage['event'][] = [
      { type: 'run.started', workerId: `vanishing-${attempt}` },
      { type: 'step.started', step: 'fetch-blueprint' },
    ];
    for (const [i, event] of events.entries()) {
      await broker.client.publishEvent({
        kind: 'run.event',
        version: 1,
        runId,
        attempt,
        delivery: 0,
        seq: i + 1,
        at: new Date().toISOString(),
        event,
      });
    }
    await waitUntil(
      async () => {
        const run = await getRun(runId);
        return (
          run.status === 'running' &&
          run.attempt === attempt &&
          run.steps?.[0].status === 'running'
        );
      },
      { what: `attempt ${attempt} to be running its first step` },
    );
    proxy.cut();
    await proxy.close();
  }

  it('queues a run without progress again as its next attempt, then fails it with the reason', async () => {
    const created = await api().post('/api/provisionhub/runs').send({
      kind: 'component',
      name: 'stuck',
      owner: 'group:default/payments',
      system: 'legacy',
      blueprint: 'node-backend',
      version: '1.0.0',
      values: {},
    });
    expect(created.status).toBe(202);
    const runId: string = created.body.id;

    await vanishingWorker(runId, 1);
    // The scheduler requeues it; the next job is there for the next (vanishing) worker.
    await vanishingWorker(runId, 2);

    const failed = await waitUntil(
      async () => {
        const run = await getRun(runId);
        return run.status === 'failed' ? run : undefined;
      },
      { what: 'the stuck run to fail', timeoutMs: 60_000 },
    );
    expect(failed.error).toEqual({
      message: 'no progress for 2 seconds',
      retryable: true,
      deadLettered: false,
    });
    expect(failed.canRetry).toBe(true);
    const recoveries = failed.history!.filter(
      t => t.actor === 'system:stuck-runs',
    );
    expect(recoveries.map(t => [t.status, t.reason])).toEqual([
      [
        'queued',
        'no progress for 2 seconds; attempt 2 of 2 resumes at the first unfinished step',
      ],
      ['failed', 'no progress for 2 seconds'],
    ]);
    expect(failed.steps![0]).toMatchObject({
      id: 'fetch-blueprint',
      status: 'failed',
      error: 'no progress for 2 seconds',
    });
    expect(failed.steps!.slice(1).map(step => step.status)).not.toContain(
      'running',
    );
    // One replica recovered each attempt: exactly one job of attempt 2 was published.
    expect(await broker.depth(broker.client.names.jobsQueue)).toBe(0);
  });
});
