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
  /** The Argo CD project its applications belong to. */
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
