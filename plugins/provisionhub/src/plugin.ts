import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { provisionHubApiFactory } from './api';
import {
  componentRouteRef,
  createComponentRouteRef,
  createSystemRouteRef,
  deadLettersRouteRef,
  upgradeCampaignRouteRef,
  rootRouteRef,
  runRouteRef,
  systemRouteRef,
} from './routes';

/**
 * The ProvisionHub frontend plugin for apps on the legacy frontend system.
 * @public
 */
export const provisionhubPlugin = createPlugin({
  id: 'provisionhub',
  apis: [provisionHubApiFactory],
  routes: {
    root: rootRouteRef,
    run: runRouteRef,
    system: systemRouteRef,
    component: componentRouteRef,
    createSystem: createSystemRouteRef,
    createComponent: createComponentRouteRef,
    deadLetters: deadLettersRouteRef,
    upgradeCampaign: upgradeCampaignRouteRef,
  },
});

/**
 * ProvisionHub's pages (home, systems, components, runs, create wizards); mount it at
 * `/provisionhub`, where the control plane's notifications link to.
 * @public
 */
export const ProvisionHubPage = provisionhubPlugin.provide(
  createRoutableExtension({
    name: 'ProvisionHubPage',
    component: () =>
      import('./components/ProvisionHubPage').then(m => m.ProvisionHubPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Provisioning" tab content for System and Component entity pages.
 * @public
 */
export const EntityProvisioningContent = provisionhubPlugin.provide(
  createComponentExtension({
    name: 'EntityProvisioningContent',
    component: {
      lazy: () =>
        import('./components/EntityProvisioningContent').then(
          m => m.EntityProvisioningContent,
        ),
    },
  }),
);

/**
 * The "Provisioning" summary card for System and Component entity pages.
 * @public
 */
export const EntityProvisioningCard = provisionhubPlugin.provide(
  createComponentExtension({
    name: 'EntityProvisioningCard',
    component: {
      lazy: () =>
        import('./components/EntityProvisioningCard').then(
          m => m.EntityProvisioningCard,
        ),
    },
  }),
);
