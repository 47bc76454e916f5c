import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  createFakeApi,
  forbidden,
  makeComponent,
  makeRun,
  makeSystem,
  pending,
} from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';

const noRuns = async () => ({ items: [] });

describe('HomePage', () => {
  it('shows progress while loading', async () => {
    const api = createFakeApi({
      listRuns: () => pending(),
      listSystems: () => pending(),
      listComponents: () => pending(),
    });
    await renderProvisionHub('/provisionhub', { api });
    expect(screen.getAllByTestId('progress')).toHaveLength(3);
  });

  it('invites to create the first system when there are none', async () => {
    const api = createFakeApi({
      listRuns: noRuns,
      listSystems: async () => ({ items: [] }),
      listComponents: async () => ({ items: [] }),
    });
    await renderProvisionHub('/provisionhub', { api });
    expect(await screen.findByText('No systems yet')).toBeInTheDocument();
    expect(
      screen.getByText('No runs are waiting for approval.'),
    ).toBeInTheDocument();
    expect(screen.getByText('No runs yet.')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getAllByRole('button', { name: /Create system/ })[0],
      ).toHaveAttribute('href', '/provisionhub/create'),
    );
  });

  it('lists systems with their components and recent runs', async () => {
    const api = createFakeApi({
      listRuns: async query =>
        query?.status === 'awaiting_approval'
          ? { items: [] }
          : {
              items: [
                makeRun({
                  status: 'succeeded',
                  finishedAt: '2026-11-27T10:00:09.000Z',
                }),
              ],
            },
      listSystems: async () => ({
        items: [
          makeSystem(),
          makeSystem({ name: 'billing', entityRef: 'system:default/billing' }),
        ],
      }),
      listComponents: async () => ({
        items: [
          makeComponent(),
          makeComponent({ name: 'payments-web', type: 'frontend' }),
        ],
      }),
    });
    await renderProvisionHub('/provisionhub', { api });
    await screen.findByText('none yet'); // billing has no components
    const systemLinks = screen
      .getAllByRole('link', { name: 'payments' })
      .map(link => link.getAttribute('href'));
    expect(systemLinks).toContain('/provisionhub/systems/payments');
    expect(screen.getByRole('link', { name: 'payments-web' })).toHaveAttribute(
      'href',
      '/provisionhub/components/payments-web',
    );
    expect(
      await screen.findByRole('link', { name: 'component payments-api' }),
    ).toHaveAttribute('href', '/provisionhub/runs/run-1');
    expect(api.listRuns).toHaveBeenCalledWith({
      status: 'awaiting_approval',
      limit: 100,
    });
  });

  it('explains a missing permission instead of showing a raw error', async () => {
    const denied = await forbidden('user:default/bob may not read runs');
    const api = createFakeApi({
      listRuns: async () => {
        throw denied;
      },
      listSystems: async () => {
        throw denied;
      },
      listComponents: noRuns,
    });
    await renderProvisionHub('/provisionhub', { api });
    expect(
      await screen.findByText(/You do not have permission to list systems/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/You do not have permission to list runs/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /You do not have permission to see the runs waiting for approval/,
      ),
    ).toBeInTheDocument();
  });

  it('shows other errors with the server message', async () => {
    const api = createFakeApi({
      listRuns: noRuns,
      listSystems: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      listComponents: noRuns,
    });
    await renderProvisionHub('/provisionhub', { api });
    expect(
      (await screen.findAllByText(/connect ECONNREFUSED/)).length,
    ).toBeGreaterThan(0);
  });

  it('approves and rejects runs waiting for approval', async () => {
    const waiting = makeRun({
      id: 'run-approve',
      status: 'awaiting_approval',
      name: 'orders-db',
    });
    const api = createFakeApi({
      listRuns: async query =>
        query?.status === 'awaiting_approval'
          ? { items: [waiting] }
          : { items: [] },
      listSystems: async () => ({ items: [] }),
      listComponents: async () => ({ items: [] }),
      approveRun: async () => ({ ...waiting, status: 'queued' }),
      rejectRun: async () => ({ ...waiting, status: 'rejected' }),
    });
    await renderProvisionHub('/provisionhub', { api });
    const approve = await screen.findByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    fireEvent.click(approve);
    const approveDialog = await screen.findByRole('dialog');
    fireEvent.change(
      within(approveDialog).getByRole('textbox', { name: /Comment/ }),
      { target: { value: 'sizing checked' } },
    );
    fireEvent.click(
      within(approveDialog).getByRole('button', { name: 'Approve run' }),
    );
    await waitFor(() =>
      expect(api.approveRun).toHaveBeenCalledWith('run-approve', {
        comment: 'sizing checked',
      }),
    );

    // The queue re-reads itself after the approval; wait for it to settle.
    await waitFor(() => expect(api.listRuns).toHaveBeenCalledTimes(4));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Reject' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject run' }));
    expect(
      within(dialog).getByText(
        'Give a reason, so the requester knows what to change',
      ),
    ).toBeInTheDocument();
    expect(api.rejectRun).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByRole('textbox', { name: /Reason/ }), {
      target: { value: 'use the shared database' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject run' }));
    await waitFor(() =>
      expect(api.rejectRun).toHaveBeenCalledWith('run-approve', {
        reason: 'use the shared database',
      }),
    );
  });

  it('disables approval and creation without permission', async () => {
    const waiting = makeRun({
      id: 'run-no-approver',
      status: 'awaiting_approval',
    });
    const api = createFakeApi({
      listRuns: async query =>
        query?.status === 'awaiting_approval'
          ? { items: [waiting] }
          : { items: [] },
      listSystems: async () => ({ items: [makeSystem()] }),
      listComponents: async () => ({ items: [] }),
    });
    await renderProvisionHub('/provisionhub', {
      api,
      deny: ['provisionhub.run.approve', 'provisionhub.run.create'],
    });
    await screen.findByRole('button', { name: 'Approve' });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Approve' }).parentElement,
      ).toHaveAttribute(
        'title',
        'You do not have permission to approve or reject runs',
      ),
    );
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
    // Re-query: the button is re-rendered when the permission answer arrives.
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Create system' }).parentElement,
      ).toHaveAttribute(
        'title',
        'You do not have permission to create systems',
      ),
    );
    expect(
      screen.getByRole('button', { name: 'Create system' }),
    ).toBeDisabled();
  });

  it('links holders of provisionhub.admin to the dead-letter console', async () => {
    const empty = {
      listRuns: noRuns,
      listSystems: async () => ({ items: [] }),
      listComponents: async () => ({ items: [] }),
    };
    const admin = await renderProvisionHub('/provisionhub', {
      api: createFakeApi(empty),
    });
    expect(
      await screen.findByRole('button', { name: 'Dead letters' }),
    ).toHaveAttribute('href', '/provisionhub/dead-letters');
    admin.unmount();

    await renderProvisionHub('/provisionhub', {
      api: createFakeApi(empty),
      deny: ['provisionhub.admin'],
    });
    await screen.findByText('No systems yet');
    expect(
      screen.queryByRole('button', { name: 'Dead letters' }),
    ).not.toBeInTheDocument();
  });
});
