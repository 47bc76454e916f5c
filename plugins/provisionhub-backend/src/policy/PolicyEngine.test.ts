import { ConfigReader } from '@backstage/config';
import { PolicyEngine, PolicyFacts } from './PolicyEngine';
import { readPolicyConfig } from './readPolicyConfig';

function engine(policy: object) {
  return new PolicyEngine(
    readPolicyConfig(new ConfigReader({ provisionhub: { policy } })),
  );
}

const facts: PolicyFacts = {
  kind: 'component',
  blueprint: { name: 'postgres-database', type: 'database', version: '2.1.0' },
  owner: 'group:default/payments',
  system: 'shop',
  environment: 'production',
  values: { storageGb: 150, tier: 'gold', nested: { replicas: 5 } },
  requester: {
    ref: 'user:default/grace',
    groups: ['group:default/payments'],
    isAdmin: false,
  },
  systemOwner: 'group:default/payments',
};

const rule = (id: string, when: object, effect = 'allow', extra = {}) => ({
  id,
  description: `rule ${id}`,
  when,
  effect,
  ...extra,
});

describe('PolicyEngine', () => {
  it('allows when nothing matches, or denies with default: deny', () => {
    expect(engine({}).evaluate(facts)).toEqual({
      decision: 'allow',
      rules: [],
    });
    expect(engine({ default: 'deny' }).evaluate(facts)).toMatchObject({
      decision: 'deny',
      rules: [{ id: 'provisionhub:default', effect: 'deny' }],
    });
  });

  it('matches every kind of condition, all of them together', () => {
    const matching = {
      kind: 'component',
      blueprint: {
        name: ['mysql', 'postgres-database'],
        type: 'database',
        version: '>=2.0.0 <3',
      },
      owner: 'payments',
      system: ['shop'],
      environment: 'production',
      requesterGroups: ['group:default/payments'],
      values: [
        'values.storageGb > 100',
        'values.tier == "gold"',
        'values.nested.replicas >= 5',
      ],
    };
    expect(
      engine({ rules: [rule('all', matching)] }).evaluate(facts).rules,
    ).toHaveLength(1);
    const misses: object[] = [
      { kind: 'system' },
      { blueprint: { name: 'mysql' } },
      { blueprint: { type: 'backend' } },
      { blueprint: { version: '<2' } },
      { owner: 'group:default/web' },
      { system: 'other' },
      { environment: 'staging' },
      { requesterGroups: 'group:default/web' },
      { values: 'values.storageGb > 150' },
      { values: 'values.storageGb < 150' },
      { values: 'values.tier != "gold"' },
      { values: 'values.missing == 1' },
      { values: 'values.tier > 1' },
    ];
    for (const when of misses) {
      expect([
        when,
        engine({ rules: [rule('x', when)] }).evaluate(facts).rules,
      ]).toEqual([when, []]);
    }
  });

  it('lets deny win over require-approval over allow, listing every rule that fired', () => {
    const decision = engine({
      rules: [
        rule('ok', {}),
        rule('big', { values: 'values.storageGb > 100' }, 'require-approval', {
          approval: {
            groups: ['group:default/dba'],
            count: 2,
            expiresAfter: '2d',
          },
          reason: 'storage over 100 GB',
        }),
        rule('prod', { environment: 'production' }, 'require-approval'),
      ],
    }).evaluate(facts);
    expect(decision).toEqual({
      decision: 'require-approval',
      rules: [
        {
          id: 'ok',
          description: 'rule ok',
          effect: 'allow',
          reason: 'rule ok',
        },
        {
          id: 'big',
          description: 'rule big',
          effect: 'require-approval',
          reason: 'storage over 100 GB',
        },
        {
          id: 'prod',
          description: 'rule prod',
          effect: 'require-approval',
          reason: 'rule prod',
        },
      ],
      approvers: {
        groups: ['group:default/dba'],
        count: 2,
        requirements: [
          {
            rule: 'big',
            groups: ['group:default/dba'],
            count: 2,
            expiresAfterMs: 172_800_000,
          },
          { rule: 'prod', groups: [], count: 1 },
        ],
      },
    });
    const denied = engine({
      rules: [rule('big', {}, 'require-approval'), rule('no', {}, 'deny')],
    }).evaluate(facts);
    expect(denied).toMatchObject({ decision: 'deny' });
    expect(denied.approvers).toBeUndefined();
  });

  it('denies owners and systems of other groups unless the requester is an admin', () => {
    const checks = engine({});
    const stranger = {
      ...facts,
      owner: 'group:default/web',
      systemOwner: 'group:default/web',
    };
    expect(checks.evaluate(stranger)).toMatchObject({
      decision: 'deny',
      rules: [
        { id: 'provisionhub:owner-membership' },
        { id: 'provisionhub:system-ownership' },
      ],
    });
    expect(
      checks.evaluate({
        ...stranger,
        requester: { ...facts.requester, isAdmin: true },
      }),
    ).toEqual({ decision: 'allow', rules: [] });
    expect(
      checks.evaluate({ ...facts, owner: 'user:default/Grace' }).decision,
    ).toBe('allow');
    expect(
      engine({ ownership: { enforce: false } }).evaluate(stranger).decision,
    ).toBe('allow');
  });
});

describe('readPolicyConfig', () => {
  it.each<[string, object, string]>([
    [
      'an unknown effect',
      { rules: [rule('a', {}, 'maybe')] },
      "provisionhub.policy.rules[0].effect 'maybe' is not one of allow, require-approval, deny",
    ],
    [
      'a duplicate id',
      { rules: [rule('a', {}), rule('a', {})] },
      "provisionhub.policy.rules[1].id 'a' is used by another rule",
    ],
    [
      'an id with spaces',
      { rules: [rule('a b', {})] },
      "provisionhub.policy.rules[0].id 'a b' must be lowercase",
    ],
    [
      'a misspelt condition',
      { rules: [rule('a', { blueprints: 'x' })] },
      'provisionhub.policy.rules[0].when has unknown key blueprints; expected kind, blueprint, owner',
    ],
    [
      'a bad version range',
      { rules: [rule('a', { blueprint: { version: 'newest' } })] },
      "provisionhub.policy.rules[0].when.blueprint.version: 'newest' is not a semver range",
    ],
    [
      'a value comparison without operator',
      { rules: [rule('a', { values: 'values.size' })] },
      "provisionhub.policy.rules[0].when.values: 'values.size' is not a value comparison",
    ],
    [
      'an unquoted string',
      { rules: [rule('a', { values: 'values.tier == gold' })] },
      "'values.tier == gold': gold is not a JSON value; put strings in double quotes",
    ],
    [
      'a numeric comparison with a string',
      { rules: [rule('a', { values: 'values.tier > "a"' })] },
      '> compares numbers',
    ],
    [
      'approval on a deny rule',
      { rules: [rule('a', {}, 'deny', { approval: { count: 2 } })] },
      'approval only applies to effect require-approval, not deny',
    ],
    [
      'zero approvals',
      {
        rules: [rule('a', {}, 'require-approval', { approval: { count: 0 } })],
      },
      'approval.count must be a whole number of at least 1',
    ],
    [
      'a bad expiry',
      {
        rules: [
          rule('a', {}, 'require-approval', {
            approval: { expiresAfter: 'soon' },
          }),
        ],
      },
      'approval.expiresAfter: Invalid duration',
    ],
    [
      'a bad default',
      { default: 'require-approval' },
      "provisionhub.policy.default 'require-approval' must be allow or deny",
    ],
  ])('refuses %s', (_, policy, message) => {
    expect(() =>
      readPolicyConfig(new ConfigReader({ provisionhub: { policy } })),
    ).toThrow(message);
  });

  it('says what replaced provisionhub.approval', () => {
    expect(() =>
      readPolicyConfig(
        new ConfigReader({ provisionhub: { approval: { blueprints: ['x'] } } }),
      ),
    ).toThrow(
      'provisionhub.approval was replaced by provisionhub.policy.rules',
    );
  });
});
