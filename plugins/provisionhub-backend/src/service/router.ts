import { NotFoundError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  RUN_STATUSES,
  Run,
  RunKind,
  RunStatus,
  adminPermission,
  blueprintReadPermission,
  runApprovePermission,
  runCancelPermission,
  runCreatePermission,
  runReadPermission,
  runRetryPermission,
} from '@provisionhub/plugin-provisionhub-common';
import type { Router } from 'express';
import PromiseRouter from 'express-promise-router';
import { createHash } from 'node:crypto';
import type { RunStore } from '../database/RunStore';
import { createOpenApiRouter } from '../schema/openapi';
import { jsonBody } from './bodyParsing';
import type { BlueprintRegistry } from './BlueprintRegistry';
import type { DryRunService } from './DryRunService';
import type { AnyRequest, RouteAuthorizer } from './RouteAuthorizer';
import { approvalBlocker } from '../policy/approvals';
import type { RunService } from './RunService';
import type { UpgradeCampaigns } from './UpgradeCampaigns';
import { isCancellable, isRetryable } from './RunTransitions';
import { toApiDeadLetter } from './deadLetterView';
import { toApiRun } from './runView';
import { ReadPacer, TooManyReadsError } from './ReadPacer';
import { ShortLivedCache } from './ShortLivedCache';
import type { ComponentEnvironments } from '../environments/ComponentEnvironments';

/** @internal */
export interface RouterOptions {
  runs: RunService;
  store: RunStore;
  blueprints: BlueprintRegistry;
  dryRuns: DryRunService;
  campaigns: UpgradeCampaigns;
  authorizer: RouteAuthorizer;
  /** `provisionhub.environments`, in promotion order. */
  environments: readonly EnvironmentDefinition[];
  /** What runs where, for `GET /components/{name}`. */
  componentEnvironments: Pick<ComponentEnvironments, 'describe'>;
  bodyLimitBytes?: number;
  /** `provisionhub.runs.readsPerSecond`: one caller's reads of a run a second. */
  runReadsPerSecond: number;
}

function asStatuses(value: unknown): RunStatus[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const list = (Array.isArray(value) ? value : [value]) as string[];
  return list.filter((s): s is RunStatus =>
    (RUN_STATUSES as readonly string[]).includes(s),
  );
}

function optionalNumber(value: unknown, fallback: number) {
  return value === undefined ? fallback : Number(value);
}

/**
 * The REST API of `docs/design.md`, validated against `src/schema/openapi.yaml`.
 * @internal
 */
export async function createRouter(options: RouterOptions): Promise<Router> {
  const { runs, store, blueprints, dryRuns, campaigns, authorizer } = options;
  // Bodies are parsed before the validating router: its error handler would turn the 413 of an
  // oversized body into a 400.
  const outer = PromiseRouter();
  outer.use(jsonBody(options.bodyLimitBytes));
  const router = await createOpenApiRouter();
  outer.use(router);

  const context = async (
    req: AnyRequest,
    permission: Parameters<RouteAuthorizer['authorize']>[1],
    runId?: string,
  ) => {
    const credentials = await authorizer.authorize(req, permission, runId);
    return {
      actor: authorizer.actorOf(credentials),
      credentials,
      request: req,
    };
  };
  /** The context of a request for a run: policy rules also need to know whether it is an admin. */
  const requestContext = async (req: AnyRequest) => {
    const { credentials, isAdmin } = await authorizer.authorizeWithAdmin(
      req,
      runCreatePermission,
    );
    return {
      actor: authorizer.actorOf(credentials),
      credentials,
      request: req,
      isAdmin,
    };
  };

  /**
   * A run as one caller sees it, and a validator of that view: the run's last change and what
   * the caller may do with it. Reading the details is skipped when the caller already has them.
   */
  // A view is a function of its ETag (the run's last change, the caller and their rights):
  // callers polling an unchanged run share one rendering instead of reading steps, history
  // and approvals again on every request. 10 s, like the approver groups it may name.
  const views = new ShortLivedCache<Run>({ ttlMs: 10_000, maxEntries: 2000 });
  const runView = async (req: AnyRequest, id: string) => {
    const credentials = await authorizer.credentials(req);
    const [mayRead, mayCancel, mayRetry, mayApprove] =
      await authorizer.allowedOnRun(
        req,
        credentials,
        [
          runReadPermission,
          runCancelPermission,
          runRetryPermission,
          runApprovePermission,
        ],
        id,
      );
    if (!mayRead) {
      throw authorizer.notAllowed(runReadPermission, id);
    }
    const record = await store.getRun(id);
    if (!record) {
      throw new NotFoundError(`run ${id} does not exist`);
    }
    const actor = authorizer.actorOf(credentials);
    const etag = `W/"${createHash('sha256')
      .update(
        [
          record.updatedAt,
          record.status,
          actor,
          mayCancel,
          mayRetry,
          mayApprove,
        ].join('|'),
      )
      .digest('base64url')
      .slice(0, 27)}"`;
    const details = () =>
      views.get(`${id} ${etag}`, async () => {
        const [steps, history, approvals] = await Promise.all([
          store.getRunSteps(id),
          store.getRunHistory(id),
          store.getApprovals(id),
        ]);
        let approvalBlockedReason: string | undefined;
        if (record.status === 'awaiting_approval') {
          approvalBlockedReason = mayApprove
            ? approvalBlocker(
                record,
                approvals,
                await runs.approver({ actor, credentials }),
                'approve',
              )?.message
            : `you lack the permission ${runApprovePermission.name}`;
        }
        return toApiRun(record, {
          steps,
          history,
          approvals,
          canCancel: mayCancel && isCancellable(record.status),
          canRetry: mayRetry && isRetryable(record),
          ...(record.status === 'awaiting_approval'
            ? {
                canApprove: !approvalBlockedReason,
                ...(approvalBlockedReason ? { approvalBlockedReason } : {}),
              }
            : {}),
        });
      });
    return { etag, details };
  };

  const runDetails = async (req: AnyRequest, id: string) =>
    (await runView(req, id)).details();

  router.get('/health', async (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.post('/runs', async (req, res) => {
    const run = await runs.requestRun(req.body, await requestContext(req));
    res.status(202).json(toApiRun(run) as any);
  });

  router.get('/runs', async (req, res) => {
    const { access } = await authorizer.authorizeRunList(
      req,
      runReadPermission,
    );
    const query = req.query as Record<string, unknown>;
    const page = await store.listRuns({
      status: asStatuses(query.status),
      kind: query.kind as RunKind | undefined,
      system: query.system as string | undefined,
      requestedBy: query.requestedBy as string | undefined,
      entityRef: query.entityRef as string | undefined,
      limit: optionalNumber(query.limit, 50),
      cursor: query.cursor as string | undefined,
      access,
    });
    res.json({
      items: page.items.map(r => toApiRun(r)),
      nextCursor: page.nextCursor,
    } as any);
  });

  // Conditional requests: a client that still holds the current view gets 304, and browsers
  // revalidate (no-cache) instead of reusing a stale copy. A view is a few KB polled many times
  // a second: gzipping it (no-transform turns that off) cost as much CPU as the rest of a read.
  const reads = new ReadPacer({ perSecond: options.runReadsPerSecond });
  router.get('/runs/:id', async (req, res) => {
    await reads
      .pace(authorizer.actorOf(await authorizer.credentials(req)))
      .catch(error => {
        if (error instanceof TooManyReadsError) {
          res.setHeader('Retry-After', String(error.retryAfterSeconds));
        }
        throw error;
      });
    const { etag, details } = await runView(req, req.params.id);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache, no-transform');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.json((await details()) as any);
  });

  router.get('/runs/:id/logs', async (req, res) => {
    const { id } = req.params;
    await authorizer.authorize(req, runReadPermission, id);
    if (!(await store.getRun(id))) {
      throw new NotFoundError(`run ${id} does not exist`);
    }
    const query = req.query as Record<string, unknown>;
    const page = await store.getRunLogs(id, {
      after: optionalNumber(query.after, 0),
      limit: optionalNumber(query.limit, 500),
    });
    res.json(page as any);
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    const { id } = req.params;
    await runs.cancel(id, await context(req, runCancelPermission, id));
    res.json((await runDetails(req, id)) as any);
  });

  router.post('/runs/:id/retry', async (req, res) => {
    const { id } = req.params;
    await runs.retry(id, await context(req, runRetryPermission, id));
    res.status(202).json((await runDetails(req, id)) as any);
  });

  router.post('/runs/:id/approve', async (req, res) => {
    const { id } = req.params;
    const body = (req.body ?? {}) as { comment?: string };
    await runs.approve(
      id,
      await context(req, runApprovePermission, id),
      body.comment,
    );
    res.json((await runDetails(req, id)) as any);
  });

  router.post('/runs/:id/reject', async (req, res) => {
    const { id } = req.params;
    await runs.reject(
      id,
      await context(req, runApprovePermission, id),
      req.body.reason,
    );
    res.json((await runDetails(req, id)) as any);
  });

  router.get('/environments', async (req, res) => {
    await authorizer.authorize(req, blueprintReadPermission);
    res.json({ items: options.environments } as any);
  });

  router.get('/systems', async (req, res) => {
    await authorizer.authorize(req, runReadPermission);
    res.json({ items: await store.listSystems() } as any);
  });

  router.get('/systems/:name', async (req, res) => {
    await authorizer.authorize(req, runReadPermission);
    const { name } = req.params;
    const system = await store.getSystem(name);
    if (!system) {
      throw new NotFoundError(
        `system '${name}' was not provisioned by ProvisionHub`,
      );
    }
    res.json({
      ...system,
      components: await store.listComponents({ system: name }),
    } as any);
  });

  router.get('/components', async (req, res) => {
    await authorizer.authorize(req, runReadPermission);
    const system = (req.query as Record<string, unknown>).system as
      | string
      | undefined;
    res.json({ items: await store.listComponents({ system }) } as any);
  });

  router.get('/components/:name', async (req, res) => {
    await authorizer.authorize(req, runReadPermission);
    const component = await store.getComponent(req.params.name);
    if (!component) {
      throw new NotFoundError(
        `component '${req.params.name}' was not provisioned by ProvisionHub`,
      );
    }
    const [upgrade, environments] = await Promise.all([
      blueprints.upgradeInfo(
        component.blueprint.name,
        component.blueprint.version,
      ),
      options.componentEnvironments.describe(component),
    ]);
    res.json({
      ...component,
      ...(upgrade ? { upgrade } : {}),
      environments,
    } as any);
  });

  router.post('/components/:name/promote', async (req, res) => {
    const run = await runs.requestPromotion(
      req.params.name,
      req.body,
      await requestContext(req),
    );
    res.status(202).json(toApiRun(run) as any);
  });

  router.post('/components/:name/upgrade', async (req, res) => {
    const run = await runs.requestUpgrade(
      req.params.name,
      req.body,
      await requestContext(req),
    );
    res.status(202).json(toApiRun(run) as any);
  });

  router.post('/components/:name/decommission', async (req, res) => {
    const run = await runs.requestDecommission(
      'component',
      req.params.name,
      req.body,
      await requestContext(req),
    );
    res.status(202).json(toApiRun(run) as any);
  });

  router.post('/systems/:name/decommission', async (req, res) => {
    const run = await runs.requestDecommission(
      'system',
      req.params.name,
      req.body,
      await requestContext(req),
    );
    res.status(202).json(toApiRun(run) as any);
  });

  router.get('/blueprints', async (req, res) => {
    await authorizer.authorize(req, blueprintReadPermission);
    const type = (req.query as Record<string, unknown>).type as
      | string
      | undefined;
    res.json({ items: await blueprints.list({ type }) } as any);
  });

  router.get('/blueprints/:name', async (req, res) => {
    await authorizer.authorize(req, blueprintReadPermission);
    const [details, counts] = await Promise.all([
      blueprints.getDetails(req.params.name),
      store.countByBlueprintVersion(req.params.name),
    ]);
    res.json({
      ...details,
      versions: details.versions.map(v => ({
        ...v,
        provisioned: counts[v.version] ?? 0,
      })),
    } as any);
  });

  // Platform teams run campaigns; each run is still one the caller could request alone.
  router.post('/blueprints/:name/upgrades', async (req, res) => {
    const caller = await context(req, adminPermission);
    await authorizer.authorize(req, runCreatePermission);
    res
      .status(202)
      .json((await campaigns.start(req.params.name, req.body, caller)) as any);
  });

  router.get('/blueprints/:name/upgrades/:id', async (req, res) => {
    await authorizer.authorize(req, runReadPermission);
    res.json((await campaigns.get(req.params.name, req.params.id)) as any);
  });

  router.get('/blueprints/:name/versions/:version', async (req, res) => {
    await authorizer.authorize(req, blueprintReadPermission);
    res.json(
      (await blueprints.describeVersion(
        req.params.name,
        req.params.version,
      )) as any,
    );
  });

  router.post('/dry-run', async (req, res) => {
    const { actor, credentials } = await context(req, blueprintReadPermission);
    res.json(
      (await dryRuns.dryRun(req.body, { ref: actor, credentials })) as any,
    );
  });

  router.post('/policy/evaluate', async (req, res) => {
    const { actor, credentials, isAdmin } = await requestContext(req);
    res.json(
      (await runs.evaluatePolicy(req.body, {
        ref: actor,
        credentials,
        isAdmin,
      })) as any,
    );
  });

  router.get('/dead-letters', async (req, res) => {
    await authorizer.authorize(req, adminPermission);
    const query = req.query as Record<string, unknown>;
    const page = await store.listDeadLetters(optionalNumber(query.limit, 100));
    res.json({
      items: page.items.map(toApiDeadLetter),
      total: page.total,
    } as any);
  });

  router.post('/dead-letters/purge', async (req, res) => {
    const body = (req.body ?? {}) as { ids?: string[] };
    const purged = await runs.purgeDeadLetters(
      body.ids,
      await context(req, adminPermission),
    );
    res.json({ purged } as any);
  });

  router.post('/dead-letters/:id/redrive', async (req, res) => {
    const run = await runs.redrive(
      req.params.id,
      await context(req, adminPermission),
    );
    res.status(202).json(toApiRun(run) as any);
  });

  router.get('/catalog/entities', async (req, res) => {
    await authorizer.requireService(req);
    res.json({ items: await store.listProvisionedEntities() } as any);
  });

  return outer;
}
