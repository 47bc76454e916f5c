import type { Config } from '@backstage/config';
import {
  DEFAULT_RUN_ROUTE,
  runPageUrl,
} from '@provisionhub/plugin-provisionhub-common';
import { DEFAULT_RENDER_LIMITS } from './render/RenderSandbox';
import type { RenderLimits } from './render/types';

/** @public */
export interface AmqpOptions {
  url: string;
  prefix: string;
  maxMessageBytes: number;
}

/** @public */
export interface RetryOptions {
  maxAttempts: number;
  initialMs: number;
  maxMs: number;
}

/** @public */
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@localhost:5672';

/**
 * Reads `provisionhub.amqp`, the one place every package gets its broker settings from.
 * @public
 */
export function readAmqpOptions(config: Config): AmqpOptions {
  const amqp = config.getOptionalConfig('provisionhub.amqp');
  const prefix = amqp?.getOptionalString('prefix') ?? 'provisionhub';
  if (!/^[a-zA-Z0-9_.-]+$/.test(prefix)) {
    throw new Error(
      `provisionhub.amqp.prefix '${prefix}' may only contain letters, digits, '.', '_' and '-'`,
    );
  }
  return {
    url: amqp?.getOptionalString('url') ?? DEFAULT_AMQP_URL,
    prefix,
    maxMessageBytes: amqp?.getOptionalNumber('maxMessageBytes') ?? 1024 * 1024,
  };
}

/**
 * Reads `provisionhub.runs`: attempts and backoff shared by the control plane and the worker.
 * @public
 */
export function readRetryOptions(config: Config): RetryOptions {
  const runs = config.getOptionalConfig('provisionhub.runs');
  const options = {
    maxAttempts: runs?.getOptionalNumber('maxAttempts') ?? 5,
    initialMs: runs?.getOptionalNumber('backoff.initialMs') ?? 1000,
    maxMs: runs?.getOptionalNumber('backoff.maxMs') ?? 60000,
  };
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) {
    throw new Error(
      `provisionhub.runs.maxAttempts must be a whole number of at least 1, got ${options.maxAttempts}`,
    );
  }
  if (options.initialMs <= 0 || options.maxMs < options.initialMs) {
    throw new Error(
      'provisionhub.runs.backoff needs 0 < initialMs <= maxMs (milliseconds)',
    );
  }
  return options;
}

/**
 * Reads `provisionhub.render`: the time and output limits of one blueprint render, shared by the
 * worker and the control plane's dry run.
 * @public
 */
export function readRenderLimits(config: Config): RenderLimits {
  const render = config.getOptionalConfig('provisionhub.render');
  const limits = {
    timeoutMs:
      render?.getOptionalNumber('timeoutMs') ?? DEFAULT_RENDER_LIMITS.timeoutMs,
    maxOutputBytes:
      render?.getOptionalNumber('maxOutputBytes') ??
      DEFAULT_RENDER_LIMITS.maxOutputBytes,
  };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(
        `provisionhub.render.${key} must be a whole number above 0, got ${value}`,
      );
    }
  }
  return limits;
}

/**
 * The links to run pages every backend part produces (notifications, scaffolder action outputs
 * and logs, the actions registry): `app.baseUrl` followed by `provisionhub.routes.run` (default
 * `/provisionhub/runs/:id`), so they follow wherever the portal mounts the run page. Without
 * `app.baseUrl` the links are paths.
 * @public
 */
export function readRunPageUrl(config: Config): (runId: string) => string {
  const route =
    config.getOptionalString('provisionhub.routes.run') ?? DEFAULT_RUN_ROUTE;
  if (!/^\/[^?#\s]*:id(?![\w])/.test(route)) {
    throw new Error(
      `provisionhub.routes.run must be a path that starts with / and contains :id, e.g. ${DEFAULT_RUN_ROUTE}; got '${route}'`,
    );
  }
  const appBaseUrl = config.getOptionalString('app.baseUrl') ?? '';
  return runId => runPageUrl(appBaseUrl, runId, route);
}

/**
 * The delay before attempt `nextAttempt` (2 or more): initialMs doubled per attempt, capped at maxMs.
 * @public
 */
export function backoffDelayMs(
  nextAttempt: number,
  retry: RetryOptions,
): number {
  const exponent = Math.min(Math.max(0, nextAttempt - 2), 30);
  return Math.min(retry.initialMs * 2 ** exponent, retry.maxMs);
}

/**
 * Every distinct delay the backoff can produce, up to the cap; one delay queue exists per value.
 * @public
 */
export function backoffDelays(retry: RetryOptions): number[] {
  const delays: number[] = [];
  for (let attempt = 2; ; attempt++) {
    const delay = backoffDelayMs(attempt, retry);
    delays.push(delay);
    if (delay >= retry.maxMs || attempt > 32) {
      return delays;
    }
  }
}
