import type { LoggerService } from '@backstage/backend-plugin-api';
import { validateMessage } from '@provisionhub/plugin-provisionhub-common';
import {
  BrokerConsumer,
  HEADER_DEAD_LETTER_QUEUE,
  ProvisionHubBroker,
} from '@provisionhub/plugin-provisionhub-node';
import type { RunStore } from '../database/RunStore';
import type { ControlPlaneMetrics } from './ControlPlaneMetrics';
import { deadLetterReason, describeDeadLetter } from './describeDeadLetter';
import type { OutboxRelay } from './OutboxRelay';
import type { RunEventApplier } from './RunEventApplier';
import type { RunService } from './RunService';

type RawMessage = Parameters<
  Parameters<ProvisionHubBroker['consumeRaw']>[1]
>[0];

/**
 * The control plane's side of RabbitMQ: consumes run requests, run events (in delivery order, in
 * batches), dead-letter notices (they fail runs) and the dead-letter queue (moved into the store
 * for the dead-letter console), and runs the outbox relay. Started on plugin start, stopped on
 * shutdown.
 * @internal
 */
export class RunPipeline {
  readonly #broker: ProvisionHubBroker;
  readonly #runs: RunService;
  readonly #events: RunEventApplier;
  readonly #relay: OutboxRelay;
  readonly #store: RunStore;
  readonly #logger: LoggerService;
  readonly #metrics?: Pick<ControlPlaneMetrics, 'eventsApplied'>;
  #consumers: BrokerConsumer[] = [];

  constructor(options: {
    broker: ProvisionHubBroker;
    runs: RunService;
    events: RunEventApplier;
    relay: OutboxRelay;
    store: RunStore;
    logger: LoggerService;
    metrics?: Pick<ControlPlaneMetrics, 'eventsApplied'>;
  }) {
    this.#broker = options.broker;
    this.#runs = options.runs;
    this.#events = options.events;
    this.#relay = options.relay;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
  }

  async start(): Promise<void> {
    const { names } = this.#broker;
    this.#relay.start();
    this.#consumers = await Promise.all([
      this.#broker.consume(
        names.requestsQueue,
        ['run.requested'],
        async message => {
          await this.#runs.handleRequestedMessage(message);
        },
        { prefetch: 10, serial: true },
      ),
      // Events that arrive while a batch is applied form the next batch: one transaction each.
      this.#broker.consumeBatches(
        names.eventsQueue,
        ['run.event'],
        async batch => {
          const started = performance.now();
          const applied = await this.#events.applyAll(
            batch.map(({ message }) => message),
          );
          this.#metrics?.eventsApplied(
            applied,
            (performance.now() - started) / 1000,
          );
        },
        { prefetch: 500, maxBatch: 250 },
      ),
      this.#broker.consumeRaw(
        names.deadLetterNoticesQueue,
        async raw => {
          await this.#handleDeadLetter(raw);
        },
        { prefetch: 10, serial: true },
      ),
      // Acknowledged once stored: the database is where operators see, re-drive and purge them.
      this.#broker.consumeRaw(
        names.deadLetterQueue,
        async raw => {
          await this.#store.recordDeadLetter(
            describeDeadLetter(raw, new Date()),
          );
        },
        { prefetch: 10, serial: true },
      ),
    ]);
    this.#logger.info(
      `Consuming ${names.requestsQueue}, ${names.eventsQueue}, ${names.deadLetterNoticesQueue} and ${names.deadLetterQueue}`,
    );
  }

  /** Stops consuming, lets handlers in progress finish, then stops the relay. */
  async stop(): Promise<void> {
    const consumers = this.#consumers;
    this.#consumers = [];
    await Promise.all(consumers.map(c => c.cancel().catch(() => undefined)));
    await Promise.all(consumers.map(c => c.drain()));
    await this.#relay.stop();
  }

  async #handleDeadLetter(raw: RawMessage) {
    const headers = (raw.properties.headers ?? {}) as Record<string, unknown>;
    let body: unknown;
    try {
      body = JSON.parse(raw.content.toString('utf8'));
    } catch {
      body = undefined;
    }
    const parsed = validateMessage(body, ['job'] as const);
    const reason = deadLetterReason(headers);
    if (parsed.ok) {
      await this.#runs.failDeadLetteredJob(parsed.message, reason);
      return;
    }
    const kind = (body as { kind?: unknown } | undefined)?.kind;
    this.#logger.warn(
      `A ${
        typeof kind === 'string' ? kind : 'non-ProvisionHub'
      } message was dead-lettered from ${
        headers[HEADER_DEAD_LETTER_QUEUE] ?? 'a queue'
      }: ${reason}`,
    );
  }
}
