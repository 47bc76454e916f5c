import { connectWithRetry } from './broker.js';
import { loadConfig } from './config.js';
import { startConsumer } from './consumer.js';
import { startHealthServer } from './health.js';
import { createLogger } from './logger.js';
import { Stats } from './stats.js';
import { declareTopology } from './topology.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, {
    service: config.serviceName,
    environment: config.environment,
  });
  const stats = new Stats();
  const health = await startHealthServer(config.port, stats);

  const connection = await connectWithRetry(config.amqpUrl, logger);
  const channel = await connection.createChannel();
  await declareTopology(channel, config);
  const consumer = await startConsumer({ channel, config, logger, stats });

  let shuttingDown = false;
  // A lost broker connection ends the process; Kubernetes starts a fresh one that reconnects.
  connection.on('close', () => {
    if (!shuttingDown) {
      logger.error('lost the broker connection, exiting');
      process.exit(1);
    }
  });
  connection.on('error', error => logger.error('broker connection error', { error: String(error) }));

  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    logger.info('shutting down', { signal });
    consumer
      .stop()
      .then(() => channel.close())
      .then(() => connection.close())
      .then(() => health.close())
      .then(
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
