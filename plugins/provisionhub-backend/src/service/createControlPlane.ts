import type {
  AuditorService,
  AuthService,
  DatabaseService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
  UrlReaderService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  adminPermission,
  blueprintReadPermission,
  runApprovePermission,
  runCancelPermission,
  runCreatePermission,
  runReadPermission,
  runRetryPermission,
} from '@provisionhub/plugin-provisionhub-common';
import {
  ProvisionHubBroker,
  readAmqpOptions,
  readRenderLimits,
  readRetryOptions,
} from '@provisionhub/plugin-provisionhub-node';
import { DatabaseBlueprintLedger } from '../database/DatabaseBlueprintLedger';
import { DatabaseCampaignStore } from '../database/DatabaseCampaignStore';
import { DatabaseUpgradeMergeStore } from '../database/DatabaseUpgradeMergeStore';
import { GitBranchMergeReader } from '../merges/GitBranchMergeReader';
import { HostedMergeRequestReader } from '../merges/HostedMergeRequestReader';
import { UpgradeMergeFollower } from '../merges/UpgradeMergeFollower';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunRecord } from '../database/RunStore';
import { OrgDirectory } from '../policy/OrgDirectory';
import { PolicyEngine } from '../policy/PolicyEngine';
import { readPolicyConfig } from '../policy/readPolicyConfig';
import { readEnvironments } from '../environments/readEnvironments';
import {
  GitopsDeployments,
  readGitopsConfig,
} from '../environments/GitopsDeployments';
import { ComponentEnvironments } from '../environments/ComponentEnvironments';
import { ArgoCdClient, readArgoCdConfig } from '../argocd';
import { PromoteValidator } from './PromoteValidator';
import { RequestPolicy } from '../policy/RequestPolicy';
import { BlueprintRegistry } from './BlueprintRegistry';
import { BlueprintTrust } from './BlueprintTrust';
import { ControlPlaneMetrics } from './ControlPlaneMetrics';
import { DryRunService } from './DryRunService';
import { OutboxRelay } from './OutboxRelay';
import {
  runPermissionResourceRef,
  runPermissionRules,
} from '../permissions/runPermissionRules';
import { RouteAuthorizer } from './RouteAuthorizer';
import { createRouter } from './router';
import { RunEventApplier } from './RunEventApplier';
import { RunNotifier } from './RunNotifier';
import { RunPipeline } from './RunPipeline';
import { RunRequestValidator } from './RunRequestValidator';
import { RunService } from './RunService';
import { RunTransitions } from './RunTransitions';
import { UpgradeCampaigns } from './UpgradeCampaigns';
import { UpgradeValidator } from './UpgradeValidator';
import { DecommissionValidator } from './DecommissionValidator';
import { readOperationsConfig } from './readOperationsConfig';

/** @internal */
export interface ControlPlaneDeps {
  database: DatabaseService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  logger: LoggerService;
  config: RootConfigService;
  scheduler: SchedulerService;
  discovery: DiscoveryService;
  urlReader: UrlReaderService;
  catalog: CatalogService;
  signals: SignalsService;
  notifications: NotificationService;
  events: EventsService;
  /** The link to a run's page, for notifications. */
  runPageUrl(runId: string): string;
  metrics: MetricsService;
}

/**
 * Builds the control plane from the plugin's services: store, blueprint registry, run service,
 * event applier, outbox relay, RabbitMQ pipeline and the router.
 * @internal
 */
export async function createControlPlane(deps: ControlPlaneDeps) {
  const { config, logger } = deps;
  const policyConfig = readPolicyConfig(config);
  const environments = readEnvironments(config);
  const argocdOptions = readArgoCdConfig(config);
  const deployments = new GitopsDeployments({
    gitops: readGitopsConfig(config),
    environments,
  });
  const operations = readOperationsConfig(config);
  const store = await DatabaseRunStore.create({ database: deps.database });
  const retry = readRetryOptions(config);
  const broker = ProvisionHubBroker.create({
    amqp: readAmqpOptions(config),
    retry,
    logger,
    connectionName: 'provisionhub-backend',
  });

  deps.permissionsRegistry.addPermissions([
    runCreatePermission,
    blueprintReadPermission,
    adminPermission,
  ]);
  deps.permissionsRegistry.addResourceType({
    resourceRef: runPermissionResourceRef,
    permissions: [
      runReadPermission,
      runApprovePermission,
      runCancelPermission,
      runRetryPermission,
    ],
    rules: Object.values(runPermissionRules),
    getResources: async (ids: string[]) => {
      const byId = new Map(
        (await store.getRuns(ids)).map(run => [run.id, run]),
      );
      return ids.map(id => byId.get(id)) as RunRecord[];
    },
  });

  const blueprints = new BlueprintRegistry({
    ...deps,
    trust: BlueprintTrust.fromConfig(config),
    ledger: await DatabaseBlueprintLedger.create({ database: deps.database }),
  });
  await deps.scheduler.scheduleTask({
    id: 'provisionhub-blueprint-refresh',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    scope: 'local',
    fn: async () => {
      await blueprints.refreshAndRecord();
    },
  });

  const relay = new OutboxRelay({ store, broker, logger });
  const notifier = new RunNotifier(deps);
  const metrics = new ControlPlaneMetrics({
    metrics: deps.metrics,
    store,
    broker,
    logger,
  });
  const transitions = new RunTransitions({
    store,
    relay,
    notifier,
    retry,
    metrics,
  });
  const validator = new RunRequestValidator({
    ...deps,
    registry: blueprints,
    store,
    environments,
  });
  const directory = new OrgDirectory({ ...deps, store });
  const policy = new RequestPolicy({
    engine: new PolicyEngine(policyConfig),
    directory,
    permissions: deps.permissions,
  });
  const runs = new RunService({
    ...deps,
    store,
    validator,
    upgrades: new UpgradeValidator({ registry: blueprints, store }),
    decommissions: new DecommissionValidator({ store }),
    promotions: new PromoteValidator({ store, deployments, environments }),
    deployments,
    policy,
    directory,
    transitions,
    retry,
  });
  await deps.scheduler.scheduleTask({
    id: 'provisionhub-approval-expiry',
    frequency: { seconds: 30 },
    timeout: { minutes: 1 },
    fn: async () => {
      await runs.expireApprovals();
    },
  });
  // Global tasks (the scheduler's default scope): one replica at a time runs each.
  await deps.scheduler.scheduleTask({
    id: 'provisionhub-stuck-runs',
    // Often enough that a stuck run is recovered soon after its timeout, at most every minute.
    frequency: {
      milliseconds: Math.min(
        60_000,
        Math.max(1000, Math.round(operations.noProgressTimeoutMs / 4)),
      ),
    },
    timeout: { minutes: 5 },
    fn: async () => {
      await runs.recoverStuckRuns(operations.noProgressTimeoutMs);
    },
  });
  await deps.scheduler.scheduleTask({
    id: 'provisionhub-retention',
    frequency: { hours: 1 },
    timeout: { minutes: 30 },
    fn: async () => {
      const before = new Date(Date.now() - operations.retentionMs);
      const pruned = await store.pruneBefore(before.toISOString());
      if (pruned.logLines || pruned.pendingEvents) {
        logger.info(
          `Retention: deleted ${pruned.logLines} log line(s) and ${
            pruned.pendingEvents
          } buffered event(s) from before ${before.toISOString()}`,
        );
      }
    },
  });
  const follower = new UpgradeMergeFollower({
    store,
    merges: new DatabaseUpgradeMergeStore(await deps.database.getClient()),
    hosted: HostedMergeRequestReader.fromConfig(config),
    branches: new GitBranchMergeReader(),
    entityChanged: event => notifier.entityProvisioned(event),
    logger,
  });
  await deps.scheduler.scheduleTask({
    id: 'provisionhub-upgrade-merges',
    frequency: { milliseconds: operations.mergeCheckIntervalMs },
    timeout: { minutes: 10 },
    fn: async () => {
      await follower.followMerges();
    },
  });
  const pipeline = new RunPipeline({
    broker,
    runs,
    events: new RunEventApplier({ store, transitions, logger }),
    relay,
    store,
    logger,
    metrics,
  });
  const router = await createRouter({
    runs,
    store,
    blueprints,
    dryRuns: new DryRunService({
      validator,
      registry: blueprints,
      policy,
      limits: readRenderLimits(config),
    }),
    campaigns: new UpgradeCampaigns({
      runs,
      store,
      campaigns: new DatabaseCampaignStore(await deps.database.getClient()),
      registry: blueprints,
    }),
    authorizer: new RouteAuthorizer(deps),
    runReadsPerSecond: operations.runReadsPerSecond,
    environments,
    componentEnvironments: new ComponentEnvironments({
      store,
      environments,
      argocd: argocdOptions && new ArgoCdClient(argocdOptions),
    }),
  });
  logger.info(
    `ProvisionHub control plane serving ${await deps.discovery.getBaseUrl(
      'provisionhub',
    )}`,
  );

  return {
    router,
    pipeline,
    store,
    broker,
    /** Stops consuming and publishing, then closes the broker connection. */
    async close() {
      await pipeline.stop();
      await notifier.flush();
      await broker.close();
      await store.close();
    },
  };
}
