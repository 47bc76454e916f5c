import { WinstonLogger } from '@backstage/backend-defaults/rootLogger';
import type { RootLoggerService } from '@backstage/backend-plugin-api';

/**
 * Backstage's Winston logger (JSON in production, pretty otherwise; `LOG_LEVEL` honoured) that
 * redacts the given secrets from every line.
 * @public
 */
export function createWorkerLogger(
  secrets: readonly string[],
): RootLoggerService {
  const logger = WinstonLogger.create({
    meta: { service: 'provisionhub-worker' },
  });
  logger.addRedactions(secrets);
  return logger;
}
