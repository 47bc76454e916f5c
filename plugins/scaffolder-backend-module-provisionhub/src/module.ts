import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  ProvisionHubBroker,
  createProvisionHubClientFor,
  readAmqpOptions,
  readRetryOptions,
  readRunPageUrl,
} from '@provisionhub/plugin-provisionhub-node';
import { createProvisionHubActions } from './actions';

/**
 * Adds the `provisionhub:*` actions to the scaffolder.
 * @public
 */
export const scaffolderModuleProvisionHub = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'provisionhub',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        scaffolder,
        config,
        logger,
        discovery,
        auth,
        permissions,
        lifecycle,
      }) {
        // Not awaited: publishing waits for the connection, and a broker that is down must not
        // keep the whole backend from starting.
        const broker = ProvisionHubBroker.create({
          amqp: readAmqpOptions(config),
          retry: readRetryOptions(config),
          logger,
          connectionName: 'backstage-scaffolder-provisionhub',
        });
        lifecycle.addShutdownHook(() => broker.close());

        scaffolder.addActions(
          ...createProvisionHubActions({
            apiFor: createProvisionHubClientFor({ discovery, auth }),
            permissions,
            broker,
            runPageUrl: readRunPageUrl(config),
          }),
        );
      },
    });
  },
});
