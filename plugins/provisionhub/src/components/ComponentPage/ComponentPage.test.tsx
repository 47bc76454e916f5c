import { screen } from '@testing-library/react';
import {
  createFakeApi,
  forbidden,
  makeComponent,
  makeRun,
  pending,
} from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';

describe('ComponentPage', () => {
  it('shows progress while loading', async () => {
    const api = createFakeApi({ getComponent: () => pending() });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains a missing permission', async () => {
    const error = await forbidden();
    const api = createFakeApi({
      getComponent: async () => {
        throw error;
      },
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    expect(
      await screen.findByText(
        /You do not have permission to view this component/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the repository, blueprint and version, and the run history', async () => {
    const api = createFakeApi({
      getComponent: async () => makeComponent(),
      listRuns: async () => ({
        items: [
          makeRun({ status: 'succeeded' }),
          makeRun({ id: 'run-0', status: 'failed' }),
        ],
      }),
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    expect(
      await screen.findByRole('link', {
        name: /git\.example\.com\/payments\/payments-api/,
      }),
    ).toHaveAttribute('href', 'https://git.example.com/payments/payments-api');
    expect(screen.getByText('node-backend')).toBeInTheDocument();
    expect(screen.getByText('1.2.0')).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('link', { name: 'payments' })
        .map(a => a.getAttribute('href')),
    ).toContain('/provisionhub/systems/payments');
    const runLinks = (
      await screen.findAllByRole('link', { name: 'component payments-api' })
    ).map(a => a.getAttribute('href'));
    expect(runLinks).toEqual([
      '/provisionhub/runs/run-1',
      '/provisionhub/runs/run-0',
    ]);
    expect(api.listRuns).toHaveBeenCalledWith({
      limit: 100,
      entityRef: 'component:default/payments-api',
    });
  });

  it('says when there are no runs', async () => {
    const api = createFakeApi({
      getComponent: async () => makeComponent(),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    expect(
      await screen.findByText('No runs for this component.'),
    ).toBeInTheDocument();
  });
});
