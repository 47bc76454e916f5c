/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  serviceName: string;
  environment: string;
  /** Includes credentials: never log it. */
  amqpUrl: string;
  exchange: string;
  queue: string;
  bindingKey: string;
  prefetch: number;
  deliveryLimit: number;
  /** Port of ${{ values.healthPath }} and /metrics. */
  port: number;
  logLevel: LogLevel;
  /** How long in-flight messages may take to finish after SIGTERM. */
  shutdownTimeoutMs: number;
}

/**
 * Reads the configuration from environment variables (in Kubernetes: the ConfigMap
 * `${{ name }}-config` and the Secret `${{ name }}-secrets`, which holds AMQP_URL). Throws an error
 * naming the variable when a value is missing or unusable, so a bad deployment fails at start with
 * a clear message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const amqpUrl = env.AMQP_URL;
  if (!amqpUrl || !/^amqps?:\/\//.test(amqpUrl)) {
    throw new Error('AMQP_URL must be set to the broker URL, e.g. amqp://user:password@rabbitmq:5672/vhost');
  }
  const queue = env.QUEUE || '${{ name }}';
  return {
    serviceName: env.SERVICE_NAME || '${{ name }}',
    environment: env.ENVIRONMENT || 'local',
    amqpUrl,
    exchange: env.EXCHANGE || '${{ values.exchange or system }}',
    queue,
    bindingKey: env.BINDING_KEY || '${{ values.bindingKey or (name + ".#") }}',
    prefetch: readInteger(env, 'PREFETCH', ${{ values.prefetch }}, 1, 1000),
    deliveryLimit: readInteger(env, 'DELIVERY_LIMIT', ${{ values.deliveryLimit }}, 1, 1000),
    port: readInteger(env, 'PORT', ${{ values.port }}, 0, 65535),
    logLevel: readLogLevel(env.LOG_LEVEL),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 25000, 0, 300000),
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
