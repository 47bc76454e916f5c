import { mockServices } from '@backstage/backend-test-utils';
import amqplib from 'amqplib';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type {
  JobMessage,
  RunEventMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  deferred,
  startTestBrokerProxy,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import {
  HEADER_DEAD_LETTER_REASON,
  ProvisionHubBroker,
} from './ProvisionHubBroker';

const retry = { maxAttempts: 3, initialMs: 200, maxMs: 400 };

function job(runId = randomUUID()): JobMessage {
  return {
    kind: 'job',
    version: 1,
    runId,
    attempt: 1,
    maxAttempt: 3,
    requestedAt: new Date().toISOString(),
    requestedBy: 'user:default/alice',
    run: {
      kind: 'component',
      name: 'payments-api',
      owner: 'group:default/payments',
      system: 'payments',
      entityRef: 'component:default/payments-api',
      values: {},
    },
    blueprint: {
      name: 'node-backend',
      version: '1.0.0',
      type: 'backend',
      digest: `sha256:${'a'.repeat(64)}`,
      files: [{ location: 'file:/tmp/x', target: '' }],
      steps: [],
      catalogInfoPath: 'catalog-info.yaml',
    },
    repository: { path: 'payments/payments-api', description: 'x' },
  };
}

describe('ProvisionHubBroker on the real RabbitMQ', () => {
  const testBroker = useTestBroker();
  let broker: ProvisionHubBroker;
  const connect = (connectionName: string) =>
    ProvisionHubBroker.create({
      amqp: {
        url: testBroker.url,
        prefix: testBroker.prefix,
        maxMessageBytes: 4096,
      },
      retry,
      logger: mockServices.logger.mock(),
      connectionName,
    });

  beforeAll(async () => {
    broker = connect('broker-test');
    await broker.ready();
  });

  afterAll(async () => {
    await broker.close();
  });

  it("turns off Nagle's algorithm on its connection (small publishes are not held for a delayed ACK)", async () => {
    const setNoDelay = jest.spyOn(net.Socket.prototype, 'setNoDelay');
    const own = connect('broker-test-nodelay');
    try {
      await own.ready();
      expect(setNoDelay).toHaveBeenCalledWith(true);
      expect(setNoDelay).not.toHaveBeenCalledWith(false);
    } finally {
      setNoDelay.mockRestore();
      await own.close();
    }
  });

  it('delivers a published job to one consumer and acknowledges it', async () => {
    const received = deferred<JobMessage>();
    const consumer = await broker.consume(
      broker.names.jobsQueue,
      ['job'],
      async message => {
        received.resolve(message);
      },
      { prefetch: 5 },
    );
    const sent = job();
    await broker.publishJob(sent);
    await expect(received.promise).resolves.toEqual(sent);
    await consumer.cancel();
    await consumer.drain();
  });

  it('dead-letters malformed and oversized messages with the reason and keeps consuming', async () => {
    const conn = await amqplib.connect(testBroker.url);
    const ch = await conn.createChannel();
    const notices: Array<{ reason: string; body: string }> = [];
    await ch.consume(broker.names.deadLetterNoticesQueue, msg => {
      notices.push({
        reason: String(msg!.properties.headers?.[HEADER_DEAD_LETTER_REASON]),
        body: msg!.content.toString(),
      });
      ch.ack(msg!);
    });

    const good: RunEventMessage[] = [];
    const consumer = await broker.consume(
      broker.names.eventsQueue,
      ['run.event'],
      async message => {
        good.push(message);
      },
      { prefetch: 10, serial: true },
    );
    const publish = (body: string) =>
      ch.publish(broker.names.exchange, 'run.event', Buffer.from(body), {
        persistent: true,
      });
    publish('not json');
    publish(JSON.stringify({ kind: 'run.event', version: 9 }));
    publish(JSON.stringify({ kind: 'mystery', version: 1 }));
    publish(
      JSON.stringify({
        kind: 'run.event',
        version: 1,
        runId: randomUUID(),
        attempt: 1,
        delivery: 0,
        seq: 1,
        at: new Date().toISOString(),
        event: { type: 'step.started' },
      }),
    );
    publish(JSON.stringify({ kind: 'run.event', padding: 'x'.repeat(5000) }));
    const valid: RunEventMessage = {
      kind: 'run.event',
      version: 1,
      runId: randomUUID(),
      attempt: 1,
      delivery: 0,
      seq: 1,
      at: new Date().toISOString(),
      event: { type: 'step.started', step: 'render' },
    };
    await broker.publishEvent(valid);

    await waitUntil(() => notices.length === 5 && good.length === 1, {
      what: '5 dead letters and 1 good event',
    });
    expect(good).toEqual([valid]);
    const reasons = notices.map(n => n.reason);
    expect(reasons[0]).toMatch(/body is not JSON/);
    expect(reasons[1]).toMatch(/unsupported run.event version 9/);
    expect(reasons[2]).toMatch(/unknown message kind "mystery"/);
    expect(reasons[3]).toMatch(/\/event\/step is required/);
    expect(reasons[4]).toMatch(/over the limit of 4096/);
    await consumer.cancel();
    await conn.close();
  });

  it('brings a job back from the delay queue after the delay', async () => {
    const received = deferred<number>();
    const sent = job();
    const consumer = await broker.consume(
      broker.names.jobsQueue,
      ['job'],
      async message => {
        if (message.runId === sent.runId) {
          received.resolve(Date.now());
        }
      },
      { prefetch: 1 },
    );
    const start = Date.now();
    await broker.publishJobRetry({ ...sent, attempt: 2 }, 200);
    const at = await received.promise;
    expect(at - start).toBeGreaterThanOrEqual(150);
    await consumer.cancel();
  });

  it('requeues a delivery whose handler throws, with a higher delivery count', async () => {
    const deliveries: number[] = [];
    const done = deferred();
    const consumer = await broker.consume(
      broker.names.requestsQueue,
      ['run.requested'],
      async (_message, context) => {
        deliveries.push(context.delivery);
        if (deliveries.length === 1) {
          throw new Error('database is down');
        }
        done.resolve();
      },
      { prefetch: 1, requeueDelayMs: 10 },
    );
    await broker.publishRequest({
      kind: 'run.requested',
      version: 1,
      runId: randomUUID(),
      requestedBy: 'user:default/alice',
      requestedAt: new Date().toISOString(),
      request: {
        kind: 'system',
        name: 'payments',
        owner: 'group:default/payments',
        blueprint: 'system',
        values: {},
      },
    });
    await done.promise;
    expect(deliveries).toEqual([0, 1]);
    await consumer.cancel();
  });

  it('holds at most `prefetch` deliveries unsettled; the rest stay ready in the queue', async () => {
    const held: Array<() => void> = [];
    let holding = true;
    let handled = 0;
    const consumer = await broker.consume(
      broker.names.jobsQueue,
      ['job'],
      async () => {
        if (holding) {
          const release = deferred();
          held.push(() => release.resolve());
          await release.promise;
        }
        handled += 1;
      },
      { prefetch: 2 },
    );
    for (let i = 0; i < 5; i++) {
      await broker.publishJob(job());
    }
    await waitUntil(() => held.length === 2, { what: 'two deliveries' });
    const conn = await amqplib.connect(testBroker.url);
    try {
      const ch = await conn.createChannel();
      const queue = await ch.checkQueue(broker.names.jobsQueue);
      expect(queue.messageCount).toBe(3);
    } finally {
      await conn.close();
    }
    holding = false;
    held.forEach(release => release());
    await waitUntil(() => handled === 5, { what: 'all five handled' });
    await consumer.cancel();
    await consumer.drain();
  });

  it('settles a delivery on the channel it came from: after a reconnect a stale one touches nothing', async () => {
    const proxy = await startTestBrokerProxy();
    const logger = mockServices.logger.mock();
    const reconnecting = ProvisionHubBroker.create({
      amqp: {
        url: proxy.urlThrough(testBroker.url),
        prefix: `${testBroker.prefix}-reconnect`,
        maxMessageBytes: 4096,
      },
      retry,
      logger,
      connectionName: 'broker-test-reconnect',
    });
    try {
      await reconnecting.ready();
      const handlers: Array<{ delivery: number; release: () => void }> = [];
      const consumer = await reconnecting.consume(
        reconnecting.names.jobsQueue,
        ['job'],
        async (_message, context) => {
          const handled = deferred();
          handlers.push({
            delivery: context.delivery,
            release: () => handled.resolve(),
          });
          await handled.promise;
        },
        { prefetch: 1 },
      );
      await waitUntil(() => consumer.isConsuming(), {
        what: 'the consumer to subscribe',
      });
      await reconnecting.publishJob(job());
      await waitUntil(() => handlers.length === 1, {
        what: 'the first delivery',
      });

      proxy.cut();
      await waitUntil(() => !consumer.isConsuming(), {
        what: 'the consumer to notice the outage',
      });
      proxy.restore();
      // The broker redelivers the unsettled message on the new channel, with delivery tag 1 again.
      await waitUntil(() => handlers.length === 2, { what: 'the redelivery' });
      expect(handlers.map(h => h.delivery)).toEqual([0, 1]);
      expect(consumer.isConsuming()).toBe(true);

      handlers[0].release();
      await waitUntil(
        () =>
          logger.warn.mock.calls.some(([message]) =>
            /Could not settle a delivery from .*: its channel closed/.test(
              String(message),
            ),
          ),
        { what: 'the stale delivery to be left alone' },
      );
      handlers[1].release();
      await consumer.drain();
      // Acknowledging the redelivery did not hit an unknown delivery tag (a channel error).
      expect(consumer.isConsuming()).toBe(true);
      await consumer.cancel();
    } finally {
      await reconnecting.close();
      await proxy.close();
    }
    const conn = await amqplib.connect(testBroker.url);
    try {
      const ch = await conn.createChannel();
      const queue = await ch.checkQueue(`${testBroker.prefix}-reconnect.jobs`);
      expect(queue.messageCount).toBe(0);
    } finally {
      await conn.close();
    }
  });
});
