import { ReactElement } from 'react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import type { ProvisionHubApi } from '@provisionhub/plugin-provisionhub-common';
import { Route, Routes } from 'react-router-dom';
import { SWRConfig } from 'swr';
import { provisionHubApiRef } from '../api';
import { ProvisionHubPage } from '../components/ProvisionHubPage';
import { rootRouteRef } from '../routes';

export interface LegacyRenderOptions {
  api: ProvisionHubApi;
  /** Permission names to deny; everything else is allowed. */
  deny?: string[];
  /** Omit to render without a signal API, as in a portal without signals. */
  signalApi?: SignalApi;
  routeEntries?: string[];
}

/** Renders an element in a legacy test app with the fake control plane and the usual APIs. */
export function renderWithApis(
  element: ReactElement,
  options: LegacyRenderOptions,
) {
  const deny = new Set(options.deny ?? []);
  const apis: Array<readonly [any, any]> = [
    [provisionHubApiRef, options.api],
    [
      permissionApiRef,
      mockApis.permission({
        authorize: request =>
          deny.has(request.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }),
    ],
    [
      identityApiRef,
      mockApis.identity({
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: ['user:default/alice', 'group:default/payments'],
      }),
    ],
  ];
  if (options.signalApi) {
    apis.push([signalApiRef, options.signalApi]);
  }
  // usePermission caches answers in SWR's global cache; a cache per render keeps one test's
  // permission answers out of the next test.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider apis={apis as any}>{element}</TestApiProvider>
    </SWRConfig>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/provisionhub': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

/** Renders ProvisionHub's pages at `path` (e.g. `/provisionhub/runs/run-1`). */
export function renderProvisionHub(
  path: string,
  options: Omit<LegacyRenderOptions, 'routeEntries'>,
) {
  return renderWithApis(
    <Routes>
      <Route path="/provisionhub/*" element={<ProvisionHubPage />} />
    </Routes>,
    { ...options, routeEntries: [path] },
  );
}
