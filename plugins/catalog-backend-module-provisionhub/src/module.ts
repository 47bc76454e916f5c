import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { BlueprintEntitiesProcessor } from './processor/BlueprintEntitiesProcessor';
import { BlueprintStatusClient } from './processor/BlueprintStatusClient';
import { ProvisionHubEntityProvider } from './provider/ProvisionHubEntityProvider';

/**
 * Catalog module of ProvisionHub: the `Blueprint` kind and the provider of provisioned Systems
 * and Components.
 *
 * @public
 */
export const catalogModuleProvisionhub = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'provisionhub',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        events: eventsServiceRef,
      },
      async init({ catalog, config, ...deps }) {
        catalog.addProcessor(
          new BlueprintEntitiesProcessor({
            status: new BlueprintStatusClient({
              discovery: deps.discovery,
              auth: deps.auth,
              logger: deps.logger,
            }),
          }),
        );
        catalog.addEntityProvider(
          ProvisionHubEntityProvider.fromConfig(config, deps),
        );
      },
    });
  },
});
