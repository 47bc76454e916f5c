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
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BLUEPRINT_API_VERSION,
  BLUEPRINT_KIND,
  BlueprintChangelogEntry,
  BlueprintDetails,
  BlueprintEntityV1alpha1,
  BlueprintSummary,
  BlueprintVersion,
  BlueprintVersionStatus,
  ComponentUpgradeInfo,
  DEFAULT_CATALOG_INFO_PATH,
  LABEL_BLUEPRINT,
  MODIFIED_BLUEPRINT_REASON,
  ResolvedFileSource,
  formatFieldErrors,
  isBlueprintEntity,
  validateBlueprintEntity,
} from '@provisionhub/plugin-provisionhub-common';
import {
  BlueprintFile,
  blueprintFolderOf,
  computeBlueprintDigest,
  readBlueprintFiles,
  resolveFileSources,
} from '@provisionhub/plugin-provisionhub-node';
import semver from 'semver';
import type { BlueprintLedger } from '../database/BlueprintLedger';
import type { BlueprintTrust } from './BlueprintTrust';

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
  /** Its `backstage.io/managed-by-location`. */
  location: string;
  /** Resolved folders its files must really be in: its own folder and the shared folders. */
  roots: string[];
  trusted: boolean;
  /** Why it cannot be used whatever its files are: untrusted, or files from outside its folder. */
  refusal?: string;
}

interface BlueprintGroup {
  name: string;
  /** Newest first. */
  versions: ResolvedBlueprint[];
}

/** A refresh on a miss happens at most this often, so unknown names cannot hammer the catalog. */
const MISS_REFRESH_INTERVAL_MS = 2000;
/**
 * A version's files are read again (to notice changes after publication) when their digest is
 * older than this; the catalog entity may stay the same while its files change.
 */
const DIGEST_MAX_AGE_MS = 5000;
/** The same for blueprints read through URL readers (a Git server's API): read less often. */
const URL_DIGEST_MAX_AGE_MS = 60_000;

/**
 * The Blueprint entities of the catalog, grouped into versioned blueprints, with the trust and
 * publication rules every door (REST runs, queued requests, dry runs) goes through `resolve`:
 * only entities from trusted catalog locations, files only from the blueprint's folder and the
 * shared folders, and a published version (its digest recorded in the ledger the first time it
 * is seen) must keep its digest. The entity list is cached (refreshed on a schedule and when a
 * name or version is missing) and each version's digest for a few seconds, so accepting a run
 * rarely reads the catalog or the files.
 * @internal
 */
export class BlueprintRegistry {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #urlReader: UrlReaderService;
  readonly #logger: LoggerService;
  readonly #trust: BlueprintTrust;
  readonly #ledger: BlueprintLedger;
  readonly #digestMaxAgeMs: number;
  #groups: Map<string, BlueprintGroup> | undefined;
  /** Why entities labelled with a blueprint name were ignored, by that name. */
  #invalid = new Map<string, string>();
  #refreshing: Promise<Map<string, BlueprintGroup>> | undefined;
  #lastRefreshAt = 0;
  readonly #digests = new Map<
    string,
    { digest: Promise<string>; at: number }
  >();

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    urlReader: UrlReaderService;
    logger: LoggerService;
    trust: BlueprintTrust;
    ledger: BlueprintLedger;
    digestMaxAgeMs?: number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#urlReader = options.urlReader;
    this.#logger = options.logger;
    this.#trust = options.trust;
    this.#ledger = options.ledger;
    this.#digestMaxAgeMs = options.digestMaxAgeMs ?? DIGEST_MAX_AGE_MS;
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

  /** Refreshes the entities and records the digest of every trusted version not seen before. */
  async refreshAndRecord(): Promise<void> {
    const groups = await this.refresh();
    for (const group of groups.values()) {
      await Promise.all(group.versions.map(v => this.status(v)));
    }
  }

  async list(query: { type?: string } = {}): Promise<BlueprintSummary[]> {
    let groups = this.#groups ?? (await this.refresh());
    // Right after start-up the catalog may not have ingested the blueprints yet.
    if (groups.size === 0 && this.#mayRefreshOnMiss()) {
      groups = await this.refresh();
    }
    const summaries = await Promise.all(
      [...groups.values()]
        .filter(group => !query.type || group.versions[0].type === query.type)
        .map(group => this.#summary(group)),
    );
    return summaries.sort((a, b) => a.name.localeCompare(b.name));
  }

  async getDetails(name: string): Promise<BlueprintDetails> {
    const group = await this.#findGroup(name);
    const { versions: _versionNames, ...summary } = await this.#summary(group);
    return {
      ...summary,
      versions: await Promise.all(
        group.versions.map(async v => ({
          ...toBlueprintVersion(v),
          status: await this.status(v),
        })),
      ),
    };
  }

  /** One version with its status, usable or not (for reading; runs go through `resolve`). */
  async describeVersion(
    name: string,
    version: string,
  ): Promise<BlueprintVersion> {
    const blueprint = await this.#find(name, version);
    return {
      ...toBlueprintVersion(blueprint),
      status: await this.status(blueprint),
    };
  }

  /**
   * The version asked for, or the newest usable one, for a run or a dry run.
   * @throws NotFoundError naming what is missing and what exists, or when its files cannot be
   * read
   * @throws NotAllowedError when it is not from a trusted source or takes files from outside its
   * folder
   * @throws ConflictError when it was modified after publication
   */
  async resolve(name: string, version?: string): Promise<ResolvedBlueprint> {
    let blueprint: ResolvedBlueprint;
    if (version) {
      blueprint = await this.#find(name, version);
    } else {
      const group = await this.#findGroup(name);
      blueprint =
        group.versions.find(v => v.trusted && !v.refusal) ?? group.versions[0];
    }
    const ref = `blueprint ${blueprint.name}@${blueprint.version}`;
    if (blueprint.refusal) {
      throw new NotAllowedError(
        `${ref} (${blueprint.entityRef}) cannot be used: ${blueprint.refusal}`,
      );
    }
    let digest: string;
    try {
      digest = await this.digest(blueprint);
    } catch (e) {
      throw new NotFoundError(
        `the files of ${ref} cannot be read (${
          (e as Error).message
        }); ask its owner ${blueprint.owner} to fix ${blueprint.entityRef}`,
      );
    }
    const published = await this.#record(blueprint, digest);
    if (published.digest !== digest) {
      throw new ConflictError(
        `${ref} was ${MODIFIED_BLUEPRINT_REASON}: it was published with digest ${published.digest} on ${published.firstSeenAt}, and its files (shared folders included) now have digest ${digest}. A published version must not change: publish the change as a new version (a Blueprint entity with a higher spec.version) and use that one`,
      );
    }
    return blueprint;
  }

  /**
   * What upgrading from `version` would bring: the newest usable version and the changelog of
   * every version after `version` up to it. Undefined when the blueprint is not in the catalog.
   */
  async upgradeInfo(
    name: string,
    version: string,
  ): Promise<ComponentUpgradeInfo | undefined> {
    let group: BlueprintGroup;
    try {
      group = await this.#findGroup(name);
    } catch (error) {
      if (error instanceof NotFoundError) {
        return undefined;
      }
      throw error;
    }
    const { latestVersion } = await this.#summary(group);
    const available = semver.gt(latestVersion, version);
    return {
      available,
      latest: latestVersion,
      changelog: available ? changelogOf(group, version, latestVersion) : [],
    };
  }

  /** The changelog entries of the versions after `from` up to `to`, newest first. */
  async changelog(
    name: string,
    from: string,
    to: string,
  ): Promise<BlueprintChangelogEntry[]> {
    return changelogOf(await this.#findGroup(name), from, to);
  }

  /** Whether runs of the version are accepted; records its digest the first time it is seen. */
  async status(blueprint: ResolvedBlueprint): Promise<BlueprintVersionStatus> {
    const trusted = blueprint.trusted;
    if (blueprint.refusal) {
      return { usable: false, trusted, reason: blueprint.refusal };
    }
    let digest: string;
    try {
      digest = await this.digest(blueprint);
    } catch (e) {
      return {
        usable: false,
        trusted,
        reason: `its files cannot be read: ${(e as Error).message}`,
      };
    }
    const published = await this.#record(blueprint, digest);
    const at = { digest: published.digest, at: published.firstSeenAt };
    if (published.digest !== digest) {
      return {
        usable: false,
        trusted,
        reason: `${MODIFIED_BLUEPRINT_REASON}: its files now have digest ${digest}; publish a new version`,
        published: at,
        modifiedAfterPublication: { digest },
      };
    }
    return { usable: true, trusted, published: at };
  }

  async #summary(group: BlueprintGroup): Promise<BlueprintSummary> {
    const statuses = await Promise.all(group.versions.map(v => this.status(v)));
    const usable = statuses.findIndex(status => status.usable);
    const latest = usable < 0 ? 0 : usable;
    return {
      ...toSummary(group, group.versions[latest]),
      status: statuses[latest],
    };
  }

  #record(blueprint: ResolvedBlueprint, digest: string) {
    return this.#ledger.recordFirstSeen({
      name: blueprint.name,
      version: blueprint.version,
      digest,
      entityRef: blueprint.entityRef,
      location: blueprint.location,
    });
  }

  /** The version asked for, usable or not. */
  async #find(name: string, version: string): Promise<ResolvedBlueprint> {
    let group = await this.#findGroup(name);
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

  /**
   * The content digest a run pins; its files are read again after 5 seconds (60 seconds for
   * blueprints read from URLs).
   */
  digest(blueprint: ResolvedBlueprint): Promise<string> {
    const cached = this.#digests.get(blueprint.cacheKey);
    const maxAge = blueprint.files.every(f => f.location.startsWith('file:'))
      ? this.#digestMaxAgeMs
      : Math.max(this.#digestMaxAgeMs, URL_DIGEST_MAX_AGE_MS);
    if (cached && Date.now() - cached.at < maxAge) {
      return cached.digest;
    }
    const digest = this.readFiles(blueprint).then(computeBlueprintDigest);
    this.#digests.set(blueprint.cacheKey, { digest, at: Date.now() });
    digest.catch(() => this.#digests.delete(blueprint.cacheKey));
    return digest;
  }

  readFiles(blueprint: ResolvedBlueprint): Promise<BlueprintFile[]> {
    return readBlueprintFiles(blueprint.files, {
      urlReader: this.#urlReader,
      within: blueprint.roots,
    });
  }

  async #findGroup(name: string): Promise<BlueprintGroup> {
    let groups = this.#groups ?? (await this.refresh());
    if (!groups.has(name) && this.#mayRefreshOnMiss()) {
      groups = await this.refresh();
    }
    const group = groups.get(name);
    const invalid = this.#invalid.get(name);
    if (!group && invalid) {
      throw new NotFoundError(
        `blueprint '${name}' has no valid version (field /blueprint): ${invalid}`,
      );
    }
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
    this.#invalid = new Map();
    for (const entity of items) {
      const blueprint = this.#toResolved(entity);
      if (!blueprint) {
        continue;
      }
      const group = groups.get(blueprint.name) ?? {
        name: blueprint.name,
        versions: [],
      };
      const twin = group.versions.findIndex(
        v => v.version === blueprint.version,
      );
      if (twin >= 0) {
        // An untrusted entity never takes a version away from a trusted one.
        const [kept, ignored] =
          blueprint.trusted && !group.versions[twin].trusted
            ? [blueprint, group.versions[twin]]
            : [group.versions[twin], blueprint];
        group.versions[twin] = kept;
        this.#logger.warn(
          `Blueprint ${blueprint.name} version ${blueprint.version} is defined twice; ignoring ${ignored.entityRef}`,
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
      const why = `${entityRef} is invalid: ${
        problems.length
          ? formatFieldErrors(problems)
          : `it has no ${ANNOTATION_LOCATION} annotation`
      }`;
      this.#logger.warn(`Ignoring blueprint ${why}`);
      const label = entity.metadata.labels?.[LABEL_BLUEPRINT];
      if (label) {
        this.#invalid.set(label, why);
      }
      return undefined;
    }
    const trust = this.#trust.check(location, entity.spec.owner);
    let refusal = trust.trusted ? undefined : trust.reason;
    let files: ResolvedFileSource[] = [];
    let roots: string[] = [];
    try {
      roots = [blueprintFolderOf(location), ...this.#trust.sharedFolders];
      files = resolveFileSources(location, entity.spec.files, {
        sharedFolders: this.#trust.sharedFolders,
      });
    } catch (e) {
      refusal ??= (e as Error).message;
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
      ...(spec.changelog ? { changelog: spec.changelog } : {}),
      files,
      lifecycle: spec.lifecycle ?? 'experimental',
      catalogInfoPath:
        spec.outputs?.catalogInfoPath ?? DEFAULT_CATALOG_INFO_PATH,
      cacheKey:
        metadata.uid && metadata.etag
          ? `${metadata.uid}:${metadata.etag}`
          : `${entityRef}:${JSON.stringify(spec)}:${location}`,
      entity,
      location,
      roots,
      trusted: trust.trusted,
      refusal,
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
    ...(blueprint.changelog ? { changelog: blueprint.changelog } : {}),
  };
}

function changelogOf(
  group: BlueprintGroup,
  from: string,
  to: string,
): BlueprintChangelogEntry[] {
  return group.versions
    .filter(v => semver.gt(v.version, from) && semver.lte(v.version, to))
    .map(v => ({ version: v.version, changes: v.changelog ?? '' }));
}

function toSummary(
  group: BlueprintGroup,
  latest: ResolvedBlueprint,
): BlueprintSummary {
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
