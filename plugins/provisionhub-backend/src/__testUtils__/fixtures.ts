import {
  ServiceFactory,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { eventsServiceRef, EventParams } from '@backstage/plugin-events-node';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** What the plugin sent to the signals, notifications and events services. */
export interface Outbound {
  signals: SignalPayload[];
  notifications: NotificationSendOptions[];
  events: EventParams[];
}

/**
 * Test factories for the services `startTestBackend` cannot host for real (the signals backend
 * needs a WebSocket server): they record what the plugin sends.
 */
export function recordingServices(): {
  outbound: Outbound;
  features: ServiceFactory[];
} {
  const outbound: Outbound = { signals: [], notifications: [], events: [] };
  return {
    outbound,
    features: [
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: SignalPayload<any>) => {
            outbound.signals.push(signal);
          },
        }),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (options: NotificationSendOptions) => {
            outbound.notifications.push(options);
          },
        }),
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => {
          const events = mockServices.events();
          return {
            ...events,
            publish: async (params: EventParams) => {
              outbound.events.push(params);
              await events.publish(params);
            },
          };
        },
      }),
    ],
  };
}

interface BlueprintFixture {
  name: string;
  version: string;
  type: string;
  parameters: JsonObject;
  files: Record<string, string>;
  steps?: Array<{ id: string; type: string }>;
}

const componentParameters = {
  type: 'object',
  properties: {
    port: { type: 'integer', minimum: 1024, maximum: 65535, default: 8080 },
    description: { type: 'string', maxLength: 200 },
  },
  additionalProperties: false,
};

/** Blueprints of every kind the tests need. */
export const BLUEPRINTS: BlueprintFixture[] = [
  {
    name: 'node-backend',
    version: '1.0.0',
    type: 'backend',
    parameters: componentParameters,
    files: {
      'catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ name }}\nspec:\n  type: service\n',
      'src/index.js': 'module.exports = { port: ${{ values.port }} };\n',
    },
  },
  {
    name: 'node-backend',
    version: '1.2.0',
    type: 'backend',
    parameters: componentParameters,
    files: {
      'catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ name }}\n',
      'src/index.js':
        'module.exports = { port: ${{ values.port }}, name: "${{ name }}" };\n',
      'README.md': '# ${{ name }}\n\nOwned by ${{ owner }}.\n',
    },
    steps: [{ id: 'gitops', type: 'gitops' }],
  },
  {
    name: 'platform-system',
    version: '1.0.0',
    type: 'system',
    parameters: { type: 'object', properties: {} },
    files: {
      'catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: ${{ name }}\n',
    },
  },
  {
    name: 'postgres-database',
    version: '2.0.0',
    type: 'database',
    parameters: {
      type: 'object',
      required: ['sizeGb'],
      properties: { sizeGb: { type: 'integer', minimum: 1 } },
    },
    files: { 'catalog-info.yaml': 'kind: Component\n' },
  },
];

/**
 * Writes the blueprint files under `dir` and returns the Blueprint entities (with `file:`
 * managed-by locations, like the catalog gives them) plus a System and a Component that exist
 * only in the catalog.
 */
export async function writeBlueprintEntities(dir: string): Promise<Entity[]> {
  const entities: Entity[] = [];
  for (const blueprint of BLUEPRINTS) {
    const folder = path.join(dir, `${blueprint.name}-${blueprint.version}`);
    for (const [file, content] of Object.entries(blueprint.files)) {
      await fs.mkdir(path.join(folder, 'template', path.dirname(file)), {
        recursive: true,
      });
      await fs.writeFile(path.join(folder, 'template', file), content);
    }
    entities.push({
      apiVersion: 'provisionhub.io/v1alpha1',
      kind: 'Blueprint',
      metadata: {
        name: `${blueprint.name}-v${blueprint.version.replace(/\./g, '-')}`,
        namespace: 'default',
        title: `${blueprint.name} blueprint`,
        labels: { 'provisionhub.io/blueprint': blueprint.name },
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            folder,
            'blueprint.yaml',
          )}`,
          'backstage.io/managed-by-origin-location': `file:${path.join(
            folder,
            'blueprint.yaml',
          )}`,
        },
        tags: ['test'],
      },
      spec: {
        type: blueprint.type,
        version: blueprint.version,
        owner: 'group:default/platform',
        parameters: blueprint.parameters,
        files: './template',
        steps: blueprint.steps ?? [],
      },
    });
  }
  entities.push(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: { owner: 'group:default/platform' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'taken-in-catalog', namespace: 'default' },
      spec: {
        owner: 'group:default/platform',
        type: 'service',
        lifecycle: 'production',
        system: 'legacy',
      },
    },
  );
  return entities;
}

/**
 * Users of the tests' organisation and their groups (`memberOf` relations, as the catalog
 * gives them). `user:default/mock` is the default user of `mockCredentials`.
 */
export const TEST_USERS: Record<string, string[]> = {
  mock: ['payments', 'platform'],
  alice: ['payments', 'platform'],
  ada: ['platform'],
  alan: ['platform'],
  grace: ['payments'],
  dave: ['dba'],
  eve: [],
  greg: ['payments'],
  root: ['admins'],
};

/** The User entities of {@link TEST_USERS}. */
export function userEntities(): Entity[] {
  return Object.entries(TEST_USERS).map(([name, groups]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: groups },
    relations: groups.map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  }));
}

/** The catalog as a test double (the catalog is neither RabbitMQ nor a database). */
export function catalogWith(entities: Entity[]) {
  return catalogServiceMock.factory({
    entities: [...entities, ...userEntities()],
  });
}

/** The policy rule of {@link provisionhubConfig}: postgres-database waits for the platform group. */
export const DATABASES_RULE = {
  id: 'databases',
  description: 'Databases need the platform team',
  when: { blueprint: { name: 'postgres-database' } },
  effect: 'require-approval',
  approval: { groups: ['group:default/platform'] },
};

/**
 * Plugin config pointing at a test broker vhost; `extra` goes under `provisionhub`, `root` at
 * the top level (e.g. `permission`).
 */
export function provisionhubConfig(
  broker: { url: string; prefix: string },
  extra: JsonObject = {},
  root: JsonObject = {},
) {
  return mockServices.rootConfig.factory({
    data: {
      ...root,
      provisionhub: {
        amqp: { url: broker.url, prefix: broker.prefix },
        runs: { maxAttempts: 3, backoff: { initialMs: 100, maxMs: 200 } },
        policy: { rules: [DATABASES_RULE] },
        // The fixtures write their blueprints into temporary folders.
        blueprints: { trusted: [{ location: `file:${os.tmpdir()}` }] },
        ...extra,
      },
    },
  });
}
