import { validateObject } from './validateObject';

describe('validateObject', () => {
  it('accepts a valid object', () => {
    expect(() =>
      validateObject({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'workers' },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'w' } } },
      }),
    ).not.toThrow();
  });

  it('names the object and the schema violation', () => {
    expect(() =>
      validateObject({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'workers' },
        spec: {
          scaleTargetRef: { name: 'w' },
          minReplicaCount: 'one',
          triggers: [],
        },
      }),
    ).toThrow(/^ScaledObject workers is invalid: .*minReplicaCount/);
    expect(() =>
      validateObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'workers' },
        spec: { template: {} },
      }),
    ).toThrow(/^Deployment workers is invalid: .*selector/);
  });

  describe('Argo CD objects', () => {
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'checkout-api-staging', namespace: 'argocd' },
      spec: {
        project: 'payments',
        source: {
          repoURL: 'https://git.example.com/platform/gitops.git',
          targetRevision: 'main',
          path: 'payments/checkout-api/overlays/staging',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'payments-staging',
        },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    };
    const project = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'payments', namespace: 'argocd' },
      spec: {
        sourceRepos: ['https://git.example.com/platform/gitops.git'],
        destinations: [
          {
            server: 'https://kubernetes.default.svc',
            namespace: 'payments-*',
          },
        ],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    };

    it('accepts a valid Application and AppProject', () => {
      expect(() => validateObject(application)).not.toThrow();
      expect(() => validateObject(project)).not.toThrow();
    });

    it('names the Application and what is wrong with it', () => {
      const { project: name, source } = application.spec;
      expect(() =>
        validateObject({ ...application, spec: { project: name, source } }),
      ).toThrow(/^Application checkout-api-staging is invalid: .*destination/);
      expect(() =>
        validateObject({
          ...application,
          spec: {
            ...application.spec,
            syncPolicy: { automated: { prune: 'yes' } },
          },
        }),
      ).toThrow(/^Application checkout-api-staging is invalid: .*prune/);
    });

    it('names the AppProject and what is wrong with it', () => {
      expect(() =>
        validateObject({
          ...project,
          spec: { ...project.spec, sourceRepos: 'https://git.example.com' },
        }),
      ).toThrow(/^AppProject payments is invalid: .*sourceRepos/);
      expect(() =>
        validateObject({
          ...project,
          spec: {
            ...project.spec,
            clusterResourceWhitelist: [{ group: '' }],
          },
        }),
      ).toThrow(/^AppProject payments is invalid: .*kind/);
    });
  });

  it('refuses a kind it has no schema for', () => {
    expect(() =>
      validateObject({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
      }),
    ).toThrow(
      'Widget w: no schema for example.com/v1 Widget; add its model to MODELS in validateObject.ts',
    );
  });
});
