import type {
  JobMessage,
  RunEventMessage,
} from '@provisionhub/plugin-provisionhub-common';
import type {
  BrokerConsumer,
  ProvisionHubBroker,
} from '@provisionhub/plugin-provisionhub-node';
import { waitUntil } from '@provisionhub/test-utils';

/**
 * Reads the events queue the way the control plane does (through the real broker client, so
 * every event is schema-checked) and keeps them per run.
 */
export class EventCollector {
  readonly all: RunEventMessage[] = [];
  #consumer?: BrokerConsumer;

  static async start(broker: ProvisionHubBroker): Promise<EventCollector> {
    const collector = new EventCollector();
    collector.#consumer = await broker.consume(
      broker.names.eventsQueue,
      ['run.event'],
      async message => {
        collector.all.push(message);
      },
      { prefetch: 100, serial: true },
    );
    return collector;
  }

  forRun(runId: string): RunEventMessage[] {
    return this.all.filter(e => e.runId === runId);
  }

  /** Waits for an event of the run of the given type (and matching `where`). */
  waitFor(
    runId: string,
    type: RunEventMessage['event']['type'],
    where: (e: RunEventMessage) => boolean = () => true,
    timeoutMs = 30000,
  ): Promise<RunEventMessage> {
    return waitUntil(
      () => this.forRun(runId).find(e => e.event.type === type && where(e)),
      { timeoutMs, what: `a ${type} event of run ${runId}` },
    );
  }

  /** The run.succeeded or run.failed event of one attempt of a job. */
  waitForEnd(
    job: Pick<JobMessage, 'runId' | 'attempt'>,
  ): Promise<RunEventMessage> {
    return waitUntil(
      () =>
        this.forRun(job.runId).find(
          e =>
            e.attempt === job.attempt &&
            (e.event.type === 'run.succeeded' || e.event.type === 'run.failed'),
        ),
      { timeoutMs: 30000, what: `the end of run ${job.runId}` },
    );
  }

  async close() {
    await this.#consumer?.cancel();
    await this.#consumer?.drain();
  }
}

/** The event types of one execution in order, logs left out. */
export function eventTypes(events: RunEventMessage[]): string[] {
  return events
    .filter(e => e.event.type !== 'log')
    .map(e => {
      const event = e.event as { type: string; step?: string; status?: string };
      return event.type.startsWith('step.')
        ? [event.type, event.step, event.status].filter(Boolean).join(':')
        : event.type;
    });
}
