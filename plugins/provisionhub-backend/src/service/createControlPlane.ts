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
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunRecord } from '../database/RunStore';
import { OrgDirectory } from '../policy/OrgDirectory';
import { PolicyEngine } from '../policy/PolicyEngine';
import { readPolicyConfig } from '../policy/readPolicyConfig';
import { RequestPolicy } from '../policy/RequestPolicy';
import { BlueprintRegistry } from './BlueprintRegistry';
import { BlueprintTrust } from './BlueprintTrust';
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
import { UpgradeValidator } from './UpgradeValidator';

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
}

/**
 * Builds the control plane from the plugin's services: store, blueprint registry, run service,
 * event applier, outbox relay, RabbitMQ pipeline and the router.
 * @internal
 */
export async function createControlPlane(deps: ControlPlaneDeps) {
  const { config, logger } = deps;
  const policyConfig = readPolicyConfig(config);
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
  const transitions = new RunTransitions({ store, relay, notifier, retry });
  const validator = new RunRequestValidator({
    ...deps,
    registry: blueprints,
    store,
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
  const pipeline = new RunPipeline({
    broker,
    runs,
    events: new RunEventApplier({ store, transitions, logger }),
    relay,
    logger,
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
    authorizer: new RouteAuthorizer(deps),
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
