import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, {
    service: config.serviceName,
    environment: config.environment,
  });
  const server = await startServer(config, logger);

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      error => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch(error => {
  process.stderr.write(`${JSON.stringify({ level: 'error', message: 'failed to start', error: String(error) })}\n`);
  process.exit(1);
});
