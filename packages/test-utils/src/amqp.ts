import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { TcpProxy, startTcpProxy } from './tcpProxy';

const run = promisify(execFile);

/** The machine's broker; override with PROVISIONHUB_TEST_AMQP_URL. */
export const TEST_AMQP_BASE_URL =
  process.env.PROVISIONHUB_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface TestBroker {
  /** AMQP URL pointing at this test's own vhost. */
  url: string;
  vhost: string;
  /** A unique prefix for exchange and queue names, for extra isolation within the vhost. */
  prefix: string;
}

/**
 * Creates a vhost of its own on the real RabbitMQ (with `rabbitmqctl`), so test files never see
 * each other's messages; returns a remover.
 */
export async function createTestBroker(): Promise<
  TestBroker & { remove(): Promise<void> }
> {
  const id = randomBytes(4).toString('hex');
  const vhost = `provisionhub-test-${id}`;
  const base = new URL(TEST_AMQP_BASE_URL);
  await run('rabbitmqctl', ['add_vhost', vhost]);
  await run('rabbitmqctl', [
    'set_permissions',
    '-p',
    vhost,
    decodeURIComponent(base.username || 'guest'),
    '.*',
    '.*',
    '.*',
  ]);
  base.pathname = `/${encodeURIComponent(vhost)}`;
  return {
    url: base.toString(),
    vhost,
    prefix: `t${id}`,
    remove: async () => {
      await run('rabbitmqctl', ['delete_vhost', vhost]).catch(() => undefined);
    },
  };
}

/**
 * Jest helper: a fresh vhost for the test file, removed after it.
 * Read the fields inside tests or hooks, not at module load.
 */
export function useTestBroker(): TestBroker {
  const state = {} as TestBroker & { remove?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(state, await createTestBroker());
  }, 30000);
  afterAll(async () => {
    await state.remove?.();
  }, 30000);
  return state;
}

/**
 * A {@link TcpProxy} in front of the test broker: connect a client through
 * `proxy.urlThrough(testBroker.url)` and `cut()` it to simulate a broker outage without stopping
 * the shared RabbitMQ.
 */
export function startTestBrokerProxy(): Promise<TcpProxy> {
  const base = new URL(TEST_AMQP_BASE_URL);
  return startTcpProxy({
    host: base.hostname,
    port: Number(base.port || 5672),
  });
}
