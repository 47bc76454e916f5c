import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { entitySignalChannel } from '@provisionhub/plugin-provisionhub-common';
import {
  createFakeApi,
  createFakeSignalApi,
  forbidden,
  makeRun,
  pending,
  responseError,
} from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';
import { POLL_INTERVAL_MS } from '../../hooks/useLiveRun';

const line = (seq: number, message: string, step = 'render') => ({
  seq,
  at: `2026-11-27T10:00:0${seq}.000Z`,
  step,
  level: 'info' as const,
  message,
});

describe('RunPage', () => {
  beforeEach(() => {
    // The LogViewer sizes itself to its container; jsdom has no layout.
    jest.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
      width: 800,
      height: 480,
      top: 0,
      left: 0,
      bottom: 480,
      right: 800,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('shows a progress indicator while the run loads', async () => {
    const api = createFakeApi({
      getRun: () => pending(),
      getRunLogs: () => pending(),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says plainly when the user may not read runs', async () => {
    const error = await forbidden(
      'user:default/bob is not allowed to read run run-1',
    );
    const api = createFakeApi({
      getRun: async () => {
        throw error;
      },
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });
    expect(
      await screen.findByText(/You do not have permission to view this run/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/is not allowed to read run run-1/),
    ).toBeInTheDocument();
  });

  it('shows the error of a missing run', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'run run-9 does not exist',
    );
    const api = createFakeApi({
      getRun: async () => {
        throw error;
      },
    });
    await renderProvisionHub('/provisionhub/runs/run-9', { api });
    expect(
      (await screen.findAllByText(/run run-9 does not exist/)).length,
    ).toBeGreaterThan(0);
  });

  it('shows steps, progress, logs, outputs and history', async () => {
    const run = makeRun({
      status: 'succeeded',
      finishedAt: '2026-11-27T10:00:09.000Z',
      canCancel: false,
      steps: [
        {
          id: 'fetch-blueprint',
          title: 'Fetch blueprint',
          status: 'succeeded',
          durationMs: 400,
        },
        {
          id: 'render',
          title: 'Render files',
          status: 'succeeded',
          durationMs: 1500,
        },
        {
          id: 'create-repository',
          title: 'Create repository',
          status: 'skipped',
          detail: 'already created by this run',
        },
      ],
      outputs: {
        repoUrl: 'https://git.example.com/payments/payments-api',
        defaultBranch: 'main',
        entityRef: 'component:default/payments-api',
      },
    });
    const api = createFakeApi({
      getRun: async () => run,
      getRunLogs: async () => ({
        items: [line(1, 'Rendering 12 files')],
        lastSeq: 1,
      }),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });

    expect(
      await screen.findByText('Rendering 12 files', { exact: false }),
    ).toBeInTheDocument();
    const render = screen.getByTestId('step-render');
    expect(within(render).getByText('Render files')).toBeInTheDocument();
    expect(within(render).getByText('1.5 s')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('step-create-repository')).getByText(
        'already created by this run',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('3 of 3 steps done (100%)')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Run progress' }),
    ).toHaveAttribute('aria-valuenow', '100');
    expect(
      screen.getByRole('link', {
        name: /git\.example\.com\/payments\/payments-api/,
      }),
    ).toHaveAttribute('href', 'https://git.example.com/payments/payments-api');
    expect(screen.getByText('Status history')).toBeInTheDocument();
    expect(screen.getByText('no approval rule matched')).toBeInTheDocument();
    // A finished run offers neither cancel nor retry.
    expect(
      screen.queryByRole('button', { name: 'Cancel run' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry run' }),
    ).not.toBeInTheDocument();
  });

  it('shows what an upgrade run changes and the merge request it opened', async () => {
    const run = makeRun({
      kind: 'upgrade',
      status: 'succeeded',
      finishedAt: '2026-11-27T10:00:09.000Z',
      canCancel: false,
      blueprint: {
        name: 'node-backend',
        version: '1.3.0',
        digest: 'sha256:bb',
      },
      upgrade: {
        from: { name: 'node-backend', version: '1.2.0', digest: 'sha256:aa' },
        branch: 'provisionhub/upgrade-1.3.0',
        changedValues: [{ key: 'logLevel', to: 'info' }],
      },
      outputs: {
        repoUrl: 'https://gitlab.example.com/payments/payments-api',
        defaultBranch: 'main',
        entityRef: 'component:default/payments-api',
        branch: 'provisionhub/upgrade-1.3.0',
        mergeRequestUrl:
          'https://gitlab.example.com/payments/payments-api/-/merge_requests/7',
      },
    });
    const api = createFakeApi({
      getRun: async () => run,
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });
    expect(await screen.findByText('node-backend@1.2.0')).toBeInTheDocument();
    expect(screen.getAllByText('node-backend@1.3.0').length).toBeGreaterThan(0);
    expect(screen.getByText('provisionhub/upgrade-1.3.0')).toBeInTheDocument();
    expect(screen.getByText('logLevel: (unset) → "info"')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /merge_requests\/7/ }),
    ).toHaveAttribute(
      'href',
      'https://gitlab.example.com/payments/payments-api/-/merge_requests/7',
    );
  });

  it('shows the failure, whether it was dead-lettered, and retries', async () => {
    const failed = makeRun({
      status: 'failed',
      finishedAt: '2026-11-27T10:01:00.000Z',
      canCancel: false,
      canRetry: true,
      error: {
        message: 'remote rejected the push',
        step: 'push',
        retryable: true,
        deadLettered: true,
      },
    });
    const retried = makeRun({
      status: 'queued',
      attempt: 2,
      canCancel: true,
      canRetry: false,
    });
    const api = createFakeApi({
      getRun: async () => failed,
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
      retryRun: async () => ({ ...retried }),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });

    expect(
      await screen.findByText(/The run failed at step "push"/),
    ).toBeInTheDocument();
    expect(screen.getByText('remote rejected the push')).toBeInTheDocument();
    expect(screen.getByText(/The job was dead-lettered/)).toBeInTheDocument();

    api.getRun.mockResolvedValue({ ...retried });
    fireEvent.click(screen.getByRole('button', { name: 'Retry run' }));
    await waitFor(() => expect(api.retryRun).toHaveBeenCalledWith('run-1'));
    const cancel = await screen.findByRole('button', { name: 'Cancel run' });
    await waitFor(() => expect(cancel).toBeEnabled());
    expect(
      screen.queryByRole('button', { name: 'Retry run' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText(/The job was dead-lettered/),
    ).not.toBeInTheDocument();
  });

  it('shows the policy decision and the approvals, and lets an approver approve with a comment', async () => {
    const policy = {
      decision: 'require-approval' as const,
      rules: [
        {
          id: 'databases',
          description: 'Databases',
          effect: 'require-approval' as const,
          reason: 'databases hold customer data',
        },
      ],
      approvers: {
        groups: ['group:default/platform-team'],
        count: 2,
        requirements: [
          {
            rule: 'databases',
            groups: ['group:default/platform-team'],
            count: 2,
          },
        ],
      },
    };
    const waiting = makeRun({
      id: 'run-1',
      status: 'awaiting_approval',
      policy,
      approvals: [
        {
          approver: 'user:default/ada',
          at: '2026-11-27T10:00:00.000Z',
          comment: 'schema reviewed',
          rules: ['databases'],
        },
      ],
      canApprove: true,
    });
    const api = createFakeApi({
      getRun: async () => waiting,
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
      approveRun: async () => ({ ...waiting, status: 'queued' }),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });
    expect(await screen.findByTestId('policy-explanation')).toHaveTextContent(
      'needs 2 approvals from group:default/platform-team because rule databases: databases hold customer data',
    );
    expect(screen.getByText('schema reviewed')).toBeInTheDocument();
    expect(screen.getByText('user:default/ada')).toBeInTheDocument();

    const approve = screen.getByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    fireEvent.click(approve);
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Comment/ }), {
      target: { value: 'sizing ok' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Approve run' }),
    );
    await waitFor(() =>
      expect(api.approveRun).toHaveBeenCalledWith('run-1', {
        comment: 'sizing ok',
      }),
    );
  });

  it('tells the requester why they cannot approve their own run', async () => {
    const api = createFakeApi({
      getRun: async () =>
        makeRun({
          id: 'run-1',
          status: 'awaiting_approval',
          canApprove: false,
          approvalBlockedReason:
            'you requested run run-1, so you cannot approve it; another member of the approver groups must',
        }),
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });
    const approve = await screen.findByRole('button', { name: 'Approve' });
    await waitFor(() =>
      expect(approve.parentElement).toHaveAttribute(
        'title',
        'you requested run run-1, so you cannot approve it; another member of the approver groups must',
      ),
    );
    expect(approve).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
  });

  it('disables cancel without permission', async () => {
    // usePermission caches answers per run for a while: use a run no other test checked.
    const api = createFakeApi({
      getRun: async () => makeRun({ id: 'run-denied', status: 'running' }),
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
    });
    await renderProvisionHub('/provisionhub/runs/run-denied', {
      api,
      deny: ['provisionhub.run.cancel'],
    });
    await screen.findByRole('button', { name: 'Cancel run' });
    // The tooltip explains why; MUI puts its text on the wrapper while it is closed. Re-query:
    // the button is re-rendered when the permission answer arrives.
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Cancel run' }).parentElement,
      ).toHaveAttribute(
        'title',
        'You do not have permission to cancel this run',
      ),
    );
    expect(screen.getByRole('button', { name: 'Cancel run' })).toBeDisabled();
  });

  it('cancels after confirmation and explains a refusal', async () => {
    const conflict = await responseError(
      409,
      'ConflictError',
      'run run-1 already finished',
    );
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'running' }),
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
      cancelRun: async () => {
        throw conflict;
      },
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });
    const cancel = await screen.findByRole('button', { name: 'Cancel run' });
    await waitFor(() => expect(cancel).toBeEnabled());
    fireEvent.click(cancel);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel run' }));
    await waitFor(() => expect(api.cancelRun).toHaveBeenCalledWith('run-1'));
    expect(
      (await screen.findAllByText(/run run-1 already finished/)).length,
    ).toBeGreaterThan(0);
  });

  it('follows the run live through signals, reading only new log lines', async () => {
    const signalApi = createFakeSignalApi();
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'running' }),
      getRunLogs: async () => ({
        items: [
          line(1, 'Fetching blueprint node-backend@1.2.0', 'fetch-blueprint'),
        ],
        lastSeq: 1,
      }),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api, signalApi });
    expect(
      await screen.findByText('Fetching blueprint node-backend@1.2.0', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText(/live \(pushed\)/)).toBeInTheDocument();
    expect(signalApi.channels()).toContain(
      entitySignalChannel('component:default/payments-api'),
    );

    api.getRun.mockResolvedValue(
      makeRun({
        status: 'succeeded',
        finishedAt: '2026-11-27T10:00:09.000Z',
        steps: [
          {
            id: 'render',
            title: 'Render files',
            status: 'succeeded',
            durationMs: 10,
          },
        ],
      }),
    );
    api.getRunLogs.mockResolvedValue({
      items: [line(2, 'Pushed 1 commit', 'push')],
      lastSeq: 2,
    });
    act(() => {
      signalApi.emit(entitySignalChannel('component:default/payments-api'), {
        runId: 'run-1',
        entityRef: 'component:default/payments-api',
        status: 'succeeded',
        lastLogSeq: 2,
      });
    });

    expect(
      await screen.findByText('Pushed 1 commit', { exact: false }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Fetching blueprint node-backend@1.2.0', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Succeeded').length).toBeGreaterThan(0);
    expect(api.getRunLogs).toHaveBeenLastCalledWith('run-1', {
      after: 1,
      limit: 500,
    });
  });

  it("reads the run once more when it starts listening on the entity's channel", async () => {
    const signalApi = createFakeSignalApi();
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'succeeded' }),
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
    });
    // The change between the first read and the subscription sends no signal to this page.
    api.getRun.mockResolvedValueOnce(makeRun({ status: 'running' }));
    await renderProvisionHub('/provisionhub/runs/run-1', { api, signalApi });

    expect((await screen.findAllByText('Succeeded')).length).toBeGreaterThan(0);
    expect(signalApi.channels()).toContain(
      entitySignalChannel('component:default/payments-api'),
    );
    expect(api.getRun).toHaveBeenCalledTimes(2);
  });

  it('polls while the run is not finished when signals are unavailable', async () => {
    jest.useFakeTimers();
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'running' }),
      getRunLogs: async () => ({ items: [line(1, 'Rendering')], lastSeq: 1 }),
    });
    await renderProvisionHub('/provisionhub/runs/run-1', { api });
    expect(await screen.findByText(/live \(polling\)/)).toBeInTheDocument();

    api.getRun.mockResolvedValue(
      makeRun({ status: 'succeeded', finishedAt: '2026-11-27T10:00:09.000Z' }),
    );
    api.getRunLogs.mockResolvedValue({
      items: [line(2, 'Pushed to main', 'push')],
      lastSeq: 2,
    });
    await act(async () => {
      jest.advanceTimersByTime(POLL_INTERVAL_MS);
    });
    expect(
      await screen.findByText('Pushed to main', { exact: false }),
    ).toBeInTheDocument();
    expect(api.getRunLogs).toHaveBeenLastCalledWith('run-1', {
      after: 1,
      limit: 500,
    });

    // Finished: no more polling.
    const calls = api.getRun.mock.calls.length;
    await act(async () => {
      jest.advanceTimersByTime(POLL_INTERVAL_MS * 3);
    });
    expect(api.getRun.mock.calls.length).toBe(calls);
  });
});
