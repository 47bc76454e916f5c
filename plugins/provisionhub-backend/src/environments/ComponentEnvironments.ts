import {
  ArgoCdApplicationStatus,
  ComponentEnvironment,
  EnvironmentDefinition,
  ProvisionedComponent,
  gitopsLayout,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunStore } from '../database/RunStore';

/** What the component page needs of Argo CD: one Application's sync and health. @internal */
export interface ArgoCdStatusReader {
  getApplicationStatus(name: string): Promise<ArgoCdApplicationStatus>;
}

/**
 * What runs where: one entry per configured environment, from what runs wrote to the GitOps
 * repository (the version committed to the branch Argo CD follows, else the one proposed), and,
 * when `provisionhub.argocd` is configured, what Argo CD reports for the environment's
 * Application.
 * @internal
 */
export class ComponentEnvironments {
  readonly #store: RunStore;
  readonly #environments: readonly EnvironmentDefinition[];
  readonly #argocd?: ArgoCdStatusReader;

  constructor(options: {
    store: RunStore;
    environments: readonly EnvironmentDefinition[];
    argocd?: ArgoCdStatusReader;
  }) {
    this.#store = options.store;
    this.#environments = options.environments;
    this.#argocd = options.argocd;
  }

  async describe(
    component: ProvisionedComponent,
  ): Promise<ComponentEnvironment[]> {
    if (this.#environments.length === 0) {
      return [];
    }
    const deployments = await this.#store.listDeployments(
      'component',
      component.name,
    );
    const path = gitopsLayout.componentPath(component.system, component.name);
    return Promise.all(
      this.#environments.map(async environment => {
        const mine = deployments.filter(
          d => d.environment === environment.name,
        );
        const written =
          mine.find(d => d.state === 'committed') ??
          mine.find(d => d.state === 'proposed');
        const argocd =
          this.#argocd && written && component.status === 'live'
            ? await this.#argocd.getApplicationStatus(
                gitopsLayout.applicationName(component.name, environment.name),
              )
            : undefined;
        const row: ComponentEnvironment = {
          name: environment.name,
          title: environment.title,
          gitopsPath:
            written?.path ?? gitopsLayout.overlayPath(path, environment.name),
          status: written?.state ?? 'not-deployed',
          ...(written
            ? {
                version: written.version,
                runId: written.runId,
                updatedAt: written.updatedAt,
              }
            : {}),
          ...(written?.branch ? { branch: written.branch } : {}),
          ...(written?.mergeRequestUrl
            ? { mergeRequestUrl: written.mergeRequestUrl }
            : {}),
          ...(argocd ? { argocd } : {}),
        };
        const proposal = mine.find(
          d => d.state === 'proposed' && d !== written,
        );
        return proposal
          ? {
              ...row,
              proposal: {
                version: proposal.version,
                runId: proposal.runId,
                ...(proposal.branch ? { branch: proposal.branch } : {}),
                ...(proposal.mergeRequestUrl
                  ? { mergeRequestUrl: proposal.mergeRequestUrl }
                  : {}),
              },
            }
          : row;
      }),
    );
  }
}
