import { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { WorkerConfig } from '../config';
import type { TestBroker } from '@provisionhub/test-utils';
import { EventCollector } from './events';
import { createCapturingLogger } from './logger';

/**
 * The control plane's side of a test: a broker client on the test's vhost that publishes jobs,
 * and the run events it receives.
 */
export async function startTestClient(
  broker: Pick<TestBroker, 'url' | 'prefix'>,
  connectionName: string,
): Promise<{ client: ProvisionHubBroker; events: EventCollector }> {
  const client = ProvisionHubBroker.create({
    amqp: {
      url: broker.url,
      prefix: broker.prefix,
      maxMessageBytes: 1024 * 1024,
    },
    retry: { maxAttempts: 3, initialMs: 100, maxMs: 200 },
    logger: createCapturingLogger(),
    connectionName,
  });
  await client.ready();
  return { client, events: await EventCollector.start(client) };
}

/** The same, with the broker settings of a worker's test config (what the worker under test reads). */
export async function startClientFor(
  config: Pick<WorkerConfig, 'amqp' | 'retry'>,
  logger: LoggerService,
  connectionName: string,
): Promise<{ client: ProvisionHubBroker; events: EventCollector }> {
  const client = ProvisionHubBroker.create({
    amqp: config.amqp,
    retry: config.retry,
    logger,
    connectionName,
  });
  await client.ready();
  return { client, events: await EventCollector.start(client) };
}
