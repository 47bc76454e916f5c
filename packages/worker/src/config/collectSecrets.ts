import type { Config } from '@backstage/config';
import { gitCredentialSecrets } from '@provisionhub/plugin-provisionhub-node';

/** The user name git sends with a token of each `integrations:` type (HTTP Basic). */
export const GIT_USERNAMES = {
  github: 'x-access-token',
  gitlab: 'oauth2',
} as const;

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
 * Every credential the worker may touch: the AMQP password, the secrets of the
 * `integrations:` block (Git tokens, and the Basic form git sends them in) and of
 * `provisionhub.worker` (worker modules' settings), so logs, events and errors can be redacted.
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
  for (const [type, username] of Object.entries(GIT_USERNAMES)) {
    const entries = config.getOptional(`integrations.${type}`);
    for (const entry of Array.isArray(entries) ? entries : []) {
      const token = (entry as { token?: unknown } | null)?.token;
      if (typeof token === 'string' && token.trim()) {
        gitCredentialSecrets({
          baseUrl: '',
          username,
          token: token.trim(),
        }).forEach(secret => secrets.add(secret));
      }
    }
  }
  // Where worker modules keep their settings and credentials.
  visit(config.getOptional('provisionhub.worker'));
  return [...secrets];
}
