import type {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  RELATION_MEMBER_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { RunStore } from '../database/RunStore';
import { ShortLivedCache } from '../service/ShortLivedCache';
import { lowerRef } from './lowerRef';

function isKind(kind: string) {
  return (ref: string) => {
    try {
      return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === kind;
    } catch {
      return false;
    }
  };
}
const isGroupRef = isKind('group');
const isUserRef = isKind('user');

/**
 * Who belongs to which group, and who owns which system: the catalog's answer, plus the groups
 * a user's sign-in token names (ownership refs set by the portal's sign-in resolver).
 * @internal
 */
export class OrgDirectory {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #userInfo: UserInfoService;
  readonly #store: RunStore;
  /** Catalog answers are reused for 10 s: membership changes show up within that time. */
  readonly #catalogGroups = new ShortLivedCache<string[]>({ ttlMs: 10_000 });
  readonly #systemOwners = new ShortLivedCache<string | undefined>({
    ttlMs: 10_000,
    // A system that does not exist yet may be provisioned any moment.
    keep: owner => owner !== undefined,
  });

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    userInfo: UserInfoService;
    store: RunStore;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#userInfo = options.userInfo;
    this.#store = options.store;
  }

  /**
   * Group refs `userRef` is a member of (direct membership, as Backstage's ownership resolution
   * has it). With the user's own credentials, the groups of their sign-in token count too.
   */
  async groupsOf(
    userRef: string,
    credentials?: BackstageCredentials,
  ): Promise<string[]> {
    const groups = new Set(
      await this.#catalogGroups.get(userRef, () => this.#memberOf(userRef)),
    );
    if (credentials && this.#auth.isPrincipal(credentials, 'user')) {
      const info = await this.#userInfo.getUserInfo(credentials);
      for (const ref of info.ownershipEntityRefs) {
        if (isGroupRef(ref)) {
          groups.add(lowerRef(stringifyEntityRef(parseEntityRef(ref))));
        }
      }
    }
    return [...groups].sort();
  }

  /** The owner of a system provisioned by ProvisionHub or registered in the catalog. */
  systemOwner(name: string): Promise<string | undefined> {
    return this.#systemOwners.get(name, () => this.#lookUpSystemOwner(name));
  }

  /** The groups the catalog's user entity is a member of. */
  async #memberOf(userRef: string): Promise<string[]> {
    // Service callers (plugins, external access tokens) are no catalog entities.
    if (!isUserRef(userRef)) {
      return [];
    }
    const entity = await this.#catalog.getEntityByRef(userRef, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    return (entity?.relations ?? [])
      .filter(r => r.type === RELATION_MEMBER_OF && isGroupRef(r.targetRef))
      .map(r => lowerRef(r.targetRef));
  }

  async #lookUpSystemOwner(name: string): Promise<string | undefined> {
    const provisioned = await this.#store.getSystem(name);
    if (provisioned) {
      return lowerRef(provisioned.owner);
    }
    const entity = await this.#catalog.getEntityByRef(
      `system:default/${name}`,
      {
        credentials: await this.#auth.getOwnServiceCredentials(),
      },
    );
    const owner = entity?.spec?.owner;
    if (typeof owner !== 'string') {
      return undefined;
    }
    try {
      return lowerRef(
        stringifyEntityRef(
          parseEntityRef(owner, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        ),
      );
    } catch {
      return undefined;
    }
  }
}
