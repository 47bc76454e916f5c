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
