/**
 * Runs the consumer against a real RabbitMQ: `AMQP_URL=amqp://... npm run test:integration`.
 * Every run declares its own exchange and queues and deletes them afterwards.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Channel, ChannelModel } from 'amqplib';
import { connectWithRetry } from './broker.js';
import { loadConfig } from './config.js';
import { Consumer, startConsumer } from './consumer.js';
import type { Handler } from './handlers.js';
import { createLogger } from './logger.js';
import { InvalidMessageError, WorkItem } from './messages.js';
import { Stats } from './stats.js';
import { declareTopology, topologyNames } from './topology.js';

async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe('the worker on a real broker', () => {
  if (!process.env.AMQP_URL) {
    throw new Error('set AMQP_URL to a RabbitMQ the test may declare queues on, e.g. amqp://guest:guest@localhost:5672');
  }
  const suffix = randomUUID().slice(0, 8);
  const config = {
    ...loadConfig({ ...process.env, QUEUE: `itest-${suffix}`, EXCHANGE: `itest-${suffix}`, BINDING_KEY: 'work.#' }),
    deliveryLimit: 2,
    shutdownTimeoutMs: 5000,
  };
  const names = topologyNames(config);
  const handled: WorkItem[] = [];
  let failures = 0;
  const handlers: Record<string, Handler> = {
    async 'test.ok'(item) {
      handled.push(item);
    },
    async 'test.flaky'(item) {
      failures += 1;
      throw new Error(`transient failure ${failures} of ${item.id}`);
    },
    async 'test.invalid'() {
      throw new InvalidMessageError('never valid');
    },
  };
  const stats = new Stats();
  let connection: ChannelModel;
  let channel: Channel;
  let consumer: Consumer;

  const publish = (routingKey: string, body: unknown) =>
    channel.publish(names.exchange, routingKey, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), {
      persistent: true,
      contentType: 'application/json',
    });
  const deadLetters = async () => {
    const messages: string[] = [];
    for (;;) {
      const message = await channel.get(names.deadLetterQueue, { noAck: true });
      if (!message) {
        return messages;
      }
      messages.push(message.content.toString());
    }
  };

  before(async () => {
    connection = await connectWithRetry(config.amqpUrl, createLogger('error'));
    channel = await connection.createChannel();
    await declareTopology(channel, config);
    consumer = await startConsumer({ channel, config, logger: createLogger('error'), stats, handlers });
  });

  after(async () => {
    await consumer?.stop();
    await channel?.deleteQueue(names.queue);
    await channel?.deleteQueue(names.deadLetterQueue);
    await channel?.deleteExchange(names.exchange);
    await channel?.deleteExchange(names.deadLetterExchange);
    await connection?.close();
  });

  it('handles and acknowledges a valid work item routed to its queue', async () => {
    publish('work.created', { id: 'a', type: 'test.ok', data: { n: 1 } });
    const item = await until(() => handled.find(i => i.id === 'a'), 'item a to be handled');
    assert.deepEqual(item.data, { n: 1 });
    await until(() => (stats.get('acked') >= 1 ? true : undefined), 'the ack');
    assert.equal((await channel.checkQueue(names.queue)).messageCount, 0);
  });

  it('dead-letters an invalid message at once, and a failing one after the delivery limit', async () => {
    publish('work.created', 'not json');
    publish('work.created', { id: 'b', type: 'test.invalid' });
    publish('work.created', { id: 'c', type: 'test.flaky' });
    const collected: string[] = [];
    await until(async () => {
      collected.push(...(await deadLetters()));
      return collected.length >= 3 ? true : undefined;
    }, 'three dead letters');
    assert.deepEqual(
      collected.map(m => (m.startsWith('{') ? JSON.parse(m).id : m)).sort(),
      ['b', 'c', 'not json'],
    );
    assert.equal(stats.get('dead_lettered'), 2);
    assert.ok(failures >= 2, `the flaky item was tried ${failures} times`);
    assert.equal(handled.length, 1);
  });
});
