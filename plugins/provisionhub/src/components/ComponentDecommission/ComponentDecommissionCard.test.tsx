import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  createFakeApi,
  forbidden,
  makeComponent,
  makeRun,
  pending,
} from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';

describe('ComponentDecommissionCard on the component page', () => {
  it('starts a decommission run with the reason and opens its page', async () => {
    const api = createFakeApi({
      getComponent: async () => makeComponent(),
      listRuns: async () => ({ items: [] }),
      decommissionComponent: async () =>
        makeRun({ id: 'run-down', kind: 'decommission' }),
      getRun: () => pending(),
      getRunLogs: () => pending(),
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    fireEvent.change(await screen.findByLabelText('Reason'), {
      target: { value: ' Replaced by payments-v2 ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Decommission' }));
    await waitFor(() => expect(api.getRun).toHaveBeenCalledWith('run-down'));
    expect(api.decommissionComponent).toHaveBeenCalledWith('payments-api', {
      reason: 'Replaced by payments-v2',
    });
  });

  it('explains a refused decommission', async () => {
    const error = await forbidden(
      'policy denies this decommission: denied because rule freeze: no changes this week',
    );
    const api = createFakeApi({
      getComponent: async () => makeComponent(),
      listRuns: async () => ({ items: [] }),
      decommissionComponent: async () => {
        throw error;
      },
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Decommission' }),
    );
    expect(
      await screen.findByText(
        /You do not have permission to decommission this component/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/no changes this week/)).toBeInTheDocument();
  });

  it('says when and by which run a decommissioned component was retired, without the action', async () => {
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({
          status: 'decommissioned',
          decommissionedAt: '2026-12-02T11:00:00.000Z',
          decommissionRunId: 'run-down',
        }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub('/provisionhub/components/payments-api', { api });
    expect(
      await screen.findByRole('link', { name: 'run-down' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /its repository is archived and it has left the catalog/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Decommission' })).toBeNull();
  });
});
