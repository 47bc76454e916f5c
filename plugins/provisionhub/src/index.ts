/**
 * ProvisionHub's frontend: pages for systems, components, runs and approvals, and the
 * Provisioning tab and card for entity pages. Legacy frontend system; the new frontend system
 * plugin is at `@provisionhub/plugin-provisionhub/alpha`.
 *
 * @packageDocumentation
 */
export {
  provisionhubPlugin,
  ProvisionHubPage,
  EntityProvisioningContent,
  EntityProvisioningCard,
} from './plugin';
export { isProvisionHubAvailable } from './utils/isProvisionHubAvailable';
export { provisionHubApiRef } from './api';
export {
  rootRouteRef,
  runRouteRef,
  systemRouteRef,
  componentRouteRef,
  createSystemRouteRef,
  createComponentRouteRef,
  deadLettersRouteRef,
  upgradeCampaignRouteRef,
} from './routes';
