import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { GitopsDeployments, readGitopsConfig } from './GitopsDeployments';
import { readEnvironments } from './readEnvironments';

const config = (provisionhub: JsonObject) => new ConfigReader({ provisionhub });

describe('readGitopsConfig', () => {
  it('is undefined without provisionhub.gitops, and fills in the defaults', () => {
    expect(readGitopsConfig(config({}))).toBeUndefined();
    expect(
      readGitopsConfig(
        config({
          gitops: { repository: '/platform/gitops/' },
          git: { defaultBranch: 'trunk' },
        }),
      ),
    ).toEqual({
      repository: 'platform/gitops',
      branch: 'trunk',
      argocdNamespace: 'argocd',
    });
  });

  it.each([
    [
      { repository: '../outside' },
      /repository '..\/outside' must be a repository path/,
    ],
    [
      { repository: 'platform/gitops', branch: '-x' },
      /branch '-x' is not a usable branch name/,
    ],
    [
      { repository: 'a', argocdNamespace: 'Argo' },
      /argocdNamespace 'Argo' is not a Kubernetes namespace name/,
    ],
    [
      { branch: 'main' },
      /Missing required config value at 'provisionhub.gitops.repository'/,
    ],
  ])('refuses %j with a message naming the key', (gitops, message) => {
    expect(() => readGitopsConfig(config({ gitops }))).toThrow(message);
  });
});

describe('GitopsDeployments', () => {
  const environments = readEnvironments(
    config({
      environments: [
        { name: 'development', automatic: true },
        {
          name: 'production',
          destination: {
            server: 'https://prod.example.com',
            namespace: '${component}-prod',
          },
          argocd: { project: '${system}-${environment}' },
        },
      ],
    }),
  );
  const gitops = {
    repository: 'platform/gitops',
    branch: 'main',
    argocdNamespace: 'argocd',
  };

  it('resolves every environment for a component, in promotion order', () => {
    const deployments = new GitopsDeployments({ gitops, environments });
    expect(deployments.enabled).toBe(true);
    expect(
      deployments.forEntity({
        kind: 'component',
        name: 'ledger',
        system: 'payments',
      }),
    ).toEqual({
      ...gitops,
      path: 'payments/ledger',
      environments: [
        {
          name: 'development',
          namespace: 'payments-development',
          server: 'https://kubernetes.default.svc',
          argocdProject: 'payments',
          automatic: true,
        },
        {
          name: 'production',
          namespace: 'ledger-prod',
          server: 'https://prod.example.com',
          argocdProject: 'payments-production',
          automatic: false,
        },
      ],
    });
  });

  it('puts a system in its own folder and a promotion in the job', () => {
    const deployments = new GitopsDeployments({ gitops, environments });
    expect(
      deployments.forEntity({ kind: 'system', name: 'payments' })?.path,
    ).toBe('payments/_system');
    const promote = { from: 'development', to: 'production', version: 'abc' };
    expect(
      deployments.forPromotion({ name: 'ledger', system: 'payments' }, promote)
        ?.promote,
    ).toEqual(promote);
  });

  it('deploys nothing without a GitOps repository or without environments', () => {
    for (const options of [{ environments }, { gitops, environments: [] }]) {
      const deployments = new GitopsDeployments(options);
      expect(deployments.enabled).toBe(false);
      expect(
        deployments.forEntity({ kind: 'system', name: 'payments' }),
      ).toBeUndefined();
    }
  });
});
