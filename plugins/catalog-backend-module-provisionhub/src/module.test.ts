import fs from 'node:fs/promises';
import path from 'node:path';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin, {
  CATALOG_ERRORS_TOPIC,
} from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  ANNOTATION_BLUEPRINT,
  ANNOTATION_RUN_ID,
  PROVISIONED_ENTITY_TOPIC,
  ProvisionedEntityEvent,
} from '@provisionhub/plugin-provisionhub-common';
import { createTempDir, waitUntil } from '@provisionhub/test-utils';
import { parse as parseYaml } from 'yaml';
import catalogModuleProvisionhub from '.';
import { createControlPlaneStandIn } from './__testUtils__/controlPlaneStandIn';
import { createRecordingLogger } from './__testUtils__/recordingLogger';

jest.setTimeout(60_000);

const REFRESH_TASK = 'provisionhub-provider:default:refresh';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** What the catalog adds to an entity that had processing errors (not part of the Entity type). */
type EntityWithStatus = Entity & {
  status?: { items?: Array<{ type: string; level: string; message: string }> };
};

function blueprintYaml(options: {
  name: string;
  version: string;
  files: string;
  extra?: string;
}) {
  return `apiVersion: provisionhub.io/v1alpha1
kind: Blueprint
metadata:
  name: ${options.name}-v${options.version}
  title: ${options.name}
  labels:
    provisionhub.io/blueprint: ${options.name}
spec:
  type: backend
  version: '${options.version}'
  owner: platform-team
  files: ${options.files}
  parameters:
    type: object
    properties:
      port:
        type: integer
        default: 8080
${options.extra ?? ''}`;
}

function provisionedComponent(name: string, runId: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        [ANNOTATION_RUN_ID]: runId,
        [ANNOTATION_BLUEPRINT]: 'node-backend@1.1.0',
        'backstage.io/source-location': `url:https://git.example.com/payments/${name}/`,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/platform-team',
      system: 'payments',
    },
  };
}

describe('catalogModuleProvisionhub with the real catalog backend', () => {
  const logger = createRecordingLogger();
  const controlPlane = createControlPlaneStandIn({
    recordTopics: [CATALOG_ERRORS_TOPIC],
  });
  // A MockSchedulerService: its factory() installs this very instance, so the test can trigger
  // the provider's refresh (the published type only says SchedulerService).
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory<SchedulerService, 'plugin'>;
  };
  let tmp: { dir: string; remove(): Promise<void> };
  let baseUrl: string;
  let modifiedAnswer: unknown;

  const catalogFetch = (apiPath: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}/api/catalog${apiPath}`, {
      ...init,
      headers: {
        Authorization: mockCredentials.user.header(),
        'Content-Type': 'application/json',
      },
    });

  const getEntity = async (ref: string): Promise<Entity | undefined> => {
    const response = await catalogFetch(`/entities/by-name/${ref}`);
    return response.status === 200
      ? ((await response.json()) as Entity)
      : undefined;
  };

  beforeAll(async () => {
    tmp = await createTempDir('provisionhub-catalog-module-');
    const file = async (relative: string, content: string) => {
      await fs.mkdir(path.dirname(path.join(tmp.dir, relative)), {
        recursive: true,
      });
      await fs.writeFile(path.join(tmp.dir, relative), content);
    };
    await file(
      'org.yaml',
      `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform-team
spec:
  type: team
  children: []
`,
    );
    await file('valid/skeleton/README.md', '# ${{ name }}\n');
    await file(
      'valid/blueprint.yaml',
      blueprintYaml({
        name: 'node-backend',
        version: '1.0.0',
        files: './skeleton',
      }),
    );
    await file(
      'broken/blueprint.yaml',
      blueprintYaml({
        name: 'broken',
        version: 'one',
        files: './skeleton',
        extra: '      name:\n        type: string\n',
      }),
    );
    await file('modified/skeleton/README.md', 'hello\n');
    await file(
      'modified/blueprint.yaml',
      blueprintYaml({
        name: 'modified',
        version: '1.0.0',
        files: './skeleton',
      }),
    );
    const modifiedStatus = {
      name: 'modified',
      version: '1.0.0',
      entityRef: 'blueprint:default/modified-v1.0.0',
      status: {
        usable: false,
        trusted: true,
        reason:
          'modified after publication: its files now have digest sha256:bbb; publish a new version',
        published: { digest: 'sha256:aaa', at: '2026-12-01T10:00:00.000Z' },
        modifiedAfterPublication: { digest: 'sha256:bbb' },
      },
    };
    modifiedAnswer = modifiedStatus;
    await file('evolving/skeleton/README.md', 'hello\n');
    await file(
      'evolving/blueprint.yaml',
      blueprintYaml({
        name: 'evolving',
        version: '1.0.0',
        files: './skeleton',
      }),
    );

    controlPlane.state.entities = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: {
          name: 'payments',
          annotations: { [ANNOTATION_RUN_ID]: 'run-system-1' },
        },
        spec: { owner: 'group:default/platform-team' },
      },
    ];

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleProvisionhub,
        controlPlane.plugin,
        eventsServiceFactory,
        logger.factory,
        scheduler.factory(),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({
          data: {
            events: { useEventBus: 'never' },
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'Group',
                    'User',
                    'Location',
                    'Blueprint',
                  ],
                },
              ],
              locations: [
                'org.yaml',
                'valid/blueprint.yaml',
                'broken/blueprint.yaml',
                'evolving/blueprint.yaml',
                'modified/blueprint.yaml',
              ].map(target => ({
                type: 'file',
                target: path.join(tmp.dir, target),
              })),
              providers: {
                provisionhub: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}`;
  });

  afterAll(async () => {
    await tmp?.remove();
  });

  it('reports each failing field of an invalid Blueprint registered from a file, and keeps it out of the catalog', async () => {
    const errors = await waitUntil(
      () => {
        const event = controlPlane.state.received.find(
          e =>
            (e.payload as { entity: string }).entity ===
            'blueprint:default/broken-vone',
        );
        return (
          event &&
          (event.payload as { errors: Array<{ message: string }> }).errors
        );
      },
      { what: 'the processing errors of blueprint:default/broken-vone' },
    );
    const messages = errors.map(e => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "Blueprint broken-vone: /spec/version must be a semantic version such as 1.2.0, got 'one'",
        "Blueprint broken-vone: /spec/parameters/properties/name 'name' is supplied by every run; remove it from the parameters",
      ]),
    );
    expect(messages).toHaveLength(2);
    expect(await getEntity('blueprint/default/broken-vone')).toBeUndefined();

    // The catalog's entity validation API (used by validation tools before registering a file)
    // answers with the same errors, one per field.
    const validation = await catalogFetch('/validate-entity', {
      method: 'POST',
      body: JSON.stringify({
        location:
          'url:https://git.example.com/blueprints/broken/blueprint.yaml',
        entity: parseYaml(
          await fs.readFile(
            path.join(tmp.dir, 'broken/blueprint.yaml'),
            'utf8',
          ),
        ),
      }),
    });
    expect(validation.status).toBe(400);
    const body = (await validation.json()) as {
      errors: Array<{ message: string }>;
    };
    expect(body.errors.map(e => e.message)).toEqual(messages);
  });

  it('shows a processing error on a Blueprint that was valid and was then broken', async () => {
    const ref = 'blueprint/default/evolving-v1.0.0';
    await waitUntil(() => getEntity(ref), { what: `${ref} in the catalog` });
    await fs.writeFile(
      path.join(tmp.dir, 'evolving/blueprint.yaml'),
      blueprintYaml({ name: 'evolving', version: '1.0.0', files: './skelton' }),
    );
    const refresh = await catalogFetch('/refresh', {
      method: 'POST',
      body: JSON.stringify({ entityRef: 'blueprint:default/evolving-v1.0.0' }),
    });
    expect(refresh.status).toBe(200);

    const items = await waitUntil(
      async () => {
        const entity = (await getEntity(ref)) as EntityWithStatus | undefined;
        const found = (entity?.status?.items ?? []).filter(
          i => i.type === 'backstage.io/catalog-processing',
        );
        return found.length ? found : undefined;
      },
      { what: `a processing error on ${ref}` },
    );
    expect(items).toHaveLength(1);
    expect(items[0].level).toBe('error');
    expect(items[0].message).toContain(
      `Blueprint evolving-v1.0.0: /spec/files './skelton' is not a folder next to the blueprint file (looked for ${path.join(
        tmp.dir,
        'evolving/skelton',
      )})`,
    );
  });

  it('shows what the control plane refuses a Blueprint for, asking it with a service token', async () => {
    const ref = 'blueprint/default/modified-v1.0.0';
    // Published and fine at first; then the control plane finds its files changed.
    await waitUntil(() => getEntity(ref), { what: `${ref} in the catalog` });
    controlPlane.state.blueprintVersions['modified@1.0.0'] = modifiedAnswer;
    const refresh = await catalogFetch('/refresh', {
      method: 'POST',
      body: JSON.stringify({ entityRef: 'blueprint:default/modified-v1.0.0' }),
    });
    expect(refresh.status).toBe(200);
    const items = await waitUntil(
      async () => {
        const entity = (await getEntity(ref)) as EntityWithStatus | undefined;
        const found = (entity?.status?.items ?? []).filter(
          i => i.type === 'backstage.io/catalog-processing',
        );
        return found.length ? found : undefined;
      },
      { what: `the control plane's refusal on ${ref}` },
    );
    expect(items.map(i => i.message)).toEqual([
      expect.stringContaining(
        'Blueprint modified-v1.0.0: ProvisionHub refuses runs of modified@1.0.0: modified after publication: its files now have digest sha256:bbb; publish a new version',
      ),
    ]);
    const valid = (await getEntity(
      'blueprint/default/node-backend-v1.0.0',
    )) as EntityWithStatus;
    expect(valid.status?.items ?? []).toEqual([]);
  });

  it('adds a valid Blueprint with its ownership relations', async () => {
    const blueprint = await waitUntil(
      () => getEntity('blueprint/default/node-backend-v1.0.0'),
      {
        what: 'the node-backend blueprint in the catalog',
      },
    );
    expect(blueprint.spec).toMatchObject({
      version: '1.0.0',
      owner: 'platform-team',
    });
    expect(blueprint.relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'ownedBy',
          targetRef: 'group:default/platform-team',
        }),
      ]),
    );
    const group = await waitUntil(
      async () => {
        const g = await getEntity('group/default/platform-team');
        return g?.relations?.some(r => r.type === 'ownerOf') ? g : undefined;
      },
      { what: 'the ownerOf relation on group:default/platform-team' },
    );
    expect(group.relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'ownerOf',
          targetRef: 'blueprint:default/node-backend-v1.0.0',
        }),
      ]),
    );
  });

  it('puts an entity published on the provisioned-entity topic into the catalog', async () => {
    const entity = provisionedComponent('checkout-api', 'run-42');
    const event: ProvisionedEntityEvent = {
      entityRef: 'component:default/checkout-api',
      entity,
    };
    const published = Date.now();
    await controlPlane.state.events!.publish({
      topic: PROVISIONED_ENTITY_TOPIC,
      eventPayload: event,
    });

    const found = await waitUntil(
      () => getEntity('component/default/checkout-api'),
      {
        what: 'component:default/checkout-api from GET /api/catalog/entities/by-name',
        intervalMs: 100,
      },
    );
    // eslint-disable-next-line no-console
    console.log(
      `provisioned entity returned by GET /api/catalog/entities/by-name ${
        Date.now() - published
      } ms after the event was published`,
    );
    expect(found.spec).toEqual(entity.spec);
    expect(found.metadata.annotations).toMatchObject({
      [ANNOTATION_RUN_ID]: 'run-42',
      [ANNOTATION_BLUEPRINT]: 'node-backend@1.1.0',
      'backstage.io/source-location':
        'url:https://git.example.com/payments/checkout-api/',
      'backstage.io/managed-by-location': `url:${baseUrl}/api/provisionhub/components/checkout-api`,
      'backstage.io/managed-by-origin-location': `url:${baseUrl}/api/provisionhub/components/checkout-api`,
    });
    expect(found.relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'partOf',
          targetRef: 'system:default/payments',
        }),
      ]),
    );
  });

  it('skips an invalid provisioned entity with a warning naming it, and keeps working', async () => {
    const bad = provisionedComponent('Not A Valid Name', 'run-43');
    await controlPlane.state.events!.publish({
      topic: PROVISIONED_ENTITY_TOPIC,
      eventPayload: {
        entityRef: 'component:default/not-a-valid-name',
        entity: bad,
      },
    });
    const warning = await waitUntil(
      () =>
        logger.lines.find(
          l =>
            l.level === 'warn' &&
            l.message.startsWith('Skipped component:default/not a valid name'),
        ),
      { what: 'a warning about the invalid entity' },
    );
    expect(warning.message).toContain('"metadata.name" is not valid');
    expect(warning.message).toContain('"Not A Valid Name"');

    await controlPlane.state.events!.publish({
      topic: PROVISIONED_ENTITY_TOPIC,
      eventPayload: {
        entityRef: 'component:default/after-bad',
        entity: provisionedComponent('after-bad', 'run-44'),
      },
    });
    await waitUntil(() => getEntity('component/default/after-bad'), {
      what: 'component:default/after-bad after an invalid event',
    });
  });

  it('reads every provisioned entity on the scheduled refresh, with a service token', async () => {
    const system = await waitUntil(() => getEntity('system/default/payments'), {
      what: 'system:default/payments from the startup refresh',
    });
    expect(system.metadata.annotations).toMatchObject({
      [ANNOTATION_RUN_ID]: 'run-system-1',
      'backstage.io/managed-by-location': `url:${baseUrl}/api/provisionhub/systems/payments`,
    });
    expect(controlPlane.state.callers).toContain('plugin:catalog');
  });

  it('keeps the catalog as it is while the control plane is unreachable, and catches up after', async () => {
    controlPlane.state.unavailable = true;
    await expect(scheduler.triggerTask(REFRESH_TASK)).resolves.toBeUndefined();
    const warning = logger.lines.find(
      l =>
        l.level === 'warn' &&
        l.message.startsWith('Could not refresh the provisioned entities'),
    );
    expect(warning?.message).toContain('503');
    expect(warning?.message).toContain('the control plane database is down');
    expect(await getEntity('system/default/payments')).toBeDefined();
    expect(await getEntity('component/default/checkout-api')).toBeDefined();

    // Back online, reporting one new component and no longer the system: the full refresh
    // applies both changes.
    controlPlane.state.unavailable = false;
    controlPlane.state.entities = [provisionedComponent('ledger', 'run-45')];
    await scheduler.triggerTask(REFRESH_TASK);
    await waitUntil(() => getEntity('component/default/ledger'), {
      what: 'component:default/ledger after the control plane came back',
    });
    await waitUntil(
      async () => (await getEntity('system/default/payments')) === undefined,
      {
        what: 'system:default/payments to be removed by the full refresh',
      },
    );
  });
});
