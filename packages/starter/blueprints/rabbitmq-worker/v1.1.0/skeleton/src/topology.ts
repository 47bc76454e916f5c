import type { Channel } from 'amqplib';
import type { Config } from './config.js';

/** Names of everything the worker declares on the broker. */
export function topologyNames(config: Pick<Config, 'queue' | 'exchange'>) {
  return {
    exchange: config.exchange,
    queue: config.queue,
    deadLetterExchange: `${config.queue}.dead-letter`,
    deadLetterQueue: `${config.queue}.dead-letter`,
  };
}

/**
 * Declares the topic exchange, the worker's quorum queue bound to it, and a dead-letter exchange
 * and queue. The quorum queue's delivery limit sends a message that keeps failing to the
 * dead-letter queue instead of redelivering it forever. Declaring is idempotent: every replica does
 * it at start.
 */
export async function declareTopology(channel: Channel, config: Config): Promise<void> {
  const names = topologyNames(config);
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  await channel.assertExchange(names.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.deadLetterQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, '');
  await channel.assertQueue(names.queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': config.deliveryLimit,
      'x-dead-letter-exchange': names.deadLetterExchange,
    },
  });
  await channel.bindQueue(names.queue, names.exchange, config.bindingKey);
}
