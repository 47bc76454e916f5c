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
import { createProvisionHubClientFor } from '@provisionhub/plugin-provisionhub-node';
import { registerProvisionHubActions } from './actions/registerProvisionHubActions';
import { createControlPlane } from './service/createControlPlane';

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
        const { router, pipeline, close } = await createControlPlane(deps);
        deps.httpRouter.use(router);
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // The actions call the REST API above as their caller, so its checks apply to them.
        registerProvisionHubActions({
          actionsRegistry: deps.actionsRegistry,
          apiFor: createProvisionHubClientFor(deps),
          appBaseUrl: deps.config.getOptionalString('app.baseUrl'),
        });
        deps.lifecycle.addStartupHook(() => pipeline.start());
        deps.lifecycle.addShutdownHook(() => close());
      },
    });
  },
});
