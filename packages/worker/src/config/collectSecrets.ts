import type { Config } from '@backstage/config';

/** Keys under `integrations:` whose values are credentials. */
const SECRET_KEYS = new Set([
  'token',
  'password',
  'appPassword',
  'apiToken',
  'privateKey',
  'clientSecret',
  'webhookSecret',
  'commitSigningKey',
]);

/**
 * Every credential the worker may touch: the AMQP password and the secrets of the
 * `integrations:` block (Git tokens) and of `provisionhub.worker` (worker modules' settings),
 * so logs, events and errors can be redacted.
 */
export function collectSecrets(config: Config, amqpUrl: string): string[] {
  const secrets = new Set<string>();
  try {
    const password = decodeURIComponent(new URL(amqpUrl).password);
    // RabbitMQ's default guest/guest is public, and hiding 'guest' would mangle refs such as
    // user:default/guest in every log line.
    if (password && password !== 'guest') {
      secrets.add(password);
    }
  } catch {
    // Not a URL: the broker will refuse it with a clear message; nothing to redact.
  }
  const visit = (value: unknown, key?: string) => {
    if (typeof value === 'string') {
      if (key && SECRET_KEYS.has(key) && value.trim()) {
        secrets.add(value.trim());
      }
    } else if (Array.isArray(value)) {
      value.forEach(v => visit(v));
    } else if (value && typeof value === 'object') {
      Object.entries(value).forEach(([k, v]) => visit(v, k));
    }
  };
  visit(config.getOptional('integrations'));
  // Where worker modules keep their settings and credentials.
  visit(config.getOptional('provisionhub.worker'));
  return [...secrets];
}
