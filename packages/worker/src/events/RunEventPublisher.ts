import type {
  JobMessage,
  LogLevel,
  RunEventBody,
  RunEventLogLine,
  RunEventMessage,
} from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import { redactDeep } from '../redaction';

/** The events schema caps one log message at this many characters. */
const MAX_LOG_MESSAGE = 16000;

/** @public */
export interface RunEventPublisherOptions {
  /** Log lines wait at most this long before they are sent. */
  flushIntervalMs?: number;
  /** Log lines are sent as soon as this many are waiting. */
  maxBatch?: number;
}

/**
 * The events of one delivery of one job, numbered `seq` 1, 2, 3… in the order they happen.
 * Publishes are pipelined on the broker's confirm channel (which keeps their order) and
 * {@link RunEventPublisher.settled} waits for every confirm, so a job is acknowledged only
 * after all of its events are safely in the broker. Log lines are batched; any other event
 * first flushes the waiting lines, so they keep their place in the sequence.
 * @public
 */
export class RunEventPublisher {
  readonly #broker: Pick<ProvisionHubBroker, 'publishEvent'>;
  readonly #job: JobMessage;
  readonly #delivery: number;
  readonly #secrets: readonly string[];
  readonly #flushIntervalMs: number;
  readonly #maxBatch: number;
  readonly #pending = new Set<Promise<void>>();
  #lines: RunEventLogLine[] = [];
  #timer?: NodeJS.Timeout;
  #seq = 0;
  #failure?: Error;

  constructor(
    broker: Pick<ProvisionHubBroker, 'publishEvent'>,
    job: JobMessage,
    delivery: number,
    secrets: readonly string[],
    options: RunEventPublisherOptions = {},
  ) {
    this.#broker = broker;
    this.#job = job;
    this.#delivery = delivery;
    this.#secrets = secrets;
    this.#flushIntervalMs = options.flushIntervalMs ?? 200;
    this.#maxBatch = options.maxBatch ?? 100;
  }

  emit(event: RunEventBody): void {
    if (event.type !== 'log') {
      this.flushLogs();
    }
    const message: RunEventMessage = {
      kind: 'run.event',
      version: 1,
      runId: this.#job.runId,
      attempt: this.#job.attempt,
      delivery: this.#delivery,
      seq: ++this.#seq,
      at: new Date().toISOString(),
      event: redactDeep(event, this.#secrets),
    };
    const publish = this.#broker.publishEvent(message).catch(error => {
      this.#failure ??= error;
    });
    this.#pending.add(publish);
    publish.finally(() => this.#pending.delete(publish));
  }

  log(level: LogLevel, message: string, step?: string): void {
    this.#lines.push({
      at: new Date().toISOString(),
      ...(step ? { step } : {}),
      level,
      message:
        message.length > MAX_LOG_MESSAGE
          ? `${message.slice(0, MAX_LOG_MESSAGE)}…`
          : message,
    });
    if (this.#lines.length >= this.#maxBatch) {
      this.flushLogs();
    } else {
      this.#timer ??= setTimeout(() => this.flushLogs(), this.#flushIntervalMs);
    }
  }

  flushLogs(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#lines.length > 0) {
      const lines = this.#lines;
      this.#lines = [];
      this.emit({ type: 'log', lines });
    }
  }

  /** How many events were numbered so far. */
  get seq(): number {
    return this.#seq;
  }

  /**
   * Flushes waiting log lines and resolves when the broker confirmed every event; rejects with
   * the first publish failure (the caller then leaves the delivery to be redelivered).
   */
  async settled(): Promise<void> {
    this.flushLogs();
    while (this.#pending.size > 0) {
      await Promise.all([...this.#pending]);
    }
    if (this.#failure) {
      throw this.#failure;
    }
  }
}
