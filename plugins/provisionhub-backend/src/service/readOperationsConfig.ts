import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * The control plane's housekeeping settings (config.d.ts: `provisionhub.runs.noProgressTimeout`,
 * `provisionhub.runs.readsPerSecond`, `provisionhub.retention.maxAge`,
 * `provisionhub.upgrades.mergeCheckInterval`).
 * @internal
 */
export interface OperationsConfig {
  /** A `running` run without any change for this long is retried or failed. */
  noProgressTimeoutMs: number;
  /** Log lines and buffered events older than this are deleted. */
  retentionMs: number;
  /** How often upgrade merge requests (or branches) are asked whether they were merged. */
  mergeCheckIntervalMs: number;
  /** How many times a second one caller may read a run. */
  runReadsPerSecond: number;
}

const DEFAULTS: OperationsConfig = {
  noProgressTimeoutMs: 30 * 60_000,
  retentionMs: 90 * 24 * 3_600_000,
  mergeCheckIntervalMs: 5 * 60_000,
  runReadsPerSecond: 50,
};

function readDuration(
  config: Config,
  key: string,
  fallback: number,
  example: string,
): number {
  if (!config.has(key)) {
    return fallback;
  }
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (e) {
    throw new Error(`${key}: ${(e as Error).message}; write e.g. ${example}`);
  }
  if (!(ms > 0)) {
    throw new Error(`${key} must be longer than zero`);
  }
  return ms;
}

/** @internal */
export function readOperationsConfig(config: Config): OperationsConfig {
  return {
    noProgressTimeoutMs: readDuration(
      config,
      'provisionhub.runs.noProgressTimeout',
      DEFAULTS.noProgressTimeoutMs,
      '30m, PT30M or { minutes: 30 }',
    ),
    retentionMs: readDuration(
      config,
      'provisionhub.retention.maxAge',
      DEFAULTS.retentionMs,
      '90d, P90D or { days: 90 }',
    ),
    mergeCheckIntervalMs: readDuration(
      config,
      'provisionhub.upgrades.mergeCheckInterval',
      DEFAULTS.mergeCheckIntervalMs,
      '5m, PT5M or { minutes: 5 }',
    ),
    runReadsPerSecond: readRate(
      config,
      'provisionhub.runs.readsPerSecond',
      DEFAULTS.runReadsPerSecond,
    ),
  };
}

function readRate(config: Config, key: string, fallback: number): number {
  const rate = config.getOptionalNumber(key) ?? fallback;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new Error(`${key} must be a number above zero, e.g. ${fallback}`);
  }
  return rate;
}
