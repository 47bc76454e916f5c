import type {
  ComponentEnvironment,
  ProvisionedComponentDetails,
} from '@provisionhub/plugin-provisionhub-common';
import type { Output } from './output';

/** `committed`, or `proposed` with where: the merge request, else the branch. */
function deployment(environment: ComponentEnvironment): string {
  if (environment.status !== 'proposed') {
    return environment.status;
  }
  const where = environment.mergeRequestUrl ?? environment.branch;
  return where ? `proposed (${where})` : 'proposed';
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
