import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import amqplib from 'amqplib';

/**
 * The test's own view of the broker vhost: a ProvisionHubBroker (declares the topology and
 * publishes like the scaffolder module and the worker do) and a raw channel to inspect queues.
 */
export async function connectTestBroker(
  broker: { url: string; prefix: string },
  logger: LoggerService = mockServices.logger.mock(),
) {
  const client = ProvisionHubBroker.create({
    amqp: {
      url: broker.url,
      prefix: broker.prefix,
      maxMessageBytes: 1024 * 1024,
    },
    retry: { maxAttempts: 3, initialMs: 100, maxMs: 200 },
    logger,
    connectionName: 'provisionhub-backend-test',
  });
  await client.ready();
  const connection = await amqplib.connect(broker.url);
  const channel = await connection.createChannel();
  return {
    client,
    channel,
    /** Messages waiting in a queue. */
    async depth(queue: string) {
      return (await channel.checkQueue(queue)).messageCount;
    },
    /** Takes every job waiting on the jobs queue. */
    async takeJobs(): Promise<JobMessage[]> {
      const jobs: JobMessage[] = [];
      for (;;) {
        const message = await channel.get(client.names.jobsQueue, {
          noAck: false,
        });
        if (!message) {
          return jobs;
        }
        jobs.push(JSON.parse(message.content.toString('utf8')));
        channel.ack(message);
      }
    },
    async close() {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await client.close();
    },
  };
}

export type TestBrokerClient = Awaited<ReturnType<typeof connectTestBroker>>;
