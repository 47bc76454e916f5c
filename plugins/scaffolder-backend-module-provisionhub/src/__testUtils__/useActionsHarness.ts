import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject } from '@backstage/types';
import type { RunRequestedMessage } from '@provisionhub/plugin-provisionhub-common';
import {
  ProvisionHubBroker,
  readRunPageUrl,
} from '@provisionhub/plugin-provisionhub-node';
import { createTestBroker } from '@provisionhub/test-utils';
import amqplib from 'amqplib';
import yaml from 'yaml';
import type { ProvisionHubActionsOptions } from '../lib/types';
import { FakeControlPlane } from './FakeControlPlane';
import { RecordingLogger } from './RecordingLogger';

export const APP_BASE_URL = 'http://portal.example.com';

/**
 * The permission answers the actions get: allow by default, `provisionhub.admin` denied;
 * records which credentials asked.
 */
export class FakePermissions {
  readonly allowed = new Map<string, boolean>([['provisionhub.admin', false]]);
  readonly askedBy: BackstageCredentials[] = [];

  async authorize(
    requests: Array<{ permission: Permission }>,
    options: { credentials: BackstageCredentials },
  ) {
    this.askedBy.push(options.credentials);
    return requests.map(({ permission }) => ({
      result:
        this.allowed.get(permission.name) === false
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })) as Array<{ result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }>;
  }
}

/**
 * Jest harness for the actions: a real broker on a vhost of this test file, a way to look at
 * the requests queue, and a fresh fake control plane per test that takes requests off it.
 */
export function useActionsHarness() {
  const state = {} as {
    testBroker: Awaited<ReturnType<typeof createTestBroker>>;
    broker: ProvisionHubBroker;
    connection: amqplib.ChannelModel;
    channel: amqplib.Channel;
    api: FakeControlPlane;
    permissions: FakePermissions;
    options: ProvisionHubActionsOptions;
  };

  /** Takes every message off the requests queue, like the control plane's consumer. */
  const takeRequests = async (): Promise<RunRequestedMessage[]> => {
    const taken: RunRequestedMessage[] = [];
    for (;;) {
      const message = await state.channel.get(
        state.broker.names.requestsQueue,
        { noAck: true },
      );
      if (!message) {
        return taken;
      }
      taken.push(JSON.parse(message.content.toString()));
    }
  };

  beforeAll(async () => {
    // Not useTestBroker: its afterAll would remove the vhost before these connections close.
    state.testBroker = await createTestBroker();
    const testBroker = state.testBroker;
    state.broker = ProvisionHubBroker.create({
      amqp: {
        url: testBroker.url,
        prefix: testBroker.prefix,
        maxMessageBytes: 1024 * 1024,
      },
      retry: { maxAttempts: 3, initialMs: 1000, maxMs: 2000 },
      logger: new RecordingLogger(),
      connectionName: 'scaffolder-actions-test',
    });
    await state.broker.ready();
    state.connection = await amqplib.connect(testBroker.url);
    state.channel = await state.connection.createChannel();
  }, 30000);

  beforeEach(async () => {
    await state.channel.purgeQueue(state.broker.names.requestsQueue);
    state.api = new FakeControlPlane({ takeRequests });
    state.permissions = new FakePermissions();
    state.options = {
      apiFor: credentials => {
        state.api.callers.push(credentials);
        return state.api;
      },
      permissions: state.permissions,
      broker: state.broker,
      runPageUrl: readRunPageUrl(
        new ConfigReader({ app: { baseUrl: APP_BASE_URL } }),
      ),
      pollIntervalMs: 1,
    };
  });

  afterAll(async () => {
    await state.connection?.close();
    await state.broker?.close();
    await state.testBroker?.remove();
  }, 30000);

  return {
    get api() {
      return state.api;
    },
    get options() {
      return state.options;
    },
    /** What the initiator is allowed, by permission name; change it per test. */
    get permissions() {
      return state.permissions;
    },
    takeRequests,
    /** How many requests wait on the real queue. */
    async queuedRequests(): Promise<number> {
      return (await state.channel.checkQueue(state.broker.names.requestsQueue))
        .messageCount;
    },
  };
}

/** A task context as the scaffolder builds it, started by user:default/alice. */
export function createTestContext<TInput extends JsonObject>(
  input: TInput,
  overrides: Partial<ActionContext<TInput, any>> = {},
) {
  const logger = new RecordingLogger();
  const base = createMockActionContext<TInput>({
    input,
    logger,
    user: { ref: 'user:default/alice' },
    task: { id: 'task-1' },
  });
  // The scaffolder hands actions untyped JSON; so do the tests.
  const ctx: ActionContext<any, any> = { ...base, ...overrides };
  const outputs = () =>
    Object.fromEntries(
      (base.output as jest.Mock).mock.calls as Array<[string, unknown]>,
    );
  return { ctx, logger, outputs };
}

/** The input of the only step of an action example. */
export function exampleInput(example: { example: string }): JsonObject {
  const parsed = yaml.parse(example.example) as {
    steps: Array<{ input: JsonObject }>;
  };
  return parsed.steps[0].input;
}
