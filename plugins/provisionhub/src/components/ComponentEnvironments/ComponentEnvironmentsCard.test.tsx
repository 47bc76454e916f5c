import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  createFakeApi,
  forbidden,
  makeComponent,
  makeEnvironments,
  makeRun,
  pending,
  provisionedEntity,
} from '../../__testUtils__/fakes';
import {
  renderProvisionHub,
  renderWithApis,
} from '../../__testUtils__/renderLegacy';
import { EntityProvisioningContent } from '../EntityProvisioningContent';

const PAGE = '/provisionhub/components/payments-api';

/** The body rows of the environments table, as their cells' text. */
function environmentRows(): string[][] {
  const table = screen.getByRole('table', { name: 'Environments' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      Array.from(
        row.querySelectorAll('th, td'),
        cell => cell.textContent ?? '',
      ),
    );
}

describe('ComponentEnvironmentsCard', () => {
  it('shows one row per environment: version, deployment, Argo CD, GitOps path and run', async () => {
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({ environments: makeEnvironments() }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub(PAGE, { api });
    await screen.findByRole('table', { name: 'Environments' });

    expect(environmentRows()).toEqual([
      [
        'Development',
        '4f2a9c1',
        'committed',
        'Synced · Healthy',
        'payments/payments-api/overlays/development',
        'run-1',
        'Promote to Staging',
      ],
      [
        'Staging',
        '4f2a9c1',
        'proposed merge request, Opens in a new window',
        'Argo CD has no application payments-api-staging',
        'payments/payments-api/overlays/staging',
        'run-promote-staging',
        'Promote to Production',
      ],
      [
        'Production',
        '—',
        'not deployed',
        '—',
        'payments/payments-api/overlays/production',
        '—',
        '',
      ],
    ]);
    expect(screen.getByRole('link', { name: /merge request/ })).toHaveAttribute(
      'href',
      'https://gitlab.example.com/platform/gitops/-/merge_requests/7',
    );
    expect(
      screen.getByRole('link', { name: 'run-promote-staging' }),
    ).toHaveAttribute('href', '/provisionhub/runs/run-promote-staging');
  });

  it('names the branch of a proposal without a merge request', async () => {
    const [development, staging, production] = makeEnvironments();
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({
          environments: [
            development,
            { ...staging, mergeRequestUrl: undefined },
            production,
          ],
        }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub(PAGE, { api });
    expect(
      await screen.findByText('provisionhub/promote-payments-api-staging'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /merge request/ })).toBeNull();
  });

  it('shows a newer version proposed over a committed one', async () => {
    const [development, staging, production] = makeEnvironments();
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({
          environments: [
            development,
            staging,
            {
              ...production,
              status: 'committed',
              version: '3e1b8a0',
              runId: 'run-promote-production',
              proposal: {
                version: '4f2a9c1',
                runId: 'run-promote-production-2',
                branch: 'provisionhub/promote-payments-api-production',
              },
            },
          ],
        }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub(PAGE, { api });
    await screen.findByRole('table', { name: 'Environments' });
    expect(environmentRows()[2].slice(0, 3)).toEqual([
      'Production',
      '3e1b8a0',
      'committed4f2a9c1 proposed on branch provisionhub/promote-payments-api-production',
    ]);
  });

  it('promotes from a row to the next environment and opens the run', async () => {
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({ environments: makeEnvironments() }),
      listRuns: async () => ({ items: [] }),
      promoteComponent: async () =>
        makeRun({ id: 'run-promote', kind: 'promote' }),
      getRun: () => pending(),
      getRunLogs: () => pending(),
    });
    await renderProvisionHub(PAGE, { api });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Promote to Staging' }),
    );
    await waitFor(() => expect(api.getRun).toHaveBeenCalledWith('run-promote'));
    expect(api.promoteComponent).toHaveBeenCalledTimes(1);
    expect(api.promoteComponent).toHaveBeenCalledWith('payments-api', {
      from: 'development',
      to: 'staging',
    });
  });

  it('explains a refused promotion and leaves the page as it was', async () => {
    const error = await forbidden(
      'policy denies this promotion: denied because rule freeze: no changes this week',
    );
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({ environments: makeEnvironments() }),
      listRuns: async () => ({ items: [] }),
      promoteComponent: async () => {
        throw error;
      },
    });
    await renderProvisionHub(PAGE, { api });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Promote to Staging' }),
    );
    expect(
      await screen.findByText(
        /You do not have permission to promote this component/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/no changes this week/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Promote to Staging' }),
    ).toBeEnabled();
    expect(api.getRun).not.toHaveBeenCalled();
  });

  it('offers no promotion from an environment whose version is only proposed', async () => {
    const [development, staging, production] = makeEnvironments();
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({
          environments: [
            development,
            {
              ...staging,
              status: 'proposed',
              branch: 'provisionhub/promote-x',
            },
            production,
          ],
        }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub(PAGE, { api });
    expect(
      await screen.findByRole('button', { name: 'Promote to Staging' }),
    ).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Promote to Production' }),
    ).toBeDisabled();
  });

  it('offers no promotion from an environment that was never deployed', async () => {
    const [development, staging, production] = makeEnvironments();
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({
          environments: [
            development,
            {
              name: staging.name,
              title: staging.title,
              gitopsPath: staging.gitopsPath,
              status: 'not-deployed',
            },
            production,
          ],
        }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub(PAGE, { api });
    expect(
      await screen.findByRole('button', { name: 'Promote to Staging' }),
    ).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Promote to Production' }),
    ).toBeDisabled();
  });

  it('offers no promotion for a decommissioned component', async () => {
    const api = createFakeApi({
      getComponent: async () =>
        makeComponent({
          status: 'decommissioned',
          decommissionedAt: '2026-12-02T11:00:00.000Z',
          decommissionRunId: 'run-down',
          environments: makeEnvironments(),
        }),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub(PAGE, { api });
    expect(
      await screen.findByRole('button', { name: 'Promote to Staging' }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Promote to Production' }),
    ).toBeDisabled();
  });

  it('is not shown when the portal has no environments', async () => {
    const api = createFakeApi({
      getComponent: async () => makeComponent(),
      listRuns: async () => ({ items: [] }),
    });
    await renderProvisionHub(PAGE, { api });
    expect(await screen.findByText('About')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Environments' })).toBeNull();
  });

  it('is shown in the Provisioning tab of a catalog Component', async () => {
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'succeeded' }),
      listRuns: async () => ({ items: [] }),
      getComponent: async () =>
        makeComponent({ environments: makeEnvironments() }),
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api },
    );
    await screen.findByRole('table', { name: 'Environments' });
    expect(environmentRows().map(row => row[0])).toEqual([
      'Development',
      'Staging',
      'Production',
    ]);
  });

  it('is not shown in the Provisioning tab of a Component in no environment', async () => {
    const api = createFakeApi({
      getRun: async () => makeRun({ status: 'succeeded' }),
      listRuns: async () => ({ items: [] }),
      getComponent: async () => makeComponent(),
    });
    await renderWithApis(
      <EntityProvider entity={provisionedEntity('Component')}>
        <EntityProvisioningContent />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText(/Up to date|no upgrade/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Environments' })).toBeNull();
  });
});
