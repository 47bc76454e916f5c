import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { PolicyEngine, PolicyFacts } from './PolicyEngine';
import { readPolicyConfig } from './readPolicyConfig';

/** The example rules of the dev portal (app-config.yaml at the repository root). */
function devPortalEngine() {
  const config = yaml.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../../app-config.yaml'),
      'utf8',
    ),
  );
  return new PolicyEngine(readPolicyConfig(new ConfigReader(config)));
}

const guest: PolicyFacts['requester'] = {
  ref: 'user:default/guest',
  groups: ['group:default/payments-team', 'group:default/platform-team'],
  isAdmin: false,
};

const component = (overrides: Partial<PolicyFacts>): PolicyFacts => ({
  kind: 'component',
  blueprint: { name: 'node-backend', type: 'backend', version: '1.1.0' },
  owner: 'group:default/payments-team',
  system: 'payments',
  systemOwner: 'group:default/payments-team',
  values: { replicas: 2 },
  requester: guest,
  ...overrides,
});

describe("the dev portal's policy rules", () => {
  const engine = devPortalEngine();

  it('hold databases for one approval of the platform team, for 7 days', () => {
    expect(
      engine.evaluate(
        component({
          blueprint: {
            name: 'postgres-database',
            type: 'database',
            version: '1.0.0',
          },
          values: {},
        }),
      ),
    ).toMatchObject({
      decision: 'require-approval',
      rules: [{ id: 'databases-need-platform-approval' }],
      approvers: {
        groups: ['group:default/platform-team'],
        count: 1,
        requirements: [{ expiresAfterMs: 7 * 24 * 3600 * 1000 }],
      },
    });
  });

  it('want two approvals for production', () => {
    expect(
      engine.evaluate(component({ environment: 'production' })),
    ).toMatchObject({
      decision: 'require-approval',
      approvers: { groups: ['group:default/platform-team'], count: 2 },
    });
  });

  it('deny more than 10 replicas with the reason', () => {
    expect(
      engine.evaluate(component({ values: { replicas: 12 } })),
    ).toMatchObject({
      decision: 'deny',
      rules: [
        {
          id: 'capacity-review',
          reason:
            'more than 10 replicas need a capacity review with the platform team first',
        },
      ],
    });
  });

  it('allow an ordinary service', () => {
    expect(engine.evaluate(component({}))).toEqual({
      decision: 'allow',
      rules: [],
    });
  });
});
