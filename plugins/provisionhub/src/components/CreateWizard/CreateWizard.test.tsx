import type { DryRunResult } from '@provisionhub/plugin-provisionhub-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  createFakeApi,
  forbidden,
  makeRun,
  makeSystem,
  nodeBackendSummary,
  nodeBackendVersion,
  pending,
  responseError,
  systemSummary,
} from '../../__testUtils__/fakes';
import { renderProvisionHub } from '../../__testUtils__/renderLegacy';

const dryRunResult: DryRunResult = {
  policy: { decision: 'allow', rules: [] },
  blueprint: { name: 'node-backend', version: '1.2.0', digest: 'sha256:abc' },
  repositoryPath: 'payments/orders-api',
  files: [
    { path: 'catalog-info.yaml', size: 512, executable: false },
    { path: 'scripts/start.sh', size: 2048, executable: true },
  ],
};

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function chooseBlueprint(title: string) {
  fireEvent.click(
    await screen.findByRole('radio', { name: new RegExp(title) }),
  );
  fireEvent.click(screen.getByRole('button', { name: 'Next' }));
}

describe('CreateWizard', () => {
  it('creates a component: blueprint, validated details, dry run, submit, run page', async () => {
    const api = createFakeApi({
      getSystem: async () => makeSystem(),
      listBlueprints: async () => ({
        items: [systemSummary, nodeBackendSummary],
      }),
      getBlueprintVersion: async () => nodeBackendVersion,
      dryRun: async () => dryRunResult,
      createRun: async () =>
        makeRun({ id: 'run-new', name: 'orders-api', status: 'queued' }),
      getRun: async () =>
        makeRun({ id: 'run-new', name: 'orders-api', status: 'queued' }),
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
    });
    await renderProvisionHub('/provisionhub/systems/payments/create', { api });

    // Only component blueprints are offered for a component.
    expect(
      await screen.findByRole('radio', { name: /Node.js backend/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('radio', { name: /Standard system/ }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    await chooseBlueprint('Node.js backend');

    // Details: the owner defaults to the system's owner; the system is fixed.
    expect(await screen.findByLabelText(/HTTP port/)).toBeInTheDocument();
    expect(screen.getByLabelText('Owner')).toHaveValue(
      'group:default/payments',
    );
    expect(screen.getByDisplayValue('payments')).toHaveAttribute('readonly');
    expect(api.getBlueprintVersion).toHaveBeenCalledWith(
      'node-backend',
      '1.2.0',
    );

    // Inline messages: the name rule, a required parameter, a minimum.
    fill(/^Name$/, 'Orders_API');
    fireEvent.blur(screen.getByLabelText(/^Name$/));
    expect(
      screen.getByText(
        "Name may only contain lowercase letters, digits and hyphens; 'O' is not allowed",
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('is required')).toBeInTheDocument();
    fill(/HTTP port/, '80');
    expect(await screen.findByText('must be >= 1024')).toBeInTheDocument();
    expect(api.dryRun).not.toHaveBeenCalled();

    fill(/^Name$/, 'orders-api');
    fill(/HTTP port/, '8080');
    await waitFor(() =>
      expect(screen.queryByText('must be >= 1024')).not.toBeInTheDocument(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    // Review: the dry run's files.
    expect(await screen.findByText('scripts/start.sh')).toBeInTheDocument();
    expect(screen.getByText('2.0 KiB')).toBeInTheDocument();
    expect(
      screen.getByText(/In repository payments\/orders-api/),
    ).toBeInTheDocument();
    const request = {
      kind: 'component',
      name: 'orders-api',
      owner: 'group:default/payments',
      system: 'payments',
      blueprint: 'node-backend',
      version: '1.2.0',
      values: { port: 8080, replicas: 2 },
    };
    expect(api.dryRun).toHaveBeenCalledWith(request);

    fireEvent.click(screen.getByRole('button', { name: 'Create component' }));
    await waitFor(() => expect(api.createRun).toHaveBeenCalledWith(request));
    // The run page of the new run.
    await waitFor(() => expect(api.getRun).toHaveBeenCalledWith('run-new'));
    expect(await screen.findByText('Run run-new')).toBeInTheDocument();
  });

  it('creates a system from system blueprints only', async () => {
    const api = createFakeApi({
      listBlueprints: async () => ({ items: [systemSummary] }),
      getBlueprintVersion: async () => ({
        ...nodeBackendVersion,
        name: 'standard-system',
        version: '1.0.0',
        type: 'system',
        parameters: { type: 'object', properties: {} },
      }),
      dryRun: async () => ({
        ...dryRunResult,
        repositoryPath: 'billing/billing',
      }),
      createRun: async () =>
        makeRun({ id: 'run-system', kind: 'system', name: 'billing' }),
      getRun: async () =>
        makeRun({ id: 'run-system', kind: 'system', name: 'billing' }),
      getRunLogs: async () => ({ items: [], lastSeq: 0 }),
    });
    await renderProvisionHub('/provisionhub/create', { api });
    await chooseBlueprint('Standard system');
    expect(api.listBlueprints).toHaveBeenCalledWith({ type: 'system' });

    // The owner defaults to the user's group; there is no system field.
    expect(await screen.findByLabelText('Owner')).toHaveValue(
      'group:default/payments',
    );
    expect(screen.queryByLabelText('System')).not.toBeInTheDocument();
    fill(/^Owner$/, 'component:default/x');
    fireEvent.blur(screen.getByLabelText('Owner'));
    expect(
      screen.getByText(
        /Owner must be a group or a user, not an entity of kind component/,
      ),
    ).toBeInTheDocument();
    fill(/^Owner$/, 'billing-team');
    fill(/^Name$/, 'billing');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    expect(
      await screen.findByText(/In repository billing\/billing/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Create system' }));
    await waitFor(() =>
      expect(api.createRun).toHaveBeenCalledWith({
        kind: 'system',
        name: 'billing',
        owner: 'group:default/billing-team',
        blueprint: 'standard-system',
        version: '1.0.0',
        values: {},
      }),
    );
    expect(await screen.findByText('Run run-system')).toBeInTheDocument();
  });

  it('lets the user pick an older version', async () => {
    const api = createFakeApi({
      getSystem: async () => makeSystem(),
      listBlueprints: async () => ({ items: [nodeBackendSummary] }),
      getBlueprintVersion: async () => ({
        ...nodeBackendVersion,
        version: '1.1.0',
      }),
    });
    await renderProvisionHub('/provisionhub/systems/payments/create', { api });
    fireEvent.click(
      await screen.findByRole('radio', { name: /Node.js backend/ }),
    );
    fireEvent.mouseDown(screen.getByRole('button', { name: /1.2.0/ }));
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByText('1.1.0'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() =>
      expect(api.getBlueprintVersion).toHaveBeenCalledWith(
        'node-backend',
        '1.1.0',
      ),
    );
  });

  it('shows what the dry run rejected and keeps the user on the review step', async () => {
    const invalid = await responseError(
      400,
      'InputError',
      'values/port must be <= 65535',
    );
    const api = createFakeApi({
      listBlueprints: async () => ({ items: [systemSummary] }),
      getBlueprintVersion: async () => ({
        ...nodeBackendVersion,
        parameters: { type: 'object', properties: {} },
      }),
      dryRun: async () => {
        throw invalid;
      },
    });
    await renderProvisionHub('/provisionhub/create', { api });
    await chooseBlueprint('Standard system');
    fill(/^Name$/, 'billing');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(
      (await screen.findAllByText(/values\/port must be <= 65535/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('button', { name: 'Create system' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Back' })).toBeEnabled();
  });

  it('explains what policy says on the review step: approval needed, or denied and why', async () => {
    const approval: DryRunResult = {
      ...dryRunResult,
      policy: {
        decision: 'require-approval',
        rules: [
          {
            id: 'large-databases',
            description: 'Large databases',
            effect: 'require-approval',
            reason: 'storage over 100 GB',
          },
        ],
        approvers: {
          groups: ['group:default/dba-team'],
          count: 2,
          requirements: [
            {
              rule: 'large-databases',
              groups: ['group:default/dba-team'],
              count: 2,
            },
          ],
        },
      },
    };
    let result = approval;
    const api = createFakeApi({
      listBlueprints: async () => ({ items: [systemSummary] }),
      getBlueprintVersion: async () => ({
        ...nodeBackendVersion,
        parameters: { type: 'object', properties: {} },
      }),
      dryRun: async () => result,
    });
    await renderProvisionHub('/provisionhub/create', { api });
    await chooseBlueprint('Standard system');
    fill(/^Name$/, 'billing');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByTestId('policy-explanation')).toHaveTextContent(
      'needs 2 approvals from group:default/dba-team because rule large-databases: storage over 100 GB',
    );
    expect(
      screen.getByRole('button', { name: 'Request system for approval' }),
    ).toBeEnabled();

    result = {
      ...dryRunResult,
      policy: {
        decision: 'deny',
        rules: [
          {
            id: 'no-billing',
            description: 'No billing systems',
            effect: 'deny',
            reason: 'billing belongs to finance',
          },
        ],
      },
    };
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    fill(/^Name$/, 'billing-two');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() =>
      expect(screen.getByTestId('policy-explanation')).toHaveTextContent(
        'denied because rule no-billing: billing belongs to finance',
      ),
    );
    expect(
      screen.getByRole('button', { name: 'Create system' }),
    ).toBeDisabled();
  });

  it('explains a refused creation', async () => {
    const denied = await forbidden('user:default/alice may not create runs');
    const api = createFakeApi({
      listBlueprints: async () => ({ items: [systemSummary] }),
      getBlueprintVersion: async () => ({
        ...nodeBackendVersion,
        parameters: { type: 'object', properties: {} },
      }),
      dryRun: async () => dryRunResult,
      createRun: async () => {
        throw denied;
      },
    });
    await renderProvisionHub('/provisionhub/create', { api });
    await chooseBlueprint('Standard system');
    fill(/^Name$/, 'billing');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Create system' }),
    );
    expect(
      await screen.findByText(/You do not have permission to create systems/),
    ).toBeInTheDocument();
  });

  it('shows loading, empty and failed blueprint lists', async () => {
    const loading = createFakeApi({ listBlueprints: () => pending() });
    const { unmount } = await renderProvisionHub('/provisionhub/create', {
      api: loading,
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();

    const empty = createFakeApi({
      listBlueprints: async () => ({ items: [nodeBackendSummary] }),
    });
    const second = await renderProvisionHub('/provisionhub/create', {
      api: empty,
    });
    expect(await screen.findByText('No system blueprints')).toBeInTheDocument();
    second.unmount();

    const denied = await forbidden();
    const failing = createFakeApi({
      listBlueprints: async () => {
        throw denied;
      },
    });
    await renderProvisionHub('/provisionhub/create', { api: failing });
    expect(
      await screen.findByText(/You do not have permission to list blueprints/),
    ).toBeInTheDocument();
  });

  it('explains a missing system when creating a component', async () => {
    const missing = await responseError(
      404,
      'NotFoundError',
      'system nope does not exist',
    );
    const api = createFakeApi({
      getSystem: async () => {
        throw missing;
      },
    });
    await renderProvisionHub('/provisionhub/systems/nope/create', { api });
    expect(
      (await screen.findAllByText(/system nope does not exist/)).length,
    ).toBeGreaterThan(0);
  });
});
