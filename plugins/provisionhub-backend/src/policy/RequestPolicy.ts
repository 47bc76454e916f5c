import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PolicyDecision,
  adminPermission,
} from '@provisionhub/plugin-provisionhub-common';
import type { ValidatedDecommission } from '../service/DecommissionValidator';
import type { ValidatedRunRequest } from '../service/RunRequestValidator';
import type { ValidatedUpgrade } from '../service/UpgradeValidator';
import type { ValidatedPromotion } from '../service/PromoteValidator';
import type { OrgDirectory } from './OrgDirectory';
import type { PolicyEngine, RequesterFacts } from './PolicyEngine';

/**
 * Who asks: their ref, and either their own credentials (REST) or what the publisher of a queued
 * request verified for them.
 * @internal
 */
export interface Requester {
  ref: string;
  credentials?: BackstageCredentials;
  /**
   * Whether the requester holds `provisionhub.admin`, when already known: for queued requests
   * the publisher's check, for REST requests the route's. Otherwise `credentials` are asked.
   */
  isAdmin?: boolean;
}

/**
 * Gathers the facts policy rules look at for a validated request and asks the engine.
 * @internal
 */
export class RequestPolicy {
  readonly #engine: PolicyEngine;
  readonly #directory: OrgDirectory;
  readonly #permissions: PermissionsService;

  constructor(options: {
    engine: PolicyEngine;
    directory: OrgDirectory;
    permissions: PermissionsService;
  }) {
    this.#engine = options.engine;
    this.#directory = options.directory;
    this.#permissions = options.permissions;
  }

  async decide(
    request:
      | ValidatedRunRequest
      | ValidatedUpgrade
      | ValidatedDecommission
      | ValidatedPromotion,
    requester: Requester,
  ): Promise<PolicyDecision> {
    const [facts, systemOwner] = await Promise.all([
      this.requesterFacts(requester),
      request.system ? this.#directory.systemOwner(request.system) : undefined,
    ]);
    return this.#engine.evaluate({
      kind: request.kind,
      blueprint: {
        name: request.blueprint.name,
        type: request.blueprint.type,
        version: request.blueprint.version,
      },
      owner: request.owner,
      system: request.system,
      environment: request.environment,
      values: request.values,
      requester: facts,
      systemOwner: request.kind === 'system' ? undefined : systemOwner,
    });
  }

  async requesterFacts(requester: Requester): Promise<RequesterFacts> {
    const [groups, isAdmin] = await Promise.all([
      this.#directory.groupsOf(requester.ref, requester.credentials),
      requester.isAdmin === undefined && requester.credentials
        ? this.#permissions
            .authorize([{ permission: adminPermission }], {
              credentials: requester.credentials,
            })
            .then(([d]) => d.result === AuthorizeResult.ALLOW)
        : Boolean(requester.isAdmin),
    ]);
    return { ref: requester.ref, groups, isAdmin };
  }
}
