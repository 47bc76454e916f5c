import type { Channel, ConsumeMessage } from 'amqplib';
import type { Config } from './config.js';
import { Handler, handlerFor, handlers as defaultHandlers } from './handlers.js';
import type { Logger } from './logger.js';
import { InvalidMessageError, parseWorkItem } from './messages.js';
import type { Stats } from './stats.js';

export interface Consumer {
  /** Stops taking messages, waits for the ones in flight (up to the shutdown timeout). */
  stop(): Promise<void>;
}

/**
 * Consumes the worker's queue. Every delivery gets exactly one ack or nack: ack when its handler
 * succeeds, nack without requeue (dead-letter) when the message can never be handled, nack with
 * requeue otherwise (the quorum queue's delivery limit eventually dead-letters it).
 */
export async function startConsumer(options: {
  channel: Channel;
  config: Config;
  logger: Logger;
  stats: Stats;
  handlers?: Record<string, Handler>;
}): Promise<Consumer> {
  const { channel, config, logger, stats } = options;
  const registry = options.handlers ?? defaultHandlers;
  const inFlight = new Set<Promise<void>>();

  const handle = async (message: ConsumeMessage) => {
    const delivery = Number(message.properties.headers?.['x-delivery-count'] ?? 0) + 1;
    let outcome: 'acked' | 'requeued' | 'dead_lettered' = 'acked';
    let itemId: string | undefined;
    try {
      const item = parseWorkItem(message.content);
      itemId = item.id;
      await handlerFor(item, registry)(item, logger.child({ itemId: item.id, type: item.type }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      outcome = error instanceof InvalidMessageError ? 'dead_lettered' : 'requeued';
      logger.warn(
        outcome === 'dead_lettered'
          ? `message dead-lettered: ${reason}`
          : `message failed, delivery ${delivery} of ${config.deliveryLimit}: ${reason}`,
        { itemId },
      );
    }
    try {
      if (outcome === 'acked') {
        channel.ack(message);
      } else {
        channel.nack(message, false, outcome === 'requeued');
      }
      stats.count(outcome);
    } catch (error) {
      // The channel is gone; the broker redelivers the message to another consumer.
      logger.error('could not settle a message', { itemId, error: String(error) });
    }
  };

  await channel.prefetch(config.prefetch);
  const { consumerTag } = await channel.consume(
    config.queue,
    message => {
      if (!message) {
        logger.warn('the broker cancelled the consumer');
        stats.consuming = false;
        return;
      }
      stats.inFlight += 1;
      const done = handle(message).finally(() => {
        stats.inFlight -= 1;
        inFlight.delete(done);
      });
      inFlight.add(done);
    },
    { noAck: false },
  );
  stats.consuming = true;
  logger.info('consuming', { queue: config.queue, prefetch: config.prefetch });

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        stats.consuming = false;
        await channel.cancel(consumerTag).catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>(resolve => {
          timer = setTimeout(resolve, config.shutdownTimeoutMs);
        });
        await Promise.race([Promise.allSettled([...inFlight]), timeout]);
        clearTimeout(timer);
        if (inFlight.size > 0) {
          logger.warn(`stopped with ${inFlight.size} messages unfinished; the broker redelivers them`);
        }
      })();
      return stopping;
    },
  };
}
