import type { DeployEnvironment } from '@provisionhub/plugin-provisionhub-common';
import { stringify } from 'yaml';

/** What an Argo CD Application of a component (or a system's namespaces) points at. */
export interface ApplicationSource {
  name: string;
  /** Labels that say what it deploys, e.g. the system and component. */
  labels: Record<string, string>;
  /** The GitOps repository as Argo CD clones it, the branch, and the overlay's folder. */
  repoURL: string;
  targetRevision: string;
  path: string;
  /** The namespace Argo CD runs in. */
  argocdNamespace: string;
  environment: DeployEnvironment;
}

/**
 * The Argo CD `Application` of one environment: automatic environments sync themselves (with
 * prune and self-heal), the others wait for someone to sync them.
 */
export function applicationManifest(source: ApplicationSource): string {
  const { environment } = source;
  return stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: source.name,
      namespace: source.argocdNamespace,
      labels: {
        ...source.labels,
        'provisionhub.io/environment': environment.name,
      },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: environment.argocdProject,
      source: {
        repoURL: source.repoURL,
        targetRevision: source.targetRevision,
        path: source.path,
      },
      destination: {
        server: environment.server,
        namespace: environment.namespace,
      },
      syncPolicy: environment.automatic
        ? { automated: { prune: true, selfHeal: true } }
        : {},
    },
  });
}

/**
 * The Argo CD `AppProject` of a system: its Applications may deploy from the GitOps repository
 * to the namespaces of its environments, and create those namespaces.
 */
export function appProjectManifest(options: {
  name: string;
  description: string;
  repoURL: string;
  argocdNamespace: string;
  environments: DeployEnvironment[];
}): string {
  return stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: options.name,
      namespace: options.argocdNamespace,
      labels: { 'app.kubernetes.io/part-of': options.name },
    },
    spec: {
      description: options.description,
      sourceRepos: [options.repoURL],
      destinations: options.environments.map(e => ({
        server: e.server,
        namespace: e.namespace,
      })),
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    },
  });
}
