import type {
  ComponentEnvironment,
  ProvisionedComponentDetails,
} from '@provisionhub/plugin-provisionhub-common';
import type { Output } from './output';

/** Where a proposal waits, in parentheses: its merge request, else its branch. */
function place(proposal: { mergeRequestUrl?: string; branch?: string }) {
  const where = proposal.mergeRequestUrl ?? proposal.branch;
  return where ? ` (${where})` : '';
}

/**
 * `committed`, `proposed (<merge request or branch>)`, or for a newer version proposed over a
 * committed one `committed; 5b3c0d2 proposed (<merge request or branch>)`.
 */
function deployment(environment: ComponentEnvironment): string {
  const state =
    environment.status === 'proposed'
      ? `proposed${place(environment)}`
      : environment.status;
  const { proposal } = environment;
  return proposal
    ? `${state}; ${proposal.version} proposed${place(proposal)}`
    : state;
}

/** `Synced/Healthy`, Argo CD's error, or empty when the portal does not ask Argo CD. */
function argocd(environment: ComponentEnvironment): string {
  const { argocd: status } = environment;
  if (!status) {
    return '';
  }
  if (status.error) {
    return `? (${status.error})`;
  }
  return [status.sync ?? '?', status.health ?? '?'].join('/');
}

/** The lines `components get` prints: the component, then one row per environment. */
export function printComponent(
  out: Output,
  component: ProvisionedComponentDetails,
) {
  out.info(
    `${out.style.bold(`Component ${component.name}`)}  (system ${
      component.system
    })`,
  );
  out.fields([
    ['Status', component.status],
    ['Owner', component.owner],
    ['Entity', component.entityRef],
    ['Blueprint', `${component.blueprint.name}@${component.blueprint.version}`],
    [
      'Upgrade',
      component.upgrade?.available
        ? `${component.upgrade.latest} available`
        : undefined,
    ],
    ['Repository', component.repoUrl],
    ['Created', `by run ${component.runId} at ${component.createdAt}`],
    [
      'Decommissioned',
      component.decommissionedAt
        ? `by run ${component.decommissionRunId} at ${component.decommissionedAt}`
        : undefined,
    ],
  ]);
  out.info();
  if (component.environments.length === 0) {
    out.info('No environments: the portal configures none.');
    return;
  }
  out.table(
    ['ENVIRONMENT', 'VERSION', 'STATUS', 'ARGO CD', 'RUN', 'GITOPS PATH'],
    component.environments.map(environment => [
      environment.name,
      environment.version ?? '-',
      deployment(environment),
      argocd(environment) || '-',
      environment.runId ?? '-',
      environment.gitopsPath,
    ]),
  );
}
