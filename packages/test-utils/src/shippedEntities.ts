import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

/** The root of the repository, where catalog/ and templates/ live. */
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

/** The demo organisation and every blueprint version of catalog/. */
export function shippedCatalogEntities(): Entity[] {
  return readLocationEntities(path.join(REPO_ROOT, 'catalog/all.yaml'));
}

/** The software templates of templates/. */
export function shippedTemplates(): Entity[] {
  return readLocationEntities(path.join(REPO_ROOT, 'templates/all.yaml'));
}

/**
 * `provisionhub.blueprints` as the dev portal's app-config.yaml sets it, with absolute paths:
 * the shipped blueprints are trusted, and may use the shared Helm and Kustomize partials.
 */
export function shippedBlueprintTrust() {
  return {
    trusted: [{ location: `file:${REPO_ROOT}/catalog` }],
    sharedFolders: ['helm', 'kustomize'].map(
      folder => `file:${REPO_ROOT}/templates/${folder}`,
    ),
  };
}
