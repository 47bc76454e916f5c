import type { Config } from '@backstage/config';
import {
  CreateRunKind,
  EnvironmentDefinition,
  GITOPS_PATTERNS,
  JobDeployment,
  RunPromotion,
  gitopsLayout,
  resolveNamespace,
} from '@provisionhub/plugin-provisionhub-common';

const KEY = 'provisionhub.gitops';
const FOLDER = new RegExp(GITOPS_PATTERNS.relativePath);
const NAME = new RegExp(GITOPS_PATTERNS.kubernetesName);
const BRANCH = new RegExp(GITOPS_PATTERNS.branch);

/** `provisionhub.gitops`: where runs write deployments. @internal */
export interface GitopsConfig {
  repository: string;
  branch: string;
  argocdNamespace: string;
}

/**
 * Reads `provisionhub.gitops`; undefined when the portal has no GitOps repository.
 * @throws Error naming the key and what is wrong with it
 * @internal
 */
export function readGitopsConfig(config: Config): GitopsConfig | undefined {
  const gitops = config.getOptionalConfig(KEY);
  if (!gitops) {
    return undefined;
  }
  const repository = gitops.getString('repository').replace(/^\/+|\/+$/g, '');
  if (
    !FOLDER.test(repository) ||
    repository.split('/').some(s => s === '.' || s === '..' || s === '.git')
  ) {
    throw new Error(
      `${KEY}.repository '${repository}' must be a repository path relative to the Git provider's base, e.g. platform/gitops`,
    );
  }
  const branch =
    gitops.getOptionalString('branch') ??
    config.getOptionalString('provisionhub.git.defaultBranch') ??
    'main';
  if (!BRANCH.test(branch) || /\.\.|^-|\.lock$|\/\//.test(branch)) {
    throw new Error(`${KEY}.branch '${branch}' is not a usable branch name`);
  }
  const argocdNamespace =
    gitops.getOptionalString('argocdNamespace') ?? 'argocd';
  if (!NAME.test(argocdNamespace)) {
    throw new Error(
      `${KEY}.argocdNamespace '${argocdNamespace}' is not a Kubernetes namespace name`,
    );
  }
  return { repository, branch, argocdNamespace };
}

/**
 * What a run writes to the GitOps repository, resolved when it is requested (the run keeps it,
 * so a retry writes the same even when the configuration changed since).
 * @internal
 */
export class GitopsDeployments {
  readonly #gitops?: GitopsConfig;
  readonly #environments: EnvironmentDefinition[];

  constructor(options: {
    gitops?: GitopsConfig;
    environments: EnvironmentDefinition[];
  }) {
    this.#gitops = options.gitops;
    this.#environments = options.environments;
  }

  /** Whether runs deploy through a GitOps repository at all. */
  get enabled(): boolean {
    return this.#gitops !== undefined && this.#environments.length > 0;
  }

  /** The deployment of a new system or component; undefined without GitOps. */
  forEntity(entity: {
    kind: CreateRunKind;
    name: string;
    system?: string;
  }): JobDeployment | undefined {
    const gitops = this.#gitops;
    if (!gitops || this.#environments.length === 0) {
      return undefined;
    }
    const system = entity.kind === 'system' ? entity.name : entity.system!;
    const component = entity.kind === 'system' ? '' : entity.name;
    return {
      repository: gitops.repository,
      branch: gitops.branch,
      argocdNamespace: gitops.argocdNamespace,
      path:
        entity.kind === 'system'
          ? gitopsLayout.systemPath(system)
          : gitopsLayout.componentPath(system, component),
      environments: this.#environments.map(e => {
        const names = { system, component, environment: e.name };
        return {
          name: e.name,
          namespace: resolveNamespace(e.destination.namespace, names),
          server: e.destination.server,
          argocdProject: resolveNamespace(e.argocdProject, names),
          automatic: e.automatic,
        };
      }),
    };
  }

  /** The deployment of a promotion of a component. */
  forPromotion(
    component: { name: string; system: string },
    promote: RunPromotion,
  ): JobDeployment | undefined {
    const deployment = this.forEntity({ kind: 'component', ...component });
    return deployment && { ...deployment, promote };
  }
}
