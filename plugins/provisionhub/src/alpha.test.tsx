import { fireEvent, screen, waitFor } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import provisionhubPlugin, {
  entityProvisioningCard,
  entityProvisioningContent,
  provisionHubPage,
} from './alpha';
import { provisionHubApiRef } from './api';
import {
  createFakeApi,
  makeComponent,
  makeRun,
  makeSystem,
  nodeBackendVersion,
  provisionedEntity,
  systemSummary,
} from './__testUtils__/fakes';

function apis(api = createFakeApi()) {
  return [
    [provisionHubApiRef, api],
    [permissionApiRef, mockApis.permission()],
  ] as const;
}

describe('provisionhub (new frontend system)', () => {
  it('is a plugin with the API, the page, the entity tab and the card', () => {
    expect(provisionhubPlugin.pluginId).toBe('provisionhub');
    for (const id of [
      'api:provisionhub',
      'page:provisionhub',
      'entity-content:provisionhub/provisioning',
      'entity-card:provisionhub/provisioning',
    ]) {
      expect(provisionhubPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('mounts the pages at /provisionhub with a title and icon for the nav', () => {
    const tester = createExtensionTester(provisionHubPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/provisionhub');
    expect(tester.get(coreExtensionData.title)).toBe('ProvisionHub');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('renders the home page', async () => {
    const api = createFakeApi({
      listRuns: async () => ({ items: [] }),
      listSystems: async () => ({ items: [makeSystem()] }),
      listComponents: async () => ({ items: [makeComponent()] }),
    });
    renderTestApp({
      features: [provisionhubPlugin],
      apis: apis(api),
      // Owners link to their catalog pages, as in any portal with the catalog installed.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/provisionhub'],
    });
    // The page's module loads lazily, as in the app; the first load compiles it.
    expect(
      await screen.findByText(
        'Systems and components from versioned blueprints',
        {},
        { timeout: 15000 },
      ),
    ).toBeInTheDocument();
    const hrefs = (
      await screen.findAllByRole('link', { name: 'payments-api' })
    ).map(a => a.getAttribute('href'));
    expect(hrefs).toContain('/provisionhub/components/payments-api');
  });

  it('opens a run from a deep link and navigates from the create wizard to the new run', async () => {
    const api = createFakeApi({
      getRun: async id => makeRun({ id, status: 'queued' }),
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
      listBlueprints: async () => ({ items: [systemSummary] }),
      getBlueprintVersion: async () => ({
        ...nodeBackendVersion,
        parameters: { type: 'object', properties: {} },
      }),
      dryRun: async () => ({
        policy: { decision: 'allow', rules: [] },
        blueprint: {
          name: 'standard-system',
          version: '1.0.0',
          digest: 'sha256:1',
        },
        repositoryPath: 'billing/billing',
        files: [{ path: 'README.md', size: 10, executable: false }],
      }),
      createRun: async () =>
        makeRun({ id: 'run-created', kind: 'system', name: 'billing' }),
    });
    const app = renderTestApp({
      features: [provisionhubPlugin],
      apis: [
        ...apis(api),
        mockApis.identity({ userEntityRef: 'user:default/alice' }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/provisionhub/runs/run-7'],
    });
    expect(
      await screen.findByText('Run run-7', {}, { timeout: 15000 }),
    ).toBeInTheDocument();
    app.unmount();

    renderTestApp({
      features: [provisionhubPlugin],
      apis: [
        ...apis(api),
        mockApis.identity({ userEntityRef: 'user:default/alice' }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/provisionhub/create'],
    });
    fireEvent.click(
      await screen.findByRole(
        'radio',
        { name: /Standard system/ },
        { timeout: 15000 },
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.change(await screen.findByLabelText(/^Name$/), {
      target: { value: 'billing' },
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Create system' }),
    );
    expect(await screen.findByText('Run run-created')).toBeInTheDocument();
  });

  it('shows the Provisioning tab only for provisioned systems and components', () => {
    const filter = createExtensionTester(entityProvisioningContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(provisionedEntity('Component'))).toBe(true);
    expect(filter(provisionedEntity('System'))).toBe(true);
    expect(filter(provisionedEntity('Component', {}))).toBe(false);
    expect(filter({ ...provisionedEntity('Component'), kind: 'API' })).toBe(
      false,
    );
    expect(
      createExtensionTester(entityProvisioningContent).get(
        coreExtensionData.routePath,
      ),
    ).toBe('provisioning');
  });

  it('puts the Provisioning card on provisioned systems and components', async () => {
    const filter = createExtensionTester(entityProvisioningCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(provisionedEntity('System'))).toBe(true);
    expect(filter(provisionedEntity('System', {}))).toBe(false);

    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'running' }),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: provisionedEntity('System') }),
        provisionHubPage,
        entityProvisioningCard,
      ],
      apis: apis(api),
    });
    expect(
      await screen.findByText('Running', {}, { timeout: 15000 }),
    ).toBeInTheDocument();
    expect(api.getRun).toHaveBeenCalledWith('run-1');
  });

  it('renders the Provisioning tab on an entity page', async () => {
    const api = createFakeApi({
      getRun: async () =>
        makeRun({
          status: 'succeeded',
          finishedAt: '2026-11-27T10:00:09.000Z',
        }),
      listRuns: async () => ({
        items: [
          makeRun({
            status: 'succeeded',
            finishedAt: '2026-11-27T10:00:09.000Z',
          }),
        ],
      }),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: provisionedEntity('Component') }),
        provisionHubPage,
        entityProvisioningContent,
      ],
      apis: apis(api),
    });
    expect(
      await screen.findByText('Provisioning', {}, { timeout: 15000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'View run run-1' }),
    ).toHaveAttribute('href', '/provisionhub/runs/run-1');
    await waitFor(() =>
      expect(api.listRuns).toHaveBeenCalledWith({
        limit: 100,
        entityRef: 'component:default/payments-api',
      }),
    );
  });
});
