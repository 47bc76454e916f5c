import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { createTestBroker, waitUntil } from '@provisionhub/test-utils';
import amqplib from 'amqplib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { scaffolderModuleProvisionHub } from './module';

const CONNECTION_NAME = 'backstage-scaffolder-provisionhub';

/** Names of the client connections RabbitMQ has open on a vhost. */
async function connectionsOn(vhost: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('rabbitmqctl', [
    'list_connections',
    '-q',
    '--formatter',
    'json',
    'vhost',
    'client_properties',
  ]);
  const rows = JSON.parse(stdout) as Array<{
    vhost: string;
    client_properties: unknown[];
  }>;
  return rows
    .filter(row => row.vhost === vhost)
    .map(row => {
      const name = row.client_properties.find(
        p => Array.isArray(p) && p[0] === 'connection_name',
      ) as [string, string, string] | undefined;
      return name?.[2] ?? '';
    });
}

// Starting a backend with the scaffolder takes 6 s on a busy 2-core machine.
jest.setTimeout(30000);

describe('scaffolderModuleProvisionHub', () => {
  let testBroker: Awaited<ReturnType<typeof createTestBroker>>;

  beforeAll(async () => {
    testBroker = await createTestBroker();
  }, 30000);

  afterAll(async () => {
    await testBroker.remove();
  }, 30000);

  it('adds the actions, connects one broker with the topology, and closes it on shutdown', async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleProvisionHub,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.example.com' },
            provisionhub: {
              amqp: { url: testBroker.url, prefix: testBroker.prefix },
            },
          },
        }),
      ],
    });

    const response = await request(backend.server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    const actions = (
      response.body as Array<{ id: string; schema: any; examples: unknown[] }>
    ).filter(a => a.id.startsWith('provisionhub:'));
    expect(actions.map(a => a.id).sort()).toEqual([
      'provisionhub:component:create',
      'provisionhub:run:wait',
      'provisionhub:system:create',
    ]);
    for (const action of actions) {
      expect(action.examples.length).toBeGreaterThan(0);
      for (const part of ['input', 'output']) {
        const fields = Object.entries(
          action.schema[part].properties as Record<
            string,
            { description?: string }
          >,
        );
        expect(
          fields
            .filter(([, field]) => !field.description)
            .map(([name]) => `${action.id} ${part} ${name}`),
        ).toEqual([]);
      }
    }
    const component = actions.find(
      a => a.id === 'provisionhub:component:create',
    )!;
    expect(component.schema.input.required.sort()).toEqual([
      'blueprint',
      'name',
      'owner',
      'system',
    ]);

    // The broker declares the topology on its vhost once connected, so requests have a queue.
    const connection = await amqplib.connect(testBroker.url);
    const requestsQueue = await waitUntil(
      async () => {
        // A failed check closes the channel, so every attempt gets a new one.
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        const queue = await channel.checkQueue(`${testBroker.prefix}.requests`);
        await channel.close();
        return queue;
      },
      { what: 'the requests queue to be declared', intervalMs: 100 },
    );
    expect(requestsQueue.messageCount).toBe(0);
    await connection.close();
    expect(await connectionsOn(testBroker.vhost)).toContain(CONNECTION_NAME);

    await backend.stop();

    await waitUntil(
      async () =>
        !(await connectionsOn(testBroker.vhost)).includes(CONNECTION_NAME),
      {
        what: 'the module to close its RabbitMQ connection',
        timeoutMs: 10000,
        intervalMs: 250,
      },
    );
  });
});
