import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  DECOMMISSIONED_ENTITY_TOPIC,
  PROVISIONED_ENTITY_TOPIC,
} from '@provisionhub/plugin-provisionhub-common';
import { deferred } from '@provisionhub/test-utils';
import { ProvisionHubEntityProvider } from './ProvisionHubEntityProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: { 'provisionhub.io/run-id': `run-${name}` } },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/team',
    system: 'payments',
  },
});

function setup(listProvisionedEntities: () => Promise<{ items: Entity[] }>) {
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async mutation => {
      mutations.push(mutation);
    },
    refresh: async () => undefined,
  };
  const events = mockServices.events();
  const logger = mockServices.logger.mock();
  logger.child.mockReturnValue(logger);
  const provider = ProvisionHubEntityProvider.create({
    id: 'default',
    schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
    client: { listProvisionedEntities },
    discovery: {
      getExternalBaseUrl: async () => 'http://portal/api/provisionhub',
    },
    events,
    scheduler: mockServices.scheduler(),
    logger,
  });
  const refs = (mutation: EntityProviderMutation) =>
    (mutation.type === 'full' ? mutation.entities : mutation.added)
      .map(e => e.entity.metadata.name)
      .sort();
  return { provider, connection, events, logger, mutations, refs };
}

describe('ProvisionHubEntityProvider', () => {
  it('keeps an entity that arrived as a delta while a full refresh was reading an older list', async () => {
    const list = deferred<{ items: Entity[] }>();
    const { provider, connection, events, mutations, refs } = setup(
      () => list.promise,
    );
    await provider.connect(connection);

    const refreshing = provider.refresh();
    await events.publish({
      topic: PROVISIONED_ENTITY_TOPIC,
      eventPayload: {
        entityRef: 'component:default/new-one',
        entity: component('new-one'),
      },
    });
    list.resolve({ items: [component('old-one')] });
    await refreshing;

    expect(mutations.map(m => [m.type, refs(m)])).toEqual([
      ['delta', ['new-one']],
      ['full', ['new-one', 'old-one']],
    ]);
    expect(
      mutations.every(m =>
        (m.type === 'full' ? m.entities : m.added).every(
          e => e.locationKey === 'provisionhub-provider:default',
        ),
      ),
    ).toBe(true);
  });

  it('skips an invalid entity of the full refresh with a warning, and applies the others', async () => {
    const bad = { ...component('x'), metadata: { name: 'Not Valid!' } };
    const { provider, connection, logger, mutations, refs } = setup(
      async () => ({
        items: [component('good'), bad],
      }),
    );
    await provider.connect(connection);
    await provider.refresh();

    expect(mutations.map(refs)).toEqual([['good']]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Skipped component:default\/not valid! from the full refresh: the catalog would not accept it because "metadata.name" is not valid/,
      ),
    );
  });

  it('applies nothing and warns with the cause when the control plane cannot be reached', async () => {
    const unreachable = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7007'), {
        code: 'ECONNREFUSED',
      }),
    });
    const { provider, connection, logger, mutations } = setup(() =>
      Promise.reject(unreachable),
    );
    await provider.connect(connection);
    await expect(provider.refresh()).resolves.toBeUndefined();

    expect(mutations).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Cause: fetch failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:7007)',
      ),
    );
  });

  it('ignores an event without an entity, saying so', async () => {
    const { provider, connection, events, logger, mutations } = setup(
      async () => ({ items: [] }),
    );
    await provider.connect(connection);
    await events.publish({
      topic: PROVISIONED_ENTITY_TOPIC,
      eventPayload: { entityRef: 'component:default/x' },
    });

    expect(mutations).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      `Skipped an entity from an event on ${PROVISIONED_ENTITY_TOPIC}: the catalog would not accept it because it is not an object with metadata`,
    );
  });

  it('removes a decommissioned entity at once, and a full refresh that read an older list does not bring it back', async () => {
    const list = deferred<{ items: Entity[] }>();
    const { provider, connection, events, mutations, refs } = setup(
      () => list.promise,
    );
    await provider.connect(connection);

    const refreshing = provider.refresh();
    await events.publish({
      topic: DECOMMISSIONED_ENTITY_TOPIC,
      eventPayload: { entityRef: 'component:default/retired', runId: 'r-1' },
    });
    list.resolve({ items: [component('retired'), component('kept')] });
    await refreshing;

    expect(mutations[0]).toEqual({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: 'component:default/retired',
          locationKey: 'provisionhub-provider:default',
        },
      ],
    });
    expect(mutations.slice(1).map(m => [m.type, refs(m)])).toEqual([
      ['full', ['kept']],
    ]);
  });

  it('stops emitting an entity the control plane no longer reports (decommissioned) on the next full refresh', async () => {
    let items = [component('retired'), component('kept')];
    const { provider, connection, mutations, refs } = setup(async () => ({
      items,
    }));
    await provider.connect(connection);
    await provider.refresh();
    items = [component('kept')];
    await provider.refresh();

    expect(mutations.map(m => [m.type, refs(m)])).toEqual([
      ['full', ['kept', 'retired']],
      ['full', ['kept']],
    ]);
  });

  it('ignores a decommission event without an entity ref, saying so', async () => {
    const { provider, connection, events, logger, mutations } = setup(
      async () => ({ items: [] }),
    );
    await provider.connect(connection);
    await events.publish({
      topic: DECOMMISSIONED_ENTITY_TOPIC,
      eventPayload: { runId: 'r-1' },
    });

    expect(mutations).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      `Skipped an event on ${DECOMMISSIONED_ENTITY_TOPIC} without an entityRef; the next scheduled refresh removes the entity`,
    );
  });
});
