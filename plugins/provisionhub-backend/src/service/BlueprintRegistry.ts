import type {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BLUEPRINT_API_VERSION,
  BLUEPRINT_KIND,
  BlueprintDetails,
  BlueprintEntityV1alpha1,
  BlueprintSummary,
  BlueprintVersion,
  DEFAULT_CATALOG_INFO_PATH,
  LABEL_BLUEPRINT,
  ResolvedFileSource,
  formatFieldErrors,
  isBlueprintEntity,
  validateBlueprintEntity,
} from '@provisionhub/plugin-provisionhub-common';
import {
  BlueprintFile,
  computeBlueprintDigest,
  readBlueprintFiles,
  resolveFileSources,
} from '@provisionhub/plugin-provisionhub-node';
import semver from 'semver';

/**
 * One blueprint version with everything a run needs from it.
 * @internal
 */
export interface ResolvedBlueprint extends BlueprintVersion {
  lifecycle: string;
  catalogInfoPath: string;
  files: ResolvedFileSource[];
  /** Identifies the entity revision; the digest is cached per key. */
  cacheKey: string;
  entity: BlueprintEntityV1alpha1;
}

interface BlueprintGroup {
  name: string;
  /** Newest first. */
  versions: ResolvedBlueprint[];
}

/** A refresh on a miss happens at most this often, so unknown names cannot hammer the catalog. */
const MISS_REFRESH_INTERVAL_MS = 2000;

/**
 * The Blueprint entities of the catalog, grouped into versioned blueprints. The list is cached
 * (refreshed on a schedule and when a name or version is missing) and so is each version's
 * content digest (per entity uid and etag), so accepting a run costs no catalog or file reads.
 * @internal
 */
export class BlueprintRegistry {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #urlReader: UrlReaderService;
  readonly #logger: LoggerService;
  #groups: Map<string, BlueprintGroup> | undefined;
  #refreshing: Promise<Map<string, BlueprintGroup>> | undefined;
  #lastRefreshAt = 0;
  readonly #digests = new Map<string, Promise<string>>();

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    urlReader: UrlReaderService;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#urlReader = options.urlReader;
    this.#logger = options.logger;
  }

  /** Re-reads the Blueprint entities; concurrent callers share one catalog request. */
  refresh(): Promise<Map<string, BlueprintGroup>> {
    if (!this.#refreshing) {
      this.#lastRefreshAt = Date.now();
      this.#refreshing = this.#load()
        .then(groups => {
          this.#groups = groups;
          return groups;
        })
        .finally(() => {
          this.#refreshing = undefined;
        });
    }
    return this.#refreshing;
  }

  async list(query: { type?: string } = {}): Promise<BlueprintSummary[]> {
    let groups = this.#groups ?? (await this.refresh());
    // Right after start-up the catalog may not have ingested the blueprints yet.
    if (groups.size === 0 && this.#mayRefreshOnMiss()) {
      groups = await this.refresh();
    }
    return [...groups.values()]
      .map(toSummary)
      .filter(summary => !query.type || summary.type === query.type)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async getDetails(name: string): Promise<BlueprintDetails> {
    const group = await this.#findGroup(name);
    const { versions: _versionNames, ...summary } = toSummary(group);
    return { ...summary, versions: group.versions.map(toBlueprintVersion) };
  }

  /**
   * The version asked for, or the latest one.
   * @throws NotFoundError naming what is missing and what exists
   */
  async resolve(name: string, version?: string): Promise<ResolvedBlueprint> {
    let group = await this.#findGroup(name);
    if (!version) {
      return group.versions[0];
    }
    let found = group.versions.find(v => v.version === version);
    if (!found && this.#mayRefreshOnMiss()) {
      group = (await this.refresh()).get(name) ?? group;
      found = group.versions.find(v => v.version === version);
    }
    if (!found) {
      throw new NotFoundError(
        `blueprint '${name}' has no version '${version}' (field /version); available: ${group.versions
          .map(v => v.version)
          .join(', ')}`,
      );
    }
    return found;
  }

  /** The content digest a run pins; read once per entity revision. */
  digest(blueprint: ResolvedBlueprint): Promise<string> {
    let digest = this.#digests.get(blueprint.cacheKey);
    if (!digest) {
      digest = this.readFiles(blueprint).then(computeBlueprintDigest);
      this.#digests.set(blueprint.cacheKey, digest);
      digest.catch(() => this.#digests.delete(blueprint.cacheKey));
    }
    return digest;
  }

  readFiles(blueprint: ResolvedBlueprint): Promise<BlueprintFile[]> {
    return readBlueprintFiles(blueprint.files, { urlReader: this.#urlReader });
  }

  async #findGroup(name: string): Promise<BlueprintGroup> {
    let groups = this.#groups ?? (await this.refresh());
    if (!groups.has(name) && this.#mayRefreshOnMiss()) {
      groups = await this.refresh();
    }
    const group = groups.get(name);
    if (!group) {
      throw new NotFoundError(
        `blueprint '${name}' does not exist (field /blueprint); GET /blueprints lists the available ones`,
      );
    }
    return group;
  }

  #mayRefreshOnMiss() {
    return Date.now() - this.#lastRefreshAt >= MISS_REFRESH_INTERVAL_MS;
  }

  async #load(): Promise<Map<string, BlueprintGroup>> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntities(
      { filter: { kind: BLUEPRINT_KIND, apiVersion: BLUEPRINT_API_VERSION } },
      { credentials },
    );
    const groups = new Map<string, BlueprintGroup>();
    for (const entity of items) {
      const blueprint = this.#toResolved(entity);
      if (!blueprint) {
        continue;
      }
      const group = groups.get(blueprint.name) ?? {
        name: blueprint.name,
        versions: [],
      };
      if (group.versions.some(v => v.version === blueprint.version)) {
        this.#logger.warn(
          `Blueprint ${blueprint.name} version ${blueprint.version} is defined twice; ignoring ${blueprint.entityRef}`,
        );
        continue;
      }
      group.versions.push(blueprint);
      groups.set(blueprint.name, group);
    }
    for (const group of groups.values()) {
      group.versions.sort((a, b) => semver.rcompare(a.version, b.version));
    }
    return groups;
  }

  #toResolved(entity: Entity): ResolvedBlueprint | undefined {
    const entityRef = stringifyEntityRef(entity);
    if (!isBlueprintEntity(entity)) {
      return undefined;
    }
    const problems = validateBlueprintEntity(entity);
    const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
    if (problems.length || !location) {
      this.#logger.warn(
        `Ignoring invalid blueprint ${entityRef}: ${
          problems.length
            ? formatFieldErrors(problems)
            : `it has no ${ANNOTATION_LOCATION} annotation`
        }`,
      );
      return undefined;
    }
    let files: ResolvedFileSource[];
    try {
      files = resolveFileSources(location, entity.spec.files);
    } catch (e) {
      this.#logger.warn(
        `Ignoring blueprint ${entityRef}: ${(e as Error).message}`,
      );
      return undefined;
    }
    const { spec, metadata } = entity;
    return {
      name: metadata.labels![LABEL_BLUEPRINT],
      version: spec.version,
      type: spec.type,
      title: metadata.title ?? metadata.labels![LABEL_BLUEPRINT],
      description: metadata.description,
      owner: spec.owner,
      tags: metadata.tags ?? [],
      entityRef,
      parameters: spec.parameters,
      steps: spec.steps ?? [],
      files,
      lifecycle: spec.lifecycle ?? 'experimental',
      catalogInfoPath:
        spec.outputs?.catalogInfoPath ?? DEFAULT_CATALOG_INFO_PATH,
      cacheKey:
        metadata.uid && metadata.etag
          ? `${metadata.uid}:${metadata.etag}`
          : `${entityRef}:${JSON.stringify(spec)}:${location}`,
      entity,
    };
  }
}

/** @internal */
export function toBlueprintVersion(
  blueprint: ResolvedBlueprint,
): BlueprintVersion {
  return {
    name: blueprint.name,
    version: blueprint.version,
    type: blueprint.type,
    title: blueprint.title,
    description: blueprint.description,
    owner: blueprint.owner,
    tags: blueprint.tags,
    entityRef: blueprint.entityRef,
    parameters: blueprint.parameters,
    steps: blueprint.steps,
  };
}

function toSummary(group: BlueprintGroup): BlueprintSummary {
  const latest = group.versions[0];
  return {
    name: group.name,
    type: latest.type,
    title: latest.title,
    description: latest.description,
    owner: latest.owner,
    tags: latest.tags,
    latestVersion: latest.version,
    versions: group.versions.map(v => v.version),
  };
}
