/**
 * One deployment environment of the portal (`provisionhub.environments`), in promotion order.
 * @public
 */
export interface EnvironmentDefinition {
  /** Resource name, e.g. `production`; what runs and policy rules name. */
  name: string;
  /** Shown to people; the name when absent. */
  title: string;
  /** The Kubernetes cluster the environment deploys to. */
  cluster?: string;
  /** Where Argo CD deploys it. */
  destination: {
    /** The Kubernetes API server as Argo CD knows it. */
    server: string;
    /** Namespace pattern; `${system}`, `${component}` and `${environment}` are replaced. */
    namespace: string;
  };
  /** The Argo CD project its applications belong to; a pattern like `destination.namespace`. */
  argocdProject: string;
  /** Changes reach it without a promotion. */
  automatic: boolean;
}

/** The placeholders a namespace pattern may use. @public */
export const ENVIRONMENT_NAMESPACE_PLACEHOLDERS = [
  'system',
  'component',
  'environment',
] as const;

/**
 * The blueprint step type that deploys through the portal's GitOps repository (built into the
 * worker). A promotion needs the component's blueprint version to have one.
 * @public
 */
export const DEPLOY_STEP_TYPE = 'deploy';

/**
 * What the names of the GitOps contracts look like, as regular expression sources: the job
 * schema checks messages with them and the control plane checks its configuration and requests.
 * @public
 */
export const GITOPS_PATTERNS = {
  /** A Kubernetes name (RFC 1123 label): environments, namespaces, Argo CD projects. */
  kubernetesName: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  /** A relative repository path or folder (never `.`, `..` or `.git` segments: checked apart). */
  relativePath: '^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$',
  /** An image tag, as docker accepts it. */
  imageTag: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
  /** A branch name (no `..`, `//`, leading `-` or `.lock` ending: checked apart). */
  branch: '^[A-Za-z0-9._/-]+$',
} as const;

/** The values a namespace pattern's placeholders take. @public */
export type NamespacePlaceholders = Record<
  (typeof ENVIRONMENT_NAMESPACE_PLACEHOLDERS)[number],
  string
>;

/**
 * The namespace an environment's pattern gives, e.g. `${system}-${environment}` for system
 * `payments` and environment `staging` → `payments-staging`.
 * @public
 */
export function resolveNamespace(
  pattern: string,
  names: NamespacePlaceholders,
): string {
  return pattern.replace(
    /\$\{(system|component|environment)\}/g,
    (_, key: keyof NamespacePlaceholders) => names[key],
  );
}

/**
 * Where a component lives in the GitOps repository: `<system>/<component>`, with `base/`,
 * `overlays/<environment>/` and `argocd/<environment>.yaml` (its Argo CD Application) in it.
 * @public
 */
export const gitopsLayout = {
  componentPath: (system: string, component: string) =>
    `${system}/${component}`,
  overlayPath: (componentPath: string, environment: string) =>
    `${componentPath}/overlays/${environment}`,
  applicationPath: (componentPath: string, environment: string) =>
    `${componentPath}/argocd/${environment}.yaml`,
  /** The folder of a system's own objects (Argo CD AppProject, namespaces). */
  systemPath: (system: string) => `${system}/_system`,
  /** The Argo CD Application of a component in an environment. */
  applicationName: (component: string, environment: string) =>
    `${component}-${environment}`,
} as const;

/**
 * An environment as a job carries it: resolved for the run's system and component.
 * @public
 */
export interface DeployEnvironment {
  name: string;
  /** The namespace, its pattern resolved. */
  namespace: string;
  server: string;
  argocdProject: string;
  automatic: boolean;
}

/**
 * What a job deploys through the GitOps repository (`provisionhub.gitops`): present on
 * component jobs when the portal configures a GitOps repository and environments, and on
 * `promote` jobs.
 * @public
 */
export interface JobDeployment {
  /** The GitOps repository, relative to the provider base, e.g. `platform/gitops`. */
  repository: string;
  /** The branch Argo CD follows. */
  branch: string;
  /** The namespace Argo CD runs in, where its Application objects live. */
  argocdNamespace: string;
  /** The component's (or, for a system, the system's) folder; see {@link gitopsLayout}. */
  path: string;
  /** Every environment of the portal, in promotion order. */
  environments: DeployEnvironment[];
  /** Promotion jobs: the only environment written, and the version it gets. */
  promote?: RunPromotion;
}

/**
 * What one run wrote for one environment, reported in the run's outputs.
 * @public
 */
export interface DeploymentOutput {
  environment: string;
  /** The image tag the overlay deploys (the component repository's short commit id). */
  version: string;
  /** The overlay's folder in the GitOps repository. */
  path: string;
  /** The GitOps repository commit that holds it. */
  commit: string;
  /**
   * `committed`: on the branch Argo CD follows. `proposed`: on `branch`, waiting for review
   * (environments that are not `automatic`).
   */
  state: 'committed' | 'proposed';
  /** Proposed deployments: the branch, and its merge request where the Git host has them. */
  branch?: string;
  mergeRequestUrl?: string;
}

/**
 * The body of `POST /components/{name}/promote`.
 * @public
 */
export interface PromoteComponentRequest {
  /** The environment whose version is promoted. */
  from: string;
  /** The environment that gets it; only its overlay changes. */
  to: string;
  /** The image tag to deploy; the version `from` runs when absent. */
  version?: string;
}

/**
 * What a `promote` run deploys where.
 * @public
 */
export interface RunPromotion {
  from: string;
  to: string;
  version: string;
}

/**
 * What Argo CD says about an environment's Application (`provisionhub.argocd`).
 * @public
 */
export interface ArgoCdApplicationStatus {
  application: string;
  /** `Synced`, `OutOfSync` or `Unknown`. */
  sync?: string;
  /** `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing` or `Unknown`. */
  health?: string;
  /** The GitOps commit Argo CD synced last. */
  revision?: string;
  /** Why Argo CD could not be asked (unreachable, no such application, …). */
  error?: string;
}

/**
 * What runs where: one row of `environments` on `GET /components/{name}`.
 * @public
 */
export interface ComponentEnvironment {
  name: string;
  title: string;
  /** The image tag deployed (or proposed); absent when never deployed. */
  version?: string;
  /** The overlay's folder in the GitOps repository. */
  gitopsPath: string;
  /**
   * `not-deployed`: no run wrote it yet. `committed`: the GitOps branch has it. `proposed`:
   * waiting on a branch or merge request. With `provisionhub.argocd`, `argocd` adds what
   * Argo CD reports.
   */
  status: 'not-deployed' | 'committed' | 'proposed';
  /** The run that wrote it last. */
  runId?: string;
  updatedAt?: string;
  branch?: string;
  mergeRequestUrl?: string;
  /** A newer version proposed on a branch while `version` is committed. */
  proposal?: {
    version: string;
    runId: string;
    branch?: string;
    mergeRequestUrl?: string;
  };
  argocd?: ArgoCdApplicationStatus;
}
