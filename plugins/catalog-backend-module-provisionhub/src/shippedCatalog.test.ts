import path from 'node:path';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin, {
  CATALOG_ERRORS_TOPIC,
} from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { waitUntil } from '@provisionhub/test-utils';
import catalogModuleProvisionhub from '.';
import { createControlPlaneStandIn } from './__testUtils__/controlPlaneStandIn';
import {
  CATALOG_ROOT,
  STARTER_ROOT,
  findShippedBlueprints,
  readBlueprintEntity,
} from './__testUtils__/shippedBlueprints';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('the demo org and the starter set in the real catalog backend', () => {
  it('brings in the org, every blueprint version with its owner and both templates, and no processing errors', async () => {
    const recorder = createControlPlaneStandIn({
      recordTopics: [CATALOG_ERRORS_TOPIC],
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleProvisionhub,
        scaffolderEntityModel,
        recorder.plugin,
        eventsServiceFactory,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({
          data: {
            events: { useEventBus: 'never' },
            catalog: {
              // The dev portal's rules and locations (app-config.yaml; docs/install.md for the starter set).
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Location',
                    'Domain',
                    'Group',
                    'User',
                  ],
                },
              ],
              locations: [
                { type: 'file', target: path.join(CATALOG_ROOT, 'all.yaml') },
                {
                  type: 'file',
                  target: path.join(STARTER_ROOT, 'all.yaml'),
                  rules: [{ allow: ['Location', 'Blueprint', 'Template'] }],
                },
              ],
            },
          },
        }),
      ],
    });
    const query = async (kind: string): Promise<Entity[]> => {
      const response = await fetch(
        `http://localhost:${backend.server.port()}/api/catalog/entities/by-query?filter=kind=${kind}&limit=100`,
        { headers: { Authorization: mockCredentials.user.header() } },
      );
      return ((await response.json()) as { items: Entity[] }).items;
    };

    const shipped = await Promise.all(
      (await findShippedBlueprints()).map(readBlueprintEntity),
    );
    const blueprints = await waitUntil(
      async () => {
        const items = await query('blueprint');
        const withOwner = items.filter(b =>
          b.relations?.some(r => r.type === 'ownedBy'),
        );
        return withOwner.length === shipped.length ? withOwner : undefined;
      },
      { what: `${shipped.length} Blueprint entities with an ownedBy relation` },
    );
    expect(blueprints.map(b => b.metadata.name).sort()).toEqual(
      shipped.map(b => b.metadata.name).sort(),
    );
    expect(
      blueprints
        .filter(
          b =>
            b.metadata.labels?.['provisionhub.io/blueprint'] === 'node-backend',
        )
        .map(b => b.spec?.version)
        .sort(),
    ).toEqual(['1.0.0', '1.1.0', '1.2.0']);

    const templates = await waitUntil(
      async () => {
        const items = await query('template');
        return items.length === 2 ? items : undefined;
      },
      { what: 'the two software templates' },
    );
    expect(templates.map(t => t.metadata.name).sort()).toEqual([
      'provisionhub-create-component',
      'provisionhub-create-system',
    ]);

    const users = await waitUntil(
      async () => {
        const items = await query('user');
        return items.some(u => u.metadata.name === 'guest') ? items : undefined;
      },
      { what: 'user:default/guest' },
    );
    const guest = users.find(u => u.metadata.name === 'guest')!;
    expect(guest.relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'memberOf',
          targetRef: 'group:default/platform-team',
        }),
      ]),
    );
    expect(recorder.state.received).toEqual([]);
  });
});
