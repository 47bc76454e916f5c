import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  createProvisionHubClientFor,
  readRunPageUrl,
} from '@provisionhub/plugin-provisionhub-node';
import { registerProvisionHubActions } from './actions/registerProvisionHubActions';
import { createControlPlane } from './service/createControlPlane';
import { warnIfEveryoneMayApprove } from './permissions/warnIfEveryoneMayApprove';

/**
 * The ProvisionHub control plane: REST API under `/api/provisionhub`, the run store, policy and
 * approvals, and the RabbitMQ pipeline (run requests in, jobs out through an outbox, run events in).
 * @public
 */
export const provisionhubPlugin = createBackendPlugin({
  pluginId: 'provisionhub',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        instanceMetadata: coreServices.rootInstanceMetadata,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        events: eventsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        const runPageUrl = readRunPageUrl(deps.config);
        const { router, pipeline, close } = await createControlPlane({
          ...deps,
          runPageUrl,
        });
        deps.httpRouter.use(router);
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // The actions call the REST API above as their caller, so its checks apply to them.
        registerProvisionHubActions({
          actionsRegistry: deps.actionsRegistry,
          apiFor: createProvisionHubClientFor(deps),
          runPageUrl,
        });
        deps.lifecycle.addStartupHook(() => pipeline.start());
        deps.lifecycle.addStartupHook(async () => {
          await warnIfEveryoneMayApprove(deps);
        });
        deps.lifecycle.addShutdownHook(() => close());
      },
    });
  },
});
