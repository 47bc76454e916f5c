import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  JobMessage,
  RunCancelMessage,
} from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import { randomUUID } from 'node:crypto';
import type { OutboxEntry, OutboxTopic, RunStore } from '../database/RunStore';

/** @internal */
export interface OutboxRelayOptions {
  store: RunStore;
  broker: Pick<
    ProvisionHubBroker,
    'publishJob' | 'publishCancel' | 'isConnected'
  >;
  logger: LoggerService;
  /** How often rows left behind (broker down, crash) are looked for. Default 1 s. */
  pollIntervalMs?: number;
  /** How long a claimed row is reserved for its publisher. Default 30 s. */
  leaseMs?: number;
  /** Publish confirm timeout; must be well below the lease. Default 10 s. */
  publishTimeoutMs?: number;
}

/**
 * Publishes outbox rows to RabbitMQ after the transaction that wrote them committed. Rows are
 * created already leased to this relay, so the publish right after commit needs no extra
 * round trip; a poll claims rows whose publisher failed or died, with a lease, so that several
 * control-plane replicas never publish the same row at the same time. A row is deleted only
 * after the broker confirmed it.
 * @internal
 */
export class OutboxRelay {
  readonly #store: RunStore;
  readonly #broker: OutboxRelayOptions['broker'];
  readonly #logger: LoggerService;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #publishTimeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  #stopped = false;

  constructor(options: OutboxRelayOptions) {
    this.#store = options.store;
    this.#broker = options.broker;
    this.#logger = options.logger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  }

  /** A lease to create rows with; see {@link RunStoreTransaction.enqueueOutbox}. */
  newLease(): { token: string; until: string } {
    return {
      token: randomUUID(),
      until: new Date(Date.now() + this.#leaseMs).toISOString(),
    };
  }

  /** Publishes rows the caller just committed under its own lease. Never throws. */
  publishNow(entries: OutboxEntry[]): void {
    const task = this.#publishAll(entries);
    this.#inFlight.add(task);
    task.finally(() => this.#inFlight.delete(task));
  }

  start(): void {
    this.#stopped = false;
    const tick = () => {
      this.#timer = setTimeout(async () => {
        this.#polling = this.poll();
        await this.#polling;
        if (!this.#stopped) {
          tick();
        }
      }, this.#pollIntervalMs);
    };
    tick();
  }

  /** Stops polling and waits for publishes in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#polling;
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Claims and publishes every row that is not leased. */
  async poll(): Promise<void> {
    if (!this.#broker.isConnected()) {
      return;
    }
    try {
      for (;;) {
        const entries = await this.#store.claimOutbox({
          token: randomUUID(),
          leaseMs: this.#leaseMs,
          limit: 100,
        });
        if (!entries.length) {
          return;
        }
        this.#logger.info(
          `Publishing ${entries.length} outbox message(s) left from earlier`,
        );
        if (!(await this.#publishAll(entries))) {
          return;
        }
      }
    } catch (error) {
      this.#logger.warn(
        `Outbox poll failed, retrying in ${this.#pollIntervalMs} ms: ${
          (error as Error).message
        }`,
      );
    }
  }

  /** @returns false when publishing stopped at a failure */
  async #publishAll(entries: OutboxEntry[]): Promise<boolean> {
    for (const [index, entry] of entries.entries()) {
      try {
        if (!this.#broker.isConnected()) {
          throw new Error('not connected to RabbitMQ');
        }
        await this.#publish(entry.topic, entry.payload);
      } catch (error) {
        const message = (error as Error).message;
        this.#logger.warn(
          `Could not publish outbox message ${entry.id} (${entry.topic}${
            entry.runId ? ` of run ${entry.runId}` : ''
          }); it stays in the outbox and is retried: ${message}`,
        );
        await Promise.all(
          entries
            .slice(index)
            .map(e =>
              this.#store.releaseOutbox(e.id, message).catch(() => undefined),
            ),
        );
        return false;
      }
      try {
        await this.#store.deleteOutbox(entry.id);
      } catch (error) {
        // Published but not deleted: the lease expires and the row is published again. Workers
        // and consumers tolerate the duplicate (the run's event cursor drops stale executions).
        this.#logger.warn(
          `Could not delete published outbox message ${entry.id}: ${
            (error as Error).message
          }`,
        );
      }
    }
    return true;
  }

  #publish(topic: OutboxTopic, payload: object) {
    const options = { timeoutMs: this.#publishTimeoutMs };
    if (topic === 'job') {
      return this.#broker.publishJob(payload as JobMessage, options);
    }
    return this.#broker.publishCancel(
      (payload as RunCancelMessage).runId,
      options,
    );
  }
}
