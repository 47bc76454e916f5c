import type { Channel } from 'amqplib';

/**
 * Names of every exchange and queue, derived from one prefix so that several installations
 * (or test runs) can share a broker.
 * @public
 */
export interface TopologyNames {
  /** Topic exchange for `run.requested`, `job` and `run.event`. */
  exchange: string;
  requestsQueue: string;
  jobsQueue: string;
  eventsQueue: string;
  /** Fanout exchange every dead letter goes through. */
  deadLetterExchange: string;
  /** Keeps dead letters for operators. */
  deadLetterQueue: string;
  /** The control plane's copy of every dead letter, so it can fail the run. */
  deadLetterNoticesQueue: string;
  /** Fanout exchange for `run.cancel`, one exclusive queue per worker. */
  controlExchange: string;
  delayQueue(delayMs: number): string;
  controlQueue(workerId: string): string;
}

/** @public */
export const ROUTING_KEYS = {
  'run.requested': 'run.requested',
  job: 'job',
  'run.event': 'run.event',
} as const;

/** @public */
export function topologyNames(prefix: string): TopologyNames {
  return {
    exchange: prefix,
    requestsQueue: `${prefix}.requests`,
    jobsQueue: `${prefix}.jobs`,
    eventsQueue: `${prefix}.events`,
    deadLetterExchange: `${prefix}.dlx`,
    deadLetterQueue: `${prefix}.dead-letter`,
    deadLetterNoticesQueue: `${prefix}.dead-letter.notices`,
    controlExchange: `${prefix}.control`,
    delayQueue: delayMs => `${prefix}.jobs.delay.${delayMs}ms`,
    controlQueue: workerId => `${prefix}.control.${workerId}`,
  };
}

/**
 * How often a message may be redelivered (consumer crashed or requeued it) before the broker
 * dead-letters it. Jobs get few: a job that kills its worker every time must not loop forever.
 */
const DELIVERY_LIMITS = { requests: 20, jobs: 5, events: 50 };

function quorum(
  names: TopologyNames,
  deliveryLimit: number,
  extra: object = {},
) {
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': names.deadLetterExchange,
      ...extra,
    },
  };
}

/**
 * Declares the whole topology; idempotent, run by every process on every (re)connect.
 *
 * @param delays - the retry delays in milliseconds; one delay queue is declared for each
 * @public
 */
export async function assertTopology(
  channel: Channel,
  names: TopologyNames,
  delays: number[],
): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  await channel.assertExchange(names.deadLetterExchange, 'fanout', {
    durable: true,
  });
  await channel.assertExchange(names.controlExchange, 'fanout', {
    durable: true,
  });

  await channel.assertQueue(
    names.requestsQueue,
    quorum(names, DELIVERY_LIMITS.requests),
  );
  await channel.bindQueue(
    names.requestsQueue,
    names.exchange,
    ROUTING_KEYS['run.requested'],
  );
  await channel.assertQueue(
    names.jobsQueue,
    quorum(names, DELIVERY_LIMITS.jobs),
  );
  await channel.bindQueue(names.jobsQueue, names.exchange, ROUTING_KEYS.job);
  // One active consumer keeps run events in publish order across control-plane replicas.
  await channel.assertQueue(
    names.eventsQueue,
    quorum(names, DELIVERY_LIMITS.events, { 'x-single-active-consumer': true }),
  );
  await channel.bindQueue(
    names.eventsQueue,
    names.exchange,
    ROUTING_KEYS['run.event'],
  );

  await channel.assertQueue(names.deadLetterQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, '');
  await channel.assertQueue(names.deadLetterNoticesQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(
    names.deadLetterNoticesQueue,
    names.deadLetterExchange,
    '',
  );

  // Retries wait in a queue whose TTL equals the delay, then dead-letter back to the jobs queue.
  // A queue per delay (not per-message TTL) so a short delay never waits behind a long one.
  for (const delay of delays) {
    await channel.assertQueue(names.delayQueue(delay), {
      durable: true,
      arguments: {
        'x-message-ttl': delay,
        'x-dead-letter-exchange': names.exchange,
        'x-dead-letter-routing-key': ROUTING_KEYS.job,
      },
    });
  }
}
