import { screen, waitFor } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_RUN_ID,
  entitySignalChannel,
} from '@provisionhub/plugin-provisionhub-common';
import { act } from 'react';
import {
  createFakeApi,
  createFakeSignalApi,
  forbidden,
  makeComponent,
  makeRun,
  pending,
  provisionedEntity,
  responseError,
} from '../../__testUtils__/fakes';
import { renderWithApis } from '../../__testUtils__/renderLegacy';
import { EntityProvisioningContent } from './EntityProvisioningContent';

describe('EntityProvisioningContent', () => {
  it('asks for the annotation on entities ProvisionHub did not create', async () => {
    const api = createFakeApi();
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component', {})}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api },
    );
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(ANNOTATION_RUN_ID, { exact: false }).length,
    ).toBeGreaterThan(0);
    expect(api.getRun).not.toHaveBeenCalled();
    expect(api.listRuns).not.toHaveBeenCalled();
  });

  it('shows progress while loading', async () => {
    const api = createFakeApi({
      getRun: () => pending(),
      listRuns: () => pending(),
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api },
    );
    expect(screen.getAllByTestId('progress')).toHaveLength(2);
  });

  it('shows the creating run and the runs of the entity, refreshed by signals', async () => {
    const signalApi = createFakeSignalApi();
    const api = createFakeApi({
      getRun: async () =>
        makeRun({
          status: 'succeeded',
          finishedAt: '2026-11-27T10:00:09.000Z',
          outputs: {
            repoUrl: 'https://git.example.com/payments/payments-api',
            defaultBranch: 'main',
            entityRef: 'component:default/payments-api',
          },
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
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api, signalApi },
    );
    // In the card (from the annotation) and in the runs table (from the run).
    expect(await screen.findAllByText('node-backend@1.2.0')).toHaveLength(2);
    expect(
      await screen.findByRole('link', { name: 'View run run-1' }),
    ).toHaveAttribute('href', '/provisionhub/runs/run-1');
    expect(
      await screen.findByRole('link', { name: 'component payments-api' }),
    ).toBeInTheDocument();
    expect(api.listRuns).toHaveBeenCalledWith({
      limit: 100,
      entityRef: 'component:default/payments-api',
    });

    api.listRuns.mockResolvedValue({
      items: [
        makeRun({ id: 'run-2', name: 'payments-api', status: 'running' }),
      ],
    });
    act(() => {
      signalApi.emit(entitySignalChannel('component:default/payments-api'), {
        runId: 'run-2',
        entityRef: 'component:default/payments-api',
        status: 'running',
        lastLogSeq: 0,
      });
    });
    await waitFor(() =>
      expect(screen.getByText('Running')).toBeInTheDocument(),
    );
    expect(api.listRuns).toHaveBeenCalledTimes(2);
  });

  it('explains a missing permission', async () => {
    const denied = await forbidden();
    const api = createFakeApi({
      getRun: async () => {
        throw denied;
      },
      listRuns: async () => {
        throw denied;
      },
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('System')}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText(
        /You do not have permission to view the run that created this entity/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /You do not have permission to list the runs of this entity/,
      ),
    ).toBeInTheDocument();
    // Systems are not upgraded from this tab.
    expect(api.getComponent).not.toHaveBeenCalled();
  });

  it('offers the upgrade of a Component when a newer blueprint version exists', async () => {
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'succeeded' }),
      listRuns: async () => ({ items: [] }),
      getComponent: async () => ({
        ...makeComponent(),
        upgrade: {
          available: true,
          latest: '1.3.0',
          changelog: [{ version: '1.3.0', changes: 'Metrics' }],
        },
      }),
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText('1.2.0 → 1.3.0 available'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Upgrade to 1.3.0' }),
    ).toBeEnabled();
    expect(api.getComponent).toHaveBeenCalledWith('payments-api');
  });

  it('offers nothing for a Component ProvisionHub no longer records', async () => {
    const notFound = await responseError(
      404,
      'NotFoundError',
      "component 'payments-api' was not provisioned by ProvisionHub",
    );
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'succeeded' }),
      listRuns: async () => ({ items: [] }),
      getComponent: async () => {
        throw notFound;
      },
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api },
    );
    await waitFor(() => expect(api.getComponent).toHaveBeenCalled());
    expect(await screen.findByText('View run run-1')).toBeInTheDocument();
    expect(screen.queryByText(/available/)).toBeNull();
    expect(screen.queryByText(/not provisioned by ProvisionHub/)).toBeNull();
  });
});
