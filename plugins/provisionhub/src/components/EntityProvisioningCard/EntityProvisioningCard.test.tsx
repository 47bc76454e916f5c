import { screen } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { entitySignalChannel } from '@provisionhub/plugin-provisionhub-common';
import { act } from 'react';
import {
  createFakeApi,
  createFakeSignalApi,
  makeRun,
  provisionedEntity,
  responseError,
} from '../../__testUtils__/fakes';
import { renderWithApis } from '../../__testUtils__/renderLegacy';
import { EntityProvisioningCard } from './EntityProvisioningCard';

describe('EntityProvisioningCard', () => {
  it('asks for the annotation when it is missing', async () => {
    const api = createFakeApi();
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('System', {})}>
        <EntityProvisioningCard />
      </EntityProvider>,
      { api },
    );
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(api.getRun).not.toHaveBeenCalled();
  });

  it('follows the creating run live', async () => {
    const signalApi = createFakeSignalApi();
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'running' }),
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningCard />
      </EntityProvider>,
      { api, signalApi },
    );
    expect(await screen.findByText('Running')).toBeInTheDocument();
    expect(screen.getByText('user:default/alice')).toBeInTheDocument();

    api.getRun.mockResolvedValue(
      makeRun({ status: 'succeeded', finishedAt: '2026-11-27T10:00:09.000Z' }),
    );
    act(() => {
      signalApi.emit(entitySignalChannel('component:default/payments-api'), {
        runId: 'run-1',
        entityRef: 'component:default/payments-api',
        status: 'succeeded',
        lastLogSeq: 3,
      });
    });
    expect(await screen.findByText('Succeeded')).toBeInTheDocument();
  });

  it('shows an error the control plane returned', async () => {
    const missing = await responseError(
      404,
      'NotFoundError',
      'run run-1 does not exist',
    );
    const api = createFakeApi({
      getRun: async () => {
        throw missing;
      },
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningCard />
      </EntityProvider>,
      { api },
    );
    expect(
      (await screen.findAllByText(/run run-1 does not exist/)).length,
    ).toBeGreaterThan(0);
  });
});
