import fs from 'node:fs/promises';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { createTempDir } from '@provisionhub/test-utils';
import { BlueprintEntitiesProcessor } from './BlueprintEntitiesProcessor';

const blueprint = (
  spec: Record<string, unknown>,
  apiVersion = 'provisionhub.io/v1alpha1',
): Entity => ({
  apiVersion,
  kind: 'Blueprint',
  metadata: {
    name: 'web-v2.0.0',
    namespace: 'platform',
    labels: { 'provisionhub.io/blueprint': 'web' },
  },
  spec: {
    type: 'frontend',
    version: '2.0.0',
    owner: 'web-team',
    parameters: { type: 'object' },
    files: './skeleton',
    ...spec,
  },
});

async function process(
  entity: Entity,
  location: { type: string; target: string },
) {
  const emitted: CatalogProcessorResult[] = [];
  await new BlueprintEntitiesProcessor().postProcessEntity(
    entity,
    location,
    r => emitted.push(r),
  );
  return {
    errors: emitted.flatMap(r => (r.type === 'error' ? [r.error.message] : [])),
    relations: emitted.flatMap(r =>
      r.type === 'relation' ? [r.relation] : [],
    ),
  };
}

describe('BlueprintEntitiesProcessor', () => {
  const processor = new BlueprintEntitiesProcessor();

  it('recognises Blueprint entities only, and names an unsupported provisionhub.io version', async () => {
    await expect(processor.validateEntityKind(blueprint({}))).resolves.toBe(
      true,
    );
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      }),
    ).resolves.toBe(false);
    await expect(
      processor.validateEntityKind(blueprint({}, 'provisionhub.io/v2')),
    ).rejects.toThrow(
      "Blueprint platform/web-v2.0.0: /apiVersion 'provisionhub.io/v2' is not supported; use provisionhub.io/v1alpha1",
    );
  });

  it('emits the ownership relations in both directions, in the namespace of the blueprint', async () => {
    const { errors, relations } = await process(blueprint({}), {
      type: 'url',
      target: 'https://git.example.com/b.yaml',
    });
    expect(errors).toEqual([]);
    const self = {
      kind: 'Blueprint',
      namespace: 'platform',
      name: 'web-v2.0.0',
    };
    const owner = { kind: 'group', namespace: 'platform', name: 'web-team' };
    expect(relations).toEqual([
      { source: self, type: 'ownedBy', target: owner },
      { source: owner, type: 'ownerOf', target: self },
    ]);
  });

  it('reports a template folder missing next to a blueprint file, and emits no relations then', async () => {
    const tmp = await createTempDir();
    try {
      await fs.mkdir(path.join(tmp.dir, 'skeleton'));
      const file = path.join(tmp.dir, 'blueprint.yaml');
      const entity = blueprint({
        files: [{ from: './skeleton' }, { from: '../nowhere', to: 'deploy' }],
      });
      const { errors, relations } = await process(entity, {
        type: 'file',
        target: file,
      });
      expect(errors).toEqual([
        `Blueprint platform/web-v2.0.0: /spec/files/1/from '../nowhere' is not a folder next to the blueprint file (looked for ${path.resolve(
          tmp.dir,
          '../nowhere',
        )})`,
      ]);
      expect(relations).toEqual([]);
    } finally {
      await tmp.remove();
    }
  });
});
