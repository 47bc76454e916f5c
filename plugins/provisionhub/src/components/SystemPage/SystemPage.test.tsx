import { screen, waitFor } from '@testing-library/react';
import {
  createFakeApi,
  forbidden,
  makeComponent,
  makeRun,
  makeSystem,
  pending,
  responseError,
} from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';

describe('SystemPage', () => {
  it('shows progress while loading', async () => {
    const api = createFakeApi({ getSystem: () => pending() });
    await renderProvisionHub('/provisionhub/systems/payments', { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows a missing system', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'system payments does not exist',
    );
    const api = createFakeApi({
      getSystem: async () => {
        throw error;
      },
    });
    await renderProvisionHub('/provisionhub/systems/payments', { api });
    expect(
      (await screen.findAllByText(/system payments does not exist/)).length,
    ).toBeGreaterThan(0);
  });

  it('explains a missing permission', async () => {
    const error = await forbidden();
    const api = createFakeApi({
      getSystem: async () => {
        throw error;
      },
    });
    await renderProvisionHub('/provisionhub/systems/payments', { api });
    expect(
      await screen.findByText(/You do not have permission to view this system/),
    ).toBeInTheDocument();
  });

  it('shows a system without components or finished runs', async () => {
    const api = createFakeApi({
      getSystem: async () => makeSystem(),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub('/provisionhub/systems/payments', { api });
    expect(await screen.findByText(/No components yet/)).toBeInTheDocument();
    expect(await screen.findByText(/No finished runs yet/)).toBeInTheDocument();
    expect(
      screen.getByText('No runs for this system yet.'),
    ).toBeInTheDocument();
  });

  it('shows components, the run chart summary and runs, and links to create a component', async () => {
    const run = (id: string, status: 'succeeded' | 'failed', seconds: number) =>
      makeRun({
        id,
        status,
        startedAt: '2026-11-27T10:00:00.000Z',
        finishedAt: new Date(
          Date.parse('2026-11-27T10:00:00.000Z') + seconds * 1000,
        ).toISOString(),
      });
    const api = createFakeApi({
      getSystem: async () =>
        makeSystem({
          components: [
            makeComponent(),
            makeComponent({ name: 'payments-db', type: 'database' }),
          ],
        }),
      listRuns: async query =>
        query?.system
          ? {
              items: [
                run('r1', 'succeeded', 10),
                run('r2', 'failed', 30),
                run('r3', 'succeeded', 20),
              ],
            }
          : {
              items: [
                run('r1', 'succeeded', 10),
                run('run-system', 'succeeded', 5),
              ],
            },
    });
    await renderProvisionHub('/provisionhub/systems/payments', { api });

    expect(
      await screen.findByRole('link', { name: 'payments-db' }),
    ).toHaveAttribute('href', '/provisionhub/components/payments-db');
    // Runs of the system's components and of the system itself, each once.
    expect(
      await screen.findByText('4 finished runs · 75% succeeded · median 15 s'),
    ).toBeInTheDocument();
    expect(api.listRuns).toHaveBeenCalledWith({
      limit: 100,
      system: 'payments',
    });
    expect(api.listRuns).toHaveBeenCalledWith({
      limit: 100,
      entityRef: 'system:default/payments',
    });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: /Create component/ }),
      ).toHaveAttribute('href', '/provisionhub/systems/payments/create'),
    );
  });
});
