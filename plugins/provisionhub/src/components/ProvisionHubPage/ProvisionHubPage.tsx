import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { Route, Routes } from 'react-router-dom';
import {
  componentRouteRef,
  createComponentRouteRef,
  createSystemRouteRef,
  deadLettersRouteRef,
  runRouteRef,
  systemRouteRef,
  upgradeCampaignRouteRef,
} from '../../routes';
import { ComponentPage } from '../ComponentPage';
import { CreateComponentPage, CreateSystemPage } from '../CreateWizard';
import { DeadLettersPage } from '../DeadLettersPage';
import { HomePage } from '../HomePage';
import { RunPage } from '../RunPage';
import { SystemPage } from '../SystemPage';
import { UpgradeCampaignPage } from '../UpgradeCampaignPage';

/**
 * Every ProvisionHub page under the plugin's mount point. The React Router adapter scopes the
 * routes to the page in the new frontend system and renders them as they are in the legacy one.
 */
export function ProvisionHubPage() {
  return (
    <ReactRouterV6PageRouter>
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route
          path={createSystemRouteRef.path}
          element={<CreateSystemPage />}
        />
        <Route path={runRouteRef.path} element={<RunPage />} />
        <Route path={systemRouteRef.path} element={<SystemPage />} />
        <Route
          path={createComponentRouteRef.path}
          element={<CreateComponentPage />}
        />
        <Route path={componentRouteRef.path} element={<ComponentPage />} />
        <Route path={deadLettersRouteRef.path} element={<DeadLettersPage />} />
        <Route
          path={upgradeCampaignRouteRef.path}
          element={<UpgradeCampaignPage />}
        />
      </Routes>
    </ReactRouterV6PageRouter>
  );
}
