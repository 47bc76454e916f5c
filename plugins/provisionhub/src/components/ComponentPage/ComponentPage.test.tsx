import { fireEvent, screen, waitFor } from '@testing-library/react';
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

  it('shows an available upgrade with its changelog and starts it', async () => {
    const api = createFakeApi({
      getComponent: async () => ({
        ...makeComponent(),
        upgrade: {
          available: true,
          latest: '1.3.0',
          changelog: [
            { version: '1.3.0', changes: '- Prometheus metrics' },
            { version: '1.2.1', changes: '' },
          ],
        },
      }),
      listRuns: async () => ({ items: [] }),
      upgradeComponent: async () => makeRun({ id: 'run-up', kind: 'upgrade' }),
      getRun: () => pending(),
      getRunLogs: () => pending(),
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    expect(
      await screen.findByText('1.2.0 → 1.3.0 available'),
    ).toBeInTheDocument();
    expect(screen.getByText('Prometheus metrics')).toBeInTheDocument();
    expect(screen.getByText('No changelog.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade to 1.3.0' }));
    await waitFor(() => expect(api.getRun).toHaveBeenCalledWith('run-up'));
    expect(api.upgradeComponent).toHaveBeenCalledWith('payments-api', {
      version: '1.3.0',
    });
  });

  it('says when the component is up to date, and when an upgrade is refused', async () => {
    const upToDate = createFakeApi({
      getComponent: async () => ({
        ...makeComponent(),
        upgrade: { available: false, latest: '1.2.0', changelog: [] },
      }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub('/provisionhub/components/payments-api', {
      api: upToDate,
    });
    expect(
      await screen.findByText(
        'Up to date: 1.2.0 is the latest version of node-backend.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Upgrade/ })).toBeNull();
  });

  it('explains a refused upgrade', async () => {
    const error = await forbidden(
      'policy denies this upgrade: you are not a member of group:default/payments',
    );
    const api = createFakeApi({
      getComponent: async () => ({
        ...makeComponent(),
        upgrade: { available: true, latest: '1.3.0', changelog: [] },
      }),
      listRuns: async () => ({ items: [] }),
      upgradeComponent: async () => {
        throw error;
      },
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Upgrade to 1.3.0' }),
    );
    expect(
      await screen.findByText(
        /You do not have permission to upgrade this component/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/you are not a member of group:default\/payments/),
    ).toBeInTheDocument();
  });
});
