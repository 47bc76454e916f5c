import fs from 'node:fs/promises';
import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
  RELATION_OWNER_OF,
  getCompoundEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  BLUEPRINT_API_VERSION,
  BLUEPRINT_KIND,
  BlueprintEntityV1alpha1,
  FieldError,
  LABEL_BLUEPRINT,
  isBlueprintEntity,
  normalizeFileSources,
  validateBlueprintEntity,
} from '@provisionhub/plugin-provisionhub-common';
import { resolveFileSources } from '@provisionhub/plugin-provisionhub-node';
import type { BlueprintStatusClient } from './BlueprintStatusClient';

/**
 * Makes the catalog understand `kind: Blueprint` (`apiVersion: provisionhub.io/v1alpha1`):
 * validates each version with one processing error per failing field, checks that the template
 * folders of file-based blueprints exist, and emits the ownership relations. Given a
 * `BlueprintStatusClient`, it also reports what the control plane refuses the version for
 * (not from a trusted source, modified after publication, files from outside its folder).
 *
 * @public
 */
export class BlueprintEntitiesProcessor implements CatalogProcessor {
  readonly #status?: Pick<BlueprintStatusClient, 'getVersion'>;

  constructor(
    options: { status?: Pick<BlueprintStatusClient, 'getVersion'> } = {},
  ) {
    this.#status = options.status;
  }

  getProcessorName(): string {
    return 'BlueprintEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (
      entity.kind === BLUEPRINT_KIND &&
      entity.apiVersion?.startsWith('provisionhub.io/') &&
      entity.apiVersion !== BLUEPRINT_API_VERSION
    ) {
      throw new Error(
        `${describe(entity)}: /apiVersion '${
          entity.apiVersion
        }' is not supported; use ${BLUEPRINT_API_VERSION}`,
      );
    }
    return isBlueprintEntity(entity);
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isBlueprintEntity(entity)) {
      return entity;
    }
    const errors = validateBlueprintEntity(entity);
    if (errors.length === 0) {
      errors.push(...(await findMissingFolders(entity, location)));
    }
    for (const error of errors) {
      emit(
        processingResult.inputError(
          location,
          `${describe(entity)}: ${error.field} ${error.message}`,
        ),
      );
    }
    if (errors.length === 0) {
      emitOwnership(entity, emit);
      const refusal = await this.#refusal(entity);
      if (refusal) {
        emit(
          processingResult.inputError(
            location,
            `${describe(entity)}: ${refusal}`,
          ),
        );
      }
    }
    return entity;
  }

  /** Why the control plane refuses runs of this very entity, if it does. */
  async #refusal(entity: BlueprintEntityV1alpha1): Promise<string | undefined> {
    const name = entity.metadata.labels?.[LABEL_BLUEPRINT];
    if (!this.#status || !name) {
      return undefined;
    }
    const version = await this.#status.getVersion(name, entity.spec.version);
    if (
      !version?.status ||
      version.status.usable ||
      version.entityRef !== stringifyEntityRef(entity)
    ) {
      return undefined;
    }
    return `ProvisionHub refuses runs of ${name}@${entity.spec.version}: ${version.status.reason}`;
  }
}

function describe(entity: Entity): string {
  const { namespace, name } = getCompoundEntityRef(entity);
  return `Blueprint ${namespace === 'default' ? name : `${namespace}/${name}`}`;
}

function emitOwnership(
  entity: BlueprintEntityV1alpha1,
  emit: CatalogProcessorEmit,
) {
  const self = getCompoundEntityRef(entity);
  const owner = parseEntityRef(entity.spec.owner, {
    defaultKind: 'group',
    defaultNamespace: self.namespace,
  });
  emit(
    processingResult.relation({
      source: self,
      type: RELATION_OWNED_BY,
      target: owner,
    }),
  );
  emit(
    processingResult.relation({
      source: owner,
      type: RELATION_OWNER_OF,
      target: self,
    }),
  );
}

/**
 * For blueprints read from local files, the template folders are right there: a typo in
 * `spec.files` is reported now rather than when the first run fails.
 */
async function findMissingFolders(
  entity: BlueprintEntityV1alpha1,
  location: LocationSpec,
): Promise<FieldError[]> {
  if (location.type !== 'file') {
    return [];
  }
  const declared = normalizeFileSources(entity.spec.files);
  const resolved = resolveFileSources(
    `file:${location.target}`,
    entity.spec.files,
  );
  const errors: FieldError[] = [];
  await Promise.all(
    resolved.map(async (source, index) => {
      const folder = source.location.slice('file:'.length);
      const isFolder = await fs
        .stat(folder)
        .then(s => s.isDirectory())
        .catch(() => false);
      if (!isFolder) {
        errors.push({
          field:
            typeof entity.spec.files === 'string'
              ? '/spec/files'
              : `/spec/files/${index}/from`,
          message: `'${declared[index].from}' is not a folder next to the blueprint file (looked for ${folder})`,
        });
      }
    }),
  );
  return errors.sort((a, b) => a.field.localeCompare(b.field));
}
