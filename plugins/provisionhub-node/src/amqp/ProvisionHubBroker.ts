import type { LoggerService } from '@backstage/backend-plugin-api';
import amqp, {
  AmqpConnectionManager,
  ChannelWrapper,
} from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import {
  JobMessage,
  ProvisionHubMessage,
  ProvisionHubMessageKind,
  RunCancelMessage,
  RunEventMessage,
  RunRequestedMessage,
  parseMessage,
} from '@provisionhub/plugin-provisionhub-common';
import { AmqpOptions, RetryOptions, backoffDelays } from '../config';
import { DeliveryBatcher } from './DeliveryBatcher';
import { redactUrl } from '../redact';
import {
  ROUTING_KEYS,
  TopologyNames,
  assertTopology,
  topologyNames,
} from './topology';

/** Header that carries why a message was dead-lettered. @public */
export const HEADER_DEAD_LETTER_REASON = 'x-provisionhub-reason';
/** Header that carries the queue a dead letter came from. @public */
export const HEADER_DEAD_LETTER_QUEUE = 'x-provisionhub-queue';
/** Header that carries when a consumer dead-lettered a message (ISO 8601). @public */
export const HEADER_DEAD_LETTERED_AT = 'x-provisionhub-dead-lettered-at';

/** @public */
export interface DeliveryContext {
  /** 0 for the first delivery; counts redeliveries (quorum queues' `x-delivery-count`). */
  delivery: number;
  redelivered: boolean;
  headers: Record<string, unknown>;
  raw: ConsumeMessage;
}

/**
 * What a handler wants done with the delivery. `undefined` acknowledges it.
 * @public
 */
export type HandlerResult = void | { requeue: true } | { deadLetter: string };

/** @public */
export interface ConsumeOptions {
  prefetch: number;
  /** Handle deliveries one at a time, in order, even when several are prefetched. */
  serial?: boolean;
  /** Wait this long before requeueing after a handler error, so a failing dependency is not hammered. */
  requeueDelayMs?: number;
}

/** @public */
export interface BrokerConsumer {
  /** Stops new deliveries; in-flight handlers keep running. */
  cancel(): Promise<void>;
  /** Resolves when every handler started so far has finished and its delivery is settled. */
  drain(): Promise<void>;
  inFlight(): number;
  /**
   * True while the consumer's channel is open and subscribed to its queue: false before the
   * first subscription, while the broker is unreachable, after a channel error and after `cancel()`.
   */
  isConsuming(): boolean;
}

/** @public */
export interface PublishOptions {
  /** Reject when the broker has not confirmed within this time. Default 30 s. */
  timeoutMs?: number;
  headers?: Record<string, unknown>;
}

/**
 * The one AMQP client of ProvisionHub: declares the topology, publishes with confirms, consumes
 * with manual acknowledgements, and reconnects (amqp-connection-manager replays the channel setup).
 * @public
 */
export class ProvisionHubBroker {
  readonly names: TopologyNames;
  readonly #connection: AmqpConnectionManager;
  readonly #publisher: ChannelWrapper;
  readonly #consumers = new Set<ChannelWrapper>();
  #inspector?: ChannelWrapper;
  readonly #logger: LoggerService;
  readonly #options: AmqpOptions;
  readonly #delays: number[];
  #closed = false;

  static create(options: {
    amqp: AmqpOptions;
    retry: RetryOptions;
    logger: LoggerService;
    /** Shown in the RabbitMQ management UI. */
    connectionName: string;
  }): ProvisionHubBroker {
    return new ProvisionHubBroker(options);
  }

  private constructor(options: {
    amqp: AmqpOptions;
    retry: RetryOptions;
    logger: LoggerService;
    connectionName: string;
  }) {
    this.#options = options.amqp;
    this.#logger = options.logger;
    this.#delays = backoffDelays(options.retry);
    this.names = topologyNames(options.amqp.prefix);
    const safeUrl = redactUrl(options.amqp.url);
    this.#connection = amqp.connect([options.amqp.url], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 2,
      connectionOptions: {
        clientProperties: { connection_name: options.connectionName },
        // amqplib leaves Nagle's algorithm on: a publish written while the broker had not yet
        // acknowledged the previous one waited for its delayed ACK, up to ~40 ms per message
        // (measured on quorum queues: 38 ms from publish to delivery, 1.5 ms with this).
        noDelay: true,
      },
    });
    let down = false;
    this.#connection.on('connect', () => {
      if (down) {
        this.#logger.info(`Reconnected to RabbitMQ at ${safeUrl}`);
      }
      down = false;
    });
    this.#connection.on('disconnect', ({ err }) => {
      if (!this.#closed && !down) {
        this.#logger.warn(
          `Lost the RabbitMQ connection at ${safeUrl}: ${
            err?.message ?? 'closed'
          }; reconnecting`,
        );
      }
      down = true;
    });
    this.#connection.on('connectFailed', ({ err }) => {
      if (!down) {
        this.#logger.warn(
          `Cannot connect to RabbitMQ at ${safeUrl}: ${err?.message}; retrying every 2 s`,
        );
      }
      down = true;
    });
    this.#publisher = this.#connection.createChannel({
      name: 'publisher',
      confirm: true,
      json: false,
      setup: (channel: ConfirmChannel) =>
        assertTopology(channel, this.names, this.#delays),
    });
    this.#publisher.on('error', err =>
      this.#logger.warn(`RabbitMQ publisher channel error: ${err.message}`),
    );
  }

  /** Resolves once connected with the topology declared; rejects after `timeoutMs`. */
  async ready(timeoutMs = 30000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#publisher.waitForConnect(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `RabbitMQ at ${redactUrl(
                    this.#options.url,
                  )} was not reachable within ${timeoutMs} ms`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  isConnected(): boolean {
    return this.#connection.isConnected();
  }

  publishRequest(message: RunRequestedMessage, options?: PublishOptions) {
    return this.#publish(
      this.names.exchange,
      ROUTING_KEYS['run.requested'],
      message,
      options,
    );
  }

  publishJob(message: JobMessage, options?: PublishOptions) {
    return this.#publish(
      this.names.exchange,
      ROUTING_KEYS.job,
      message,
      options,
    );
  }

  /** Parks a job in the delay queue of `delayMs`; the broker moves it back to the jobs queue. */
  publishJobRetry(
    message: JobMessage,
    delayMs: number,
    options?: PublishOptions,
  ) {
    if (!this.#delays.includes(delayMs)) {
      throw new Error(
        `no delay queue for ${delayMs} ms; known delays: ${this.#delays.join(
          ', ',
        )}`,
      );
    }
    return this.#publish('', this.names.delayQueue(delayMs), message, options);
  }

  publishEvent(message: RunEventMessage, options?: PublishOptions) {
    return this.#publish(
      this.names.exchange,
      ROUTING_KEYS['run.event'],
      message,
      options,
    );
  }

  publishCancel(runId: string, options?: PublishOptions) {
    const message: RunCancelMessage = { kind: 'run.cancel', version: 1, runId };
    return this.#publish(this.names.controlExchange, '', message, options);
  }

  /**
   * Sends a message to the dead-letter exchange with the reason in a header.
   * The caller acknowledges the original afterwards.
   */
  async deadLetter(
    message: { content: Buffer; properties?: ConsumeMessage['properties'] },
    reason: string,
    sourceQueue: string,
  ): Promise<void> {
    await this.#publisher.publish(
      this.names.deadLetterExchange,
      '',
      message.content,
      {
        persistent: true,
        contentType: message.properties?.contentType ?? 'application/json',
        messageId: message.properties?.messageId,
        type: message.properties?.type,
        headers: {
          ...(message.properties?.headers ?? {}),
          [HEADER_DEAD_LETTER_REASON]: reason.slice(0, 2000),
          [HEADER_DEAD_LETTER_QUEUE]: sourceQueue,
          [HEADER_DEAD_LETTERED_AT]: new Date().toISOString(),
        },
        timeout: 30000,
      },
    );
  }

  /**
   * Consumes ProvisionHub messages of the given kinds. Every delivery is settled exactly once:
   * invalid or oversized messages are dead-lettered with the reason, handler errors requeue the
   * delivery after a pause, and the handler decides the rest.
   */
  async consume<K extends ProvisionHubMessageKind>(
    queue: string,
    kinds: readonly K[],
    handler: (
      message: Extract<ProvisionHubMessage, { kind: K }>,
      context: DeliveryContext,
    ) => Promise<HandlerResult>,
    options: ConsumeOptions,
  ): Promise<BrokerConsumer> {
    return this.consumeRaw(
      queue,
      async (raw, context) => {
        if (raw.content.length > this.#options.maxMessageBytes) {
          return {
            deadLetter: `message is ${
              raw.content.length
            } bytes, over the limit of ${
              this.#options.maxMessageBytes
            } (provisionhub.amqp.maxMessageBytes)`,
          };
        }
        const parsed = parseMessage(raw.content, kinds);
        if (!parsed.ok) {
          return { deadLetter: parsed.reason };
        }
        return handler(parsed.message, context);
      },
      options,
    );
  }

  /**
   * Like {@link ProvisionHubBroker.consume}, but hands the handler every valid message that
   * arrived while the previous group was being handled (up to `maxBatch`, in delivery order),
   * so it can apply them in one transaction. Each delivery is acknowledged once its group was
   * handled; when a group fails, its messages are handled one by one and only the failing one
   * is requeued.
   */
  async consumeBatches<K extends ProvisionHubMessageKind>(
    queue: string,
    kinds: readonly K[],
    handler: (
      batch: Array<{
        message: Extract<ProvisionHubMessage, { kind: K }>;
        context: DeliveryContext;
      }>,
    ) => Promise<void>,
    options: Omit<ConsumeOptions, 'serial'> & { maxBatch: number },
  ): Promise<BrokerConsumer> {
    const batcher = new DeliveryBatcher(handler, options.maxBatch);
    return this.consume(
      queue,
      kinds,
      (message, context) => batcher.add({ message, context }),
      { ...options, serial: false },
    );
  }

  /** Like {@link ProvisionHubBroker.consume} for queues whose bodies are not ProvisionHub messages. */
  async consumeRaw(
    queue: string,
    handler: (
      raw: ConsumeMessage,
      context: DeliveryContext,
    ) => Promise<HandlerResult>,
    options: ConsumeOptions,
    setup?: (channel: Channel) => Promise<void>,
  ): Promise<BrokerConsumer> {
    // The channel deliveries arrive on right now. After a reconnect the wrapper opens a new one
    // whose delivery tags start again at 1, so a delivery is settled on the channel it came from:
    // settling it on the new one would acknowledge some other message.
    let current: Channel | undefined;
    // `live`: the wrapper finished setting up `current`, resubscriptions included.
    let live = false;
    let subscribed = false;
    let cancelled = false;
    const channel = this.#connection.createChannel({
      name: `consumer:${queue}`,
      json: false,
      // Nothing is published on a consumer channel.
      confirm: false,
      setup: async (ch: Channel) => {
        current = ch;
        live = false;
        ch.once('close', () => {
          if (current === ch) {
            current = undefined;
            live = false;
          }
        });
        await assertTopology(ch, this.names, this.#delays);
        await setup?.(ch);
        // Here rather than as the wrapper's `prefetch` option: the wrapper does not await that
        // request, so a channel closing before the broker answers left an unhandled rejection.
        await ch.prefetch(options.prefetch, false);
      },
    });
    channel.on('error', err =>
      this.#logger.warn(
        `RabbitMQ consumer channel for ${queue} failed: ${err.message}`,
      ),
    );
    channel.on('connect', () => {
      live = current !== undefined;
    });
    this.#consumers.add(channel);

    const inFlight = new Set<Promise<void>>();
    let chain: Promise<void> = Promise.resolve();
    const settle = async (raw: ConsumeMessage, from: Channel | undefined) => {
      const headers = (raw.properties.headers ?? {}) as Record<string, unknown>;
      const context: DeliveryContext = {
        delivery: Number(headers['x-delivery-count'] ?? 0) || 0,
        redelivered: raw.fields.redelivered,
        headers,
        raw,
      };
      let outcome: HandlerResult;
      try {
        outcome = await handler(raw, context);
        if (outcome && 'deadLetter' in outcome) {
          this.#logger.warn(
            `Dead-lettering a message from ${queue}: ${outcome.deadLetter}`,
          );
          await this.deadLetter(raw, outcome.deadLetter, queue);
        }
      } catch (error) {
        this.#logger.error(
          `Handling a message from ${queue} failed, it will be redelivered: ${
            (error as Error).message
          }`,
        );
        outcome = { requeue: true };
        await sleep(options.requeueDelayMs ?? 1000);
      }
      try {
        if (!from || from !== current) {
          throw new Error('its channel closed (the broker redelivers it)');
        }
        if (outcome && 'requeue' in outcome) {
          from.nack(raw, false, true);
        } else {
          from.ack(raw);
        }
      } catch (error) {
        this.#logger.warn(
          `Could not settle a delivery from ${queue}: ${
            (error as Error).message
          }`,
        );
      }
    };
    const onMessage = (raw: ConsumeMessage | null) => {
      if (!raw) {
        this.#logger.warn(
          `The broker cancelled the consumer of ${queue}; it will resubscribe`,
        );
        return;
      }
      const from = current;
      const task = options.serial
        ? (chain = chain.then(() => settle(raw, from)))
        : settle(raw, from);
      inFlight.add(task);
      task.finally(() => inFlight.delete(task));
    };
    await channel.consume(queue, onMessage as (msg: ConsumeMessage) => void, {
      noAck: false,
    });
    subscribed = true;
    return {
      cancel: async () => {
        cancelled = true;
        await channel.cancelAll();
      },
      drain: async () => {
        while (inFlight.size > 0) {
          await Promise.allSettled([...inFlight]);
        }
      },
      inFlight: () => inFlight.size,
      isConsuming: () => subscribed && !cancelled && live,
    };
  }

  /**
   * Declares a worker's exclusive control queue, bound to the control exchange, and consumes
   * cancellations from it.
   */
  async consumeControl(
    workerId: string,
    handler: (message: RunCancelMessage) => Promise<void>,
  ): Promise<BrokerConsumer> {
    const queue = this.names.controlQueue(workerId);
    return this.consumeRaw(
      queue,
      async raw => {
        const parsed = parseMessage(raw.content, ['run.cancel'] as const);
        if (!parsed.ok) {
          this.#logger.warn(
            `Ignoring an invalid control message: ${parsed.reason}`,
          );
          return undefined;
        }
        await handler(parsed.message);
        return undefined;
      },
      { prefetch: 10 },
      async ch => {
        await ch.assertQueue(queue, {
          exclusive: true,
          autoDelete: true,
          durable: false,
        });
        await ch.bindQueue(queue, this.names.controlExchange, '');
      },
    );
  }

  /**
   * Messages ready in each queue (what RabbitMQ reports to a passive declare), for metrics. A
   * queue that cannot be inspected (broker down, queue missing) is left out. Uses a channel of
   * its own, so a failed inspection never disturbs publishing or consuming.
   */
  async queueDepths(queues: string[]): Promise<Record<string, number>> {
    const depths: Record<string, number> = {};
    if (!this.isConnected()) {
      return depths;
    }
    if (!this.#inspector) {
      this.#inspector = this.#connection.createChannel({
        name: 'inspector',
        json: false,
      });
      this.#inspector.on('error', () => undefined);
    }
    const inspector = this.#inspector;
    for (const queue of queues) {
      try {
        depths[queue] = await withTimeout(async () => {
          await inspector.waitForConnect();
          return (await inspector.checkQueue(queue)).messageCount;
        }, 2000);
      } catch {
        // Reported by the next inspection that succeeds.
      }
    }
    return depths;
  }

  /** Stops every consumer; publishing still works. */
  async stopConsuming(): Promise<void> {
    await Promise.all(
      [...this.#consumers].map(c => c.cancelAll().catch(() => undefined)),
    );
  }

  /** Closes channels and the connection; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    await Promise.all(
      [...this.#consumers].map(c => c.close().catch(() => undefined)),
    );
    await this.#inspector?.close().catch(() => undefined);
    await this.#publisher.close().catch(() => undefined);
    await this.#connection.close();
  }

  async #publish(
    exchange: string,
    routingKey: string,
    message: ProvisionHubMessage,
    options?: PublishOptions,
  ): Promise<void> {
    const publishOptions: Options.Publish & { timeout: number } = {
      persistent: true,
      contentType: 'application/json',
      type: message.kind,
      messageId: 'runId' in message ? `${message.runId}` : undefined,
      headers: options?.headers,
      timeout: options?.timeoutMs ?? 30000,
    };
    await this.#publisher.publish(
      exchange,
      routingKey,
      Buffer.from(JSON.stringify(message)),
      publishOptions,
    );
  }
}

async function withTimeout<T>(fn: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
