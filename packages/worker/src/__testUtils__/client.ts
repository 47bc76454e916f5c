import { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
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
