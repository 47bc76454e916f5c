import {
  ProvisionHubMessageKind,
  validateMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  HEADER_DEAD_LETTERED_AT,
  HEADER_DEAD_LETTER_QUEUE,
  HEADER_DEAD_LETTER_REASON,
} from '@provisionhub/plugin-provisionhub-node';
import type { DeadLetterRecord } from '../database/RunStore';

/** A broker's `x-death` entry (RabbitMQ writes one per queue and reason). */
type Death = Record<string, unknown>;

const MAX_REASON = 2000;
const KINDS: readonly ProvisionHubMessageKind[] = [
  'run.requested',
  'job',
  'run.event',
  'run.cancel',
];
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** AMQP timestamps arrive as seconds since the epoch (amqplib) or as dates. */
function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) {
    return value.getTime();
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value < 1e12 ? value * 1000 : value;
  }
  const parsed = Date.parse(text(value) ?? '');
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * Broker deaths that count: a delay queue's expiry sends a job back to the jobs queue and is a
 * retry, not a death.
 */
function brokerDeaths(headers: Record<string, unknown>): Death[] {
  const deaths = headers['x-death'];
  if (!Array.isArray(deaths)) {
    return [];
  }
  return deaths.filter(
    (d): d is Death =>
      typeof d === 'object' &&
      d !== null &&
      text((d as Death).reason) !== 'expired',
  );
}

/**
 * The reason a consumer gave, or what the broker recorded (e.g. the delivery limit).
 * @internal
 */
export function deadLetterReason(headers: Record<string, unknown>): string {
  const given = text(headers[HEADER_DEAD_LETTER_REASON]);
  if (given !== undefined) {
    return given.slice(0, MAX_REASON);
  }
  const [death] = brokerDeaths(headers);
  if (death) {
    const count = Number(death.count);
    return `the broker dead-lettered it from ${
      text(death.queue) ?? 'a queue'
    } (${text(death.reason) ?? 'no reason given'}${
      count ? `, ${count} time(s)` : ''
    })`.slice(0, MAX_REASON);
  }
  const firstReason = text(headers['x-first-death-reason']);
  return firstReason
    ? `the broker dead-lettered it (${firstReason})`.slice(0, MAX_REASON)
    : 'no reason recorded';
}

/**
 * Describes a message taken from the dead-letter queue. Never throws: headers and body are
 * whatever the broker and the dead-lettering consumer put there, and a body that is not JSON (or
 * not a ProvisionHub message) is described as such.
 * @internal
 */
export function describeDeadLetter(
  raw: { content: Buffer; properties: { headers?: unknown } },
  receivedAt: Date,
): DeadLetterRecord {
  const headers = (
    typeof raw.properties.headers === 'object' && raw.properties.headers
      ? raw.properties.headers
      : {}
  ) as Record<string, unknown>;
  let body: unknown;
  try {
    body = JSON.parse(raw.content.toString('utf8'));
  } catch {
    body = undefined;
  }
  const fields = (
    typeof body === 'object' && body !== null ? body : {}
  ) as Record<string, unknown>;
  const deaths = brokerDeaths(headers);
  const consumerDeath = timeOf(headers[HEADER_DEAD_LETTERED_AT]);
  const times = [...deaths.map(d => timeOf(d.time)), consumerDeath].filter(
    (t): t is number => t !== undefined,
  );
  if (!times.length) {
    times.push(receivedAt.getTime());
  }
  const queue =
    text(headers[HEADER_DEAD_LETTER_QUEUE]) ??
    text(headers['x-first-death-queue']) ??
    text(deaths[0]?.queue) ??
    'unknown';
  const runId = text(fields.runId);
  const kind = text(fields.kind);
  return {
    queue: queue.slice(0, 255),
    reason: deadLetterReason(headers),
    kind: kind && SAFE_ID.test(kind) ? kind : undefined,
    valid: validateMessage(body, KINDS).ok,
    runId: runId && SAFE_ID.test(runId) ? runId : undefined,
    attempt: Number.isSafeInteger(fields.attempt)
      ? (fields.attempt as number)
      : undefined,
    bytes: raw.content.length,
    deaths:
      deaths.reduce((sum, d) => sum + (Number(d.count) || 1), 0) +
        (consumerDeath === undefined ? 0 : 1) || 1,
    firstDeathAt: new Date(Math.min(...times)).toISOString(),
    lastDeathAt: new Date(Math.max(...times)).toISOString(),
  };
}
