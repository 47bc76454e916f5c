import { makeRunRecord } from '../__testUtils__/runRecords';
import { buildProvisionedEntity } from './buildProvisionedEntity';

describe('buildProvisionedEntity', () => {
  it('writes the facts the control plane owns over the rendered descriptor', () => {
    const run = makeRunRecord({
      name: 'payments-api',
      system: 'payments',
      owner: 'group:default/payments',
    });
    const entity = buildProvisionedEntity(run, {
      repoUrl: 'https://gitlab.example.com/platform/payments/payments-api',
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'renamed-by-template',
          annotations: { 'example.com/team': 'x', broken: 42 },
        },
        spec: {
          owner: 'someone-else',
          type: 'website',
          providesApis: ['payments'],
        },
      },
    });
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        namespace: 'default',
        annotations: {
          'example.com/team': 'x',
          'provisionhub.io/run-id': run.id,
          'provisionhub.io/blueprint': 'node-backend@1.0.0',
          'backstage.io/source-location':
            'url:https://gitlab.example.com/platform/payments/payments-api/',
          'backstage.io/managed-by-location':
            'url:https://gitlab.example.com/platform/payments/payments-api',
          'backstage.io/managed-by-origin-location':
            'url:https://gitlab.example.com/platform/payments/payments-api',
        },
      },
      spec: {
        owner: 'group:default/payments',
        system: 'payments',
        type: 'website',
        lifecycle: 'experimental',
        providesApis: ['payments'],
      },
    });
  });

  it('uses a provisionhub location for repositories that are not http(s), and builds a System from nothing', () => {
    const run = makeRunRecord({
      kind: 'system',
      name: 'payments',
      system: undefined,
    });
    const entity = buildProvisionedEntity(run, {
      repoUrl: 'file:///srv/git/payments/payments.git',
      entity: {},
    });
    expect(entity.kind).toBe('System');
    const component = buildProvisionedEntity(makeRunRecord(), {
      repoUrl: 'file:///srv/git/payments/payments-api.git',
      entity: { spec: {} },
    });
    expect(component.spec?.type).toBe('backend');
    expect(entity.spec).toEqual({ owner: run.owner });
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `provisionhub:run/${run.id}`,
      'backstage.io/managed-by-origin-location': `provisionhub:run/${run.id}`,
      'backstage.io/source-location':
        'url:file:///srv/git/payments/payments.git/',
    });
  });
});
