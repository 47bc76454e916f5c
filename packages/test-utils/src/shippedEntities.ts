import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

/** The root of the repository, where catalog/ and packages/starter live. */
export const REPO_ROOT = path.resolve(
  path.dirname(require.resolve('@provisionhub/test-utils/package.json')),
  '../..',
);

/**
 * The entities a catalog location file leads to, read the way the catalog reads them: every
 * document of every target, with the location annotations the catalog adds (the control plane
 * resolves blueprint files against them).
 */
export function readLocationEntities(locationFile: string): Entity[] {
  const location = yaml.parse(fs.readFileSync(locationFile, 'utf8')) as Entity;
  const targets = (location.spec?.targets as string[]) ?? [];
  return targets.flatMap(target => {
    const file = path.resolve(path.dirname(locationFile), target);
    const ref = `file:${file}`;
    return yaml
      .parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(doc => doc.toJS() as Entity)
      .filter(Boolean)
      .map(entity => ({
        ...entity,
        metadata: {
          namespace: 'default',
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            'backstage.io/managed-by-location': ref,
            'backstage.io/managed-by-origin-location': `file:${locationFile}`,
          },
        },
      }));
  });
}

/** The starter set (`@provisionhub/starter`): blueprints, partials and software templates. */
export const STARTER_ROOT = path.join(REPO_ROOT, 'packages/starter');

/** Every entity of the starter set's all.yaml: the blueprint versions and the templates. */
function starterEntities(): Entity[] {
  return readLocationEntities(path.join(STARTER_ROOT, 'all.yaml'));
}

/** The demo organisation of catalog/ and every blueprint version of the starter set. */
export function shippedCatalogEntities(): Entity[] {
  return [
    ...readLocationEntities(path.join(REPO_ROOT, 'catalog/all.yaml')),
    ...starterEntities().filter(e => e.kind !== 'Template'),
  ];
}

/** The software templates of the starter set. */
export function shippedTemplates(): Entity[] {
  return starterEntities().filter(e => e.kind === 'Template');
}

/**
 * `provisionhub.blueprints` as the dev portal's app-config.yaml sets it, with absolute paths:
 * the starter set's blueprints are trusted, and may use its shared Helm and Kustomize partials.
 */
export function shippedBlueprintTrust() {
  return {
    trusted: [{ location: `file:${STARTER_ROOT}/blueprints` }],
    sharedFolders: ['helm', 'kustomize'].map(
      folder => `file:${STARTER_ROOT}/partials/${folder}`,
    ),
  };
}
