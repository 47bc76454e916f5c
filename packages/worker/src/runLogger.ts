import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { redactSecrets } from '@provisionhub/plugin-provisionhub-node';
import type { RunEventPublisher } from './events/RunEventPublisher';

/**
 * A LoggerService for a step. Lines go to the run's log (batched `log` events) at their level,
 * debug lines excepted. The worker's own log keeps warnings and errors, and takes step info at
 * debug level: its one info line per run is the outcome `runJob` writes. Secrets are redacted.
 */
export function createRunLogger(
  logger: LoggerService,
  events: RunEventPublisher,
  step: string,
  secrets: readonly string[],
): LoggerService {
  const line =
    (level: 'error' | 'warn' | 'info') =>
    (message: string, meta?: Error | JsonObject) => {
      const safe = redactSecrets(message, secrets);
      logger[level === 'info' ? 'debug' : level](safe, meta as JsonObject);
      events.log(level, safe, step);
    };
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: (message, meta) =>
      logger.debug(redactSecrets(message, secrets), meta as JsonObject),
    child: meta => createRunLogger(logger.child(meta), events, step, secrets),
  };
}
