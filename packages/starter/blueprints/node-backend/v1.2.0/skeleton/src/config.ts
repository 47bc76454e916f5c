/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  serviceName: string;
  system: string;
  environment: string;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** How long in-flight requests may take to finish after SIGTERM. */
  shutdownTimeoutMs: number;
}

/**
 * Reads the configuration from environment variables (in Kubernetes they come from the ConfigMap
 * `${{ name }}-config` and the optional Secret `${{ name }}-secrets`). Throws an error naming the
 * variable when a value is unusable, so a bad deployment fails at start with a clear message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    serviceName: env.SERVICE_NAME || '${{ name }}',
    system: env.SYSTEM || '${{ system }}',
    environment: env.ENVIRONMENT || 'local',
    host: env.HOST || '0.0.0.0',
    port: readInteger(env, 'PORT', ${{ values.port }}, 0, 65535),
    logLevel: readLogLevel(env.LOG_LEVEL),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 120000),
  };
}

function readInteger(
  env: NodeJS.ProcessEnv,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[key];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${key} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function readLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') {
    return '${{ values.logLevel }}';
  }
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${raw}'`);
  }
  return raw as LogLevel;
}
