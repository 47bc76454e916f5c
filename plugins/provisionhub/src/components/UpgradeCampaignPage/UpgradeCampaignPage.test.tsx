import { act, screen, within } from '@testing-library/react';
import type { UpgradeCampaign } from '@provisionhub/plugin-provisionhub-common';
import { createFakeApi, responseError } from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';

const campaign: UpgradeCampaign = {
  id: 'c-1',
  blueprint: 'node-backend',
  from: '1.0.0',
  to: '1.1.0',
  createdBy: 'user:default/ada',
  createdAt: '2026-12-02T10:00:00.000Z',
  counts: { succeeded: 1, running: 1, skipped: 1 },
  done: false,
  runs: [
    {
      component: 'cards-api',
      entityRef: 'component:default/cards-api',
      state: 'succeeded',
      runId: 'run-1',
      outputs: {
        repoUrl: 'https://gitlab.example.com/payments/cards-api',
        defaultBranch: 'main',
        entityRef: 'component:default/cards-api',
        branch: 'provisionhub/upgrade-1.1.0',
        mergeRequestUrl:
          'https://gitlab.example.com/payments/cards-api/-/merge_requests/3',
      },
    },
    {
      component: 'ledger-api',
      entityRef: 'component:default/ledger-api',
      state: 'running',
      runId: 'run-2',
    },
    {
      component: 'refunds-api',
      entityRef: 'component:default/refunds-api',
      state: 'skipped',
      skippedReason:
        'another run of component:default/refunds-api is not finished yet',
    },
  ],
};

function rowOf(text: string) {
  return screen.getByText(text).closest('tr') as HTMLElement;
}

describe('UpgradeCampaignPage', () => {
  it('shows the counts and each component with its run, merge request or why it was skipped', async () => {
    const api = createFakeApi({ getUpgradeCampaign: async () => campaign });
    await renderProvisionHub(
      '/provisionhub/blueprints/node-backend/upgrades/c-1',
      {
        api,
      },
    );
    expect(
      await screen.findByText('Upgrade node-backend 1.0.0 → 1.1.0'),
    ).toBeInTheDocument();
    expect(api.getUpgradeCampaign).toHaveBeenCalledWith('node-backend', 'c-1');
    expect(screen.getByText('2 of 3 components done.')).toBeInTheDocument();
    expect(screen.getByText('Succeeded: 1')).toBeInTheDocument();
    expect(screen.getByText('Running: 1')).toBeInTheDocument();
    expect(screen.getByText('Skipped: 1')).toBeInTheDocument();

    const cards = rowOf('cards-api');
    expect(within(cards).getByRole('link', { name: 'run-1' })).toHaveAttribute(
      'href',
      '/provisionhub/runs/run-1',
    );
    expect(
      within(cards).getByRole('link', { name: /merge_requests\/3/ }),
    ).toHaveAttribute(
      'href',
      'https://gitlab.example.com/payments/cards-api/-/merge_requests/3',
    );
    expect(
      within(rowOf('ledger-api')).getByText('Running'),
    ).toBeInTheDocument();
    const refunds = rowOf('refunds-api');
    expect(within(refunds).getByText('Skipped')).toBeInTheDocument();
    expect(
      within(refunds).getByText(
        'another run of component:default/refunds-api is not finished yet',
      ),
    ).toBeInTheDocument();
    expect(
      within(refunds).getByRole('link', { name: 'refunds-api' }),
    ).toHaveAttribute('href', '/provisionhub/components/refunds-api');
  });

  it('reads an unfinished campaign again until it is done', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      let current = campaign;
      const api = createFakeApi({ getUpgradeCampaign: async () => current });
      await renderProvisionHub(
        '/provisionhub/blueprints/node-backend/upgrades/c-1',
        { api },
      );
      expect(
        await screen.findByText('2 of 3 components done.'),
      ).toBeInTheDocument();
      current = {
        ...campaign,
        done: true,
        counts: { succeeded: 2, skipped: 1 },
        runs: campaign.runs.map(r =>
          r.state === 'running' ? { ...r, state: 'succeeded' as const } : r,
        ),
      };
      await act(async () => {
        jest.advanceTimersByTime(5000);
      });
      expect(
        await screen.findByText('Done: every run of 3 components ended.'),
      ).toBeInTheDocument();
      const calls = api.getUpgradeCampaign.mock.calls.length;
      await act(async () => {
        jest.advanceTimersByTime(60_000);
      });
      expect(api.getUpgradeCampaign.mock.calls.length).toBe(calls);
    } finally {
      jest.useRealTimers();
    }
  });

  it('says when a campaign is done', async () => {
    const api = createFakeApi({
      getUpgradeCampaign: async () => ({
        ...campaign,
        done: true,
        counts: { succeeded: 2, skipped: 1 },
        runs: campaign.runs.map(r =>
          r.state === 'running' ? { ...r, state: 'succeeded' as const } : r,
        ),
      }),
    });
    await renderProvisionHub(
      '/provisionhub/blueprints/node-backend/upgrades/c-1',
      {
        api,
      },
    );
    expect(
      await screen.findByText('Done: every run of 3 components ended.'),
    ).toBeInTheDocument();
  });

  it('explains an unknown campaign', async () => {
    const api = createFakeApi({
      getUpgradeCampaign: async () => {
        throw await responseError(
          404,
          'NotFoundError',
          "blueprint 'node-backend' has no upgrade campaign nope",
        );
      },
    });
    await renderProvisionHub(
      '/provisionhub/blueprints/node-backend/upgrades/nope',
      { api },
    );
    expect(
      (
        await screen.findAllByText(
          /blueprint 'node-backend' has no upgrade campaign nope/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });
});
