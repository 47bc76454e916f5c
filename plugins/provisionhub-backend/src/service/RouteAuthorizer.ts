import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { adminPermission } from '@provisionhub/plugin-provisionhub-common';
import type { Request } from 'express';

/** Any express request, whatever its typed params, query and body. @internal */
export type AnyRequest = Request<any, any, any, any>;
import type { RunAccessFilter } from '../database/RunStore';
import { ShortLivedCache } from './ShortLivedCache';
import { runPermissionResourceRef } from '../permissions/runPermissionRules';

type AnyPermission = BasicPermission | ResourcePermission;

/**
 * The one place where routes check who is calling and what they may do.
 * @internal
 */
export class RouteAuthorizer {
  readonly #httpAuth: HttpAuthService;
  readonly #permissions: PermissionsService;
  readonly #toFilter: (
    criteria: PermissionCriteria<any>,
  ) => PermissionCriteria<RunAccessFilter>;

  readonly #decisions: ShortLivedCache<AuthorizeResult[]>;
  readonly #generalDecisions: ShortLivedCache<PolicyDecision[]>;

  constructor(options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
    /** How long a caller's decisions are reused. Default 2 s; 0 turns reuse off. */
    decisionTtlMs?: number;
  }) {
    this.#httpAuth = options.httpAuth;
    this.#permissions = options.permissions;
    this.#decisions = new ShortLivedCache({
      ttlMs: options.decisionTtlMs ?? 2000,
    });
    this.#generalDecisions = new ShortLivedCache({
      ttlMs: options.decisionTtlMs ?? 2000,
    });
    this.#toFilter = createConditionTransformer(
      options.permissionsRegistry.getPermissionRuleset(
        runPermissionResourceRef,
      ),
    );
  }

  /** The caller: a user or another backend, never an anonymous request. */
  credentials(req: AnyRequest): Promise<BackstageCredentials> {
    return this.#httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /** The error for a denied permission, naming it. */
  notAllowed(permission: AnyPermission, resourceRef?: string): NotAllowedError {
    return notAllowed(permission, resourceRef);
  }

  /**
   * Checks one permission (for one run when `resourceRef` is its id) and returns the caller.
   * @throws NotAllowedError
   */
  async authorize(
    req: AnyRequest,
    permission: AnyPermission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    if (!resourceRef && permission.type === 'resource') {
      // A conditional decision here concerns individual runs; the route applies it to them.
      const [decision] = await this.#general(req, credentials, [permission]);
      if (decision.result === AuthorizeResult.DENY) {
        throw notAllowed(permission);
      }
      return credentials;
    }
    const result = resourceRef
      ? (
          await this.#onRun(
            req,
            credentials,
            [permission as ResourcePermission],
            resourceRef,
          )
        )[0]
      : (
          await this.#basic(req, credentials, [permission as BasicPermission])
        )[0];
    if (result !== AuthorizeResult.ALLOW) {
      throw notAllowed(permission, resourceRef);
    }
    return credentials;
  }

  /**
   * Checks a basic permission and tells whether the caller also holds `provisionhub.admin`
   * (what policy rules and the ownership rule need), both in one request.
   * @throws NotAllowedError
   */
  async authorizeWithAdmin(
    req: AnyRequest,
    permission: BasicPermission,
  ): Promise<{ credentials: BackstageCredentials; isAdmin: boolean }> {
    const credentials = await this.credentials(req);
    const [result, admin] = await this.#basic(req, credentials, [
      permission,
      adminPermission,
    ]);
    if (result !== AuthorizeResult.ALLOW) {
      throw notAllowed(permission);
    }
    return { credentials, isAdmin: admin === AuthorizeResult.ALLOW };
  }

  /**
   * Checks a run permission for a list: returns the filter that a conditional decision implies
   * (undefined means every run).
   * @throws NotAllowedError
   */
  async authorizeRunList(
    req: AnyRequest,
    permission: ResourcePermission,
  ): Promise<{ credentials: BackstageCredentials; access?: RunAccessFilter }> {
    const credentials = await this.credentials(req);
    const [decision] = await this.#general(req, credentials, [permission]);
    if (decision.result === AuthorizeResult.DENY) {
      throw notAllowed(permission);
    }
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return {
        credentials,
        access: toAccessFilter(this.#toFilter(decision.conditions)),
      };
    }
    return { credentials };
  }

  /** Which of the permissions the caller holds for one run; never throws on a denial. */
  async allowedOnRun(
    req: AnyRequest,
    credentials: BackstageCredentials,
    permissions: ResourcePermission[],
    runId: string,
  ): Promise<boolean[]> {
    const results = await this.#onRun(req, credentials, permissions, runId);
    return results.map(result => result === AuthorizeResult.ALLOW);
  }

  /** Decisions on basic permissions, reused for a short time per caller token like {@link #onRun}. */
  async #basic(
    req: AnyRequest,
    credentials: BackstageCredentials,
    permissions: BasicPermission[],
  ): Promise<AuthorizeResult[]> {
    return this.#decisions.get(
      decisionKey(
        req,
        permissions.map(p => p.name),
      ),
      async () =>
        (
          await this.#permissions.authorize(
            permissions.map(permission => ({ permission })),
            { credentials },
          )
        ).map(decision => decision.result),
    );
  }

  /**
   * The caller's decisions on run permissions for runs in general, reused for a short time per
   * token: ALLOW or DENY hold for every run (a policy never sees which run is asked about), and
   * CONDITIONAL carries the conditions a run must meet.
   */
  #general(
    req: AnyRequest,
    credentials: BackstageCredentials,
    permissions: ResourcePermission[],
  ): Promise<PolicyDecision[]> {
    return this.#generalDecisions.get(
      decisionKey(
        req,
        permissions.map(p => p.name),
      ),
      () =>
        this.#permissions.authorizeConditional(
          permissions.map(permission => ({ permission })),
          { credentials },
        ),
    );
  }

  /**
   * Decisions on one run. Only conditional decisions depend on the run; those are asked in one
   * request to the permission framework and reused for a short time per caller token, so a
   * poller reading a run every 50 ms asks at most once per TTL, and one reading a hundred runs
   * asks once per TTL when its decisions do not depend on the run.
   */
  async #onRun(
    req: AnyRequest,
    credentials: BackstageCredentials,
    permissions: ResourcePermission[],
    runId: string,
  ): Promise<AuthorizeResult[]> {
    const general = await this.#general(req, credentials, permissions);
    if (general.every(d => d.result !== AuthorizeResult.CONDITIONAL)) {
      return general.map(d => d.result);
    }
    return this.#decisions.get(
      decisionKey(req, [runId, ...permissions.map(p => p.name)]),
      async () =>
        (
          await this.#permissions.authorize(
            permissions.map(permission => ({ permission, resourceRef: runId })),
            { credentials },
          )
        ).map(decision => decision.result),
    );
  }

  /** Only other backend plugins (e.g. the catalog module) may call. */
  async requireService(req: AnyRequest): Promise<BackstageCredentials> {
    return this.#httpAuth.credentials(req, { allow: ['service'] });
  }

  /** The ref recorded as the actor of a change. */
  actorOf(credentials: BackstageCredentials): string {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    return principal.userEntityRef ?? principal.subject ?? principal.type;
  }
}

/** Decisions are reused per caller token (never across callers); none without a token. */
function decisionKey(req: AnyRequest, parts: string[]): string | undefined {
  const token = req.headers?.authorization as string | undefined;
  return token && [token, ...parts].join('\n');
}

function notAllowed(permission: AnyPermission, resourceRef?: string) {
  return new NotAllowedError(
    `you lack the permission ${permission.name}${
      resourceRef ? ` for run ${resourceRef}` : ''
    }`,
  );
}

function toAccessFilter(
  criteria: PermissionCriteria<RunAccessFilter>,
): RunAccessFilter {
  if ('allOf' in criteria) {
    return { allOf: criteria.allOf.map(toAccessFilter) };
  }
  if ('anyOf' in criteria) {
    return { anyOf: criteria.anyOf.map(toAccessFilter) };
  }
  if ('not' in criteria) {
    return { not: toAccessFilter(criteria.not) };
  }
  return criteria;
}
