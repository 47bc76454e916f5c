import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import BuildIcon from '@material-ui/icons/Build';
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
import { isProvisionedSystemOrComponent } from './utils/isProvisionHubAvailable';

/**
 * The ProvisionHub API, implemented by the common package's `ProvisionHubClient`.
 * @alpha
 */
export const provisionHubApi = ApiBlueprint.make({
  params: defineParams => defineParams(provisionHubApiFactory),
});

/**
 * ProvisionHub's pages at `/provisionhub`; also the nav item (from its title and icon).
 * @alpha
 */
export const provisionHubPage = PageBlueprint.make({
  params: {
    path: '/provisionhub',
    title: 'ProvisionHub',
    icon: <BuildIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    // The pages render Backstage's own Page and Header.
    noHeader: true,
    loader: () =>
      import('./components/ProvisionHubPage').then(m => <m.ProvisionHubPage />),
  },
});

/**
 * The "Provisioning" tab of Systems and Components that carry `provisionhub.io/run-id`.
 * @alpha
 */
export const entityProvisioningContent = EntityContentBlueprint.make({
  name: 'provisioning',
  params: {
    path: 'provisioning',
    title: 'Provisioning',
    filter: isProvisionedSystemOrComponent,
    loader: () =>
      import('./components/EntityProvisioningContent').then(m => (
        <m.EntityProvisioningContent />
      )),
  },
});

/**
 * The "Provisioning" card on the overview of Systems and Components that carry
 * `provisionhub.io/run-id`.
 * @alpha
 */
export const entityProvisioningCard = EntityCardBlueprint.make({
  name: 'provisioning',
  params: {
    type: 'info',
    filter: isProvisionedSystemOrComponent,
    loader: () =>
      import('./components/EntityProvisioningCard').then(m => (
        <m.EntityProvisioningCard />
      )),
  },
});

/**
 * ProvisionHub for apps on the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'provisionhub',
  title: 'ProvisionHub',
  icon: <BuildIcon fontSize="inherit" />,
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
  extensions: [
    provisionHubApi,
    provisionHubPage,
    entityProvisioningContent,
    entityProvisioningCard,
  ],
});
