import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DeadLetter } from '@provisionhub/plugin-provisionhub-common';
import {
  createFakeApi,
  forbidden,
  makeRun,
  responseError,
} from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';

const job: DeadLetter = {
  id: 'dl-1',
  queue: 'provisionhub.jobs',
  reason: 'push failed: remote unreachable',
  kind: 'job',
  valid: true,
  runId: 'run-1',
  attempt: 3,
  bytes: 812,
  deaths: 1,
  firstDeathAt: '2026-12-01T10:00:00.000Z',
  lastDeathAt: '2026-12-01T10:00:00.000Z',
  redrivable: true,
};

const malformed: DeadLetter = {
  id: 'dl-2',
  queue: 'provisionhub.requests',
  reason: 'body is not JSON: Unexpected token',
  valid: false,
  bytes: 9,
  deaths: 1,
  firstDeathAt: '2026-12-01T09:00:00.000Z',
  lastDeathAt: '2026-12-01T09:30:00.000Z',
  redrivable: false,
};

function rowOf(text: string) {
  return screen.getByText(text).closest('tr') as HTMLElement;
}

describe('DeadLettersPage', () => {
  it('lists dead letters with reason, queue, deaths and run; malformed ones can only be purged', async () => {
    const api = createFakeApi({
      listDeadLetters: async () => ({ items: [job, malformed], total: 2 }),
    });
    await renderProvisionHub('/provisionhub/dead-letters', { api });
    expect(await screen.findByText('Dead letters (2)')).toBeInTheDocument();
    const jobRow = rowOf(job.reason);
    expect(within(jobRow).getByText('provisionhub.jobs')).toBeInTheDocument();
    expect(within(jobRow).getByText('job, attempt 3')).toBeInTheDocument();
    expect(within(jobRow).getByRole('link', { name: 'run-1' })).toHaveAttribute(
      'href',
      '/provisionhub/runs/run-1',
    );
    expect(
      within(jobRow).getByRole('button', { name: 'Re-drive' }),
    ).toBeEnabled();
    const badRow = rowOf(malformed.reason);
    expect(within(badRow).getByText('malformed (9 bytes)')).toBeInTheDocument();
    expect(
      within(badRow).queryByRole('button', { name: 'Re-drive' }),
    ).not.toBeInTheDocument();
    expect(within(badRow).getByRole('button', { name: 'Purge' })).toBeEnabled();
  });

  it('re-drives a job after confirmation and shows the run queued again', async () => {
    let items = [job];
    const api = createFakeApi({
      listDeadLetters: async () => ({ items, total: items.length }),
      redriveDeadLetter: async () => {
        items = [];
        return makeRun({ status: 'queued', attempt: 4 });
      },
    });
    await renderProvisionHub('/provisionhub/dead-letters', { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Re-drive' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Re-drive this job?')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Re-drive' }));
    expect(
      await screen.findByText('Run payments-api is queued again.'),
    ).toBeInTheDocument();
    expect(api.redriveDeadLetter).toHaveBeenCalledTimes(1);
    expect(api.redriveDeadLetter).toHaveBeenCalledWith('dl-1');
    expect(
      await screen.findByText('The dead-letter queue is empty.'),
    ).toBeInTheDocument();
  });

  it('purges one dead letter, or all of them', async () => {
    let items = [job, malformed];
    const api = createFakeApi({
      listDeadLetters: async () => ({ items, total: items.length }),
      purgeDeadLetters: async options => {
        const before = items.length;
        items = options?.ids
          ? items.filter(d => !options.ids!.includes(d.id))
          : [];
        return { purged: before - items.length };
      },
    });
    await renderProvisionHub('/provisionhub/dead-letters', { api });
    await screen.findByText(malformed.reason);
    fireEvent.click(
      within(rowOf(malformed.reason)).getByRole('button', { name: 'Purge' }),
    );
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Purge',
      }),
    );
    expect(
      await screen.findByText('Purged 1 dead letter.'),
    ).toBeInTheDocument();
    expect(api.purgeDeadLetters).toHaveBeenLastCalledWith({ ids: ['dl-2'] });
    await waitFor(() =>
      expect(screen.queryByText(malformed.reason)).not.toBeInTheDocument(),
    );
    // The closing dialog hides the page from the accessibility tree until it is gone.
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Purge all' }));
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Purge',
      }),
    );
    expect(
      await screen.findByText('Purged 1 dead letter.'),
    ).toBeInTheDocument();
    expect(api.purgeDeadLetters).toHaveBeenLastCalledWith({});
    expect(
      await screen.findByText('The dead-letter queue is empty.'),
    ).toBeInTheDocument();
  });

  it('shows the control plane refusing a re-drive', async () => {
    const api = createFakeApi({
      listDeadLetters: async () => ({ items: [job], total: 1 }),
      redriveDeadLetter: async () => {
        throw await responseError(
          409,
          'ConflictError',
          'run run-1 is running; only failed or cancelled runs can be retried',
        );
      },
    });
    await renderProvisionHub('/provisionhub/dead-letters', { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Re-drive' }));
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Re-drive',
      }),
    );
    expect(
      (await screen.findAllByText(/only failed or cancelled runs/)).length,
    ).toBeGreaterThan(0);
    expect(api.redriveDeadLetter).toHaveBeenCalledTimes(1);
  });

  it('tells callers without provisionhub.admin that they cannot see dead letters', async () => {
    const api = createFakeApi({
      listDeadLetters: async () => {
        throw await forbidden('You are not allowed to provisionhub.admin');
      },
    });
    await renderProvisionHub('/provisionhub/dead-letters', {
      api,
      deny: ['provisionhub.admin'],
    });
    expect(
      await screen.findByText(/You do not have permission to see dead letters/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Purge all' })).toBeDisabled();
  });
});
