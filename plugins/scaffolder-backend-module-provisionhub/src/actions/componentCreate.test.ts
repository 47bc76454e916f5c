import { mockCredentials } from '@backstage/backend-test-utils';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  createTestContext,
  useActionsHarness,
} from '../__testUtils__/useActionsHarness';
import { createComponentCreateAction } from './componentCreate';
import { createSystemCreateAction } from './systemCreate';

const valid = {
  name: 'payments-api',
  owner: 'group:default/payments-team',
  system: 'system:default/payments',
  blueprint: 'node-backend',
  values: { description: 'Takes payments' },
};

describe('provisionhub:component:create', () => {
  const harness = useActionsHarness();

  describe('rejects invalid input before publishing anything', () => {
    it.each<[string, JsonObject, string]>([
      [
        'a name with capitals and underscores',
        { ...valid, name: 'Payments_API' },
        `/name may only contain lowercase letters, digits and hyphens; 'P' is not allowed`,
      ],
      [
        'a name ending with a hyphen',
        { ...valid, name: 'payments-' },
        '/name must not end with a hyphen',
      ],
      [
        'an owner that is not a group or user',
        { ...valid, owner: 'component:default/payments' },
        '/owner must be a group or a user, not an entity of kind component ("component:default/payments")',
      ],
      [
        'no system',
        { ...valid, system: '' },
        '/system is required: every component belongs to a system',
      ],
      [
        'a system ref of another kind',
        { ...valid, system: 'group:default/payments' },
        '/system must be a system, got "group:default/payments" (kind group)',
      ],
      [
        'an unknown blueprint',
        { ...valid, blueprint: 'nod-backend' },
        "/blueprint 'nod-backend' is not a known blueprint; available: node-backend",
      ],
      [
        'an unknown version',
        { ...valid, version: '9.9.9' },
        "/version node-backend has no version '9.9.9'; available: 1.1.0, 1.0.0",
      ],
      [
        'contradicting versions',
        { ...valid, blueprint: 'node-backend@1.0.0', version: '1.1.0' },
        '/version "1.1.0" contradicts the version in blueprint "node-backend@1.0.0"; give it once',
      ],
      [
        'a system blueprint',
        { ...valid, blueprint: 'system' },
        "/blueprint 'system' creates systems; use provisionhub:system:create or a component blueprint",
      ],
      [
        'values missing a required field',
        { ...valid, values: {} },
        '/values/description is required (blueprint node-backend@1.1.0)',
      ],
      [
        'values breaking a rule of the schema',
        { ...valid, values: { description: 'x', port: 80 } },
        '/values/port must be >= 1024 (blueprint node-backend@1.1.0)',
      ],
      [
        'values the pinned version does not know',
        {
          ...valid,
          version: '1.0.0',
          values: { description: 'x', port: 8080 },
        },
        '/values/port is not a known field (blueprint node-backend@1.0.0)',
      ],
    ])('%s', async (_, input, message) => {
      const { ctx, outputs } = createTestContext(input);

      const failure = createComponentCreateAction(harness.options).handler(ctx);

      await expect(failure).rejects.toMatchObject({ name: 'InputError' });
      await expect(failure).rejects.toThrow(
        `Invalid component request: ${message}`,
      );
      expect(await harness.queuedRequests()).toBe(0);
      expect(outputs()).toEqual({});
    });

    it('names every wrong field at once', async () => {
      const { ctx } = createTestContext({
        ...valid,
        name: 'x',
        owner: 'api:default/x',
        values: { description: '' },
      });

      await expect(
        createComponentCreateAction(harness.options).handler(ctx),
      ).rejects.toThrow(
        'Invalid component request: /name must be at least 2 characters long; ' +
          '/owner must be a group or a user, not an entity of kind api ("api:default/x"); ' +
          '/values/description must NOT have fewer than 1 characters (blueprint node-backend@1.1.0)',
      );
      expect(await harness.queuedRequests()).toBe(0);
    });

    it('refuses a component blueprint for a system', async () => {
      const { ctx } = createTestContext({
        ...valid,
        name: 'payments',
        system: undefined as any,
      });

      await expect(
        createSystemCreateAction(harness.options).handler(ctx),
      ).rejects.toThrow(
        "Invalid system request: /blueprint 'node-backend' creates components (type backend); a system needs a blueprint of type system",
      );
      expect(await harness.queuedRequests()).toBe(0);
    });
  });

  it('reports an unreachable control plane as such, not as bad input', async () => {
    harness.api.getBlueprint = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    };
    const { ctx } = createTestContext(valid);

    const failure = createComponentCreateAction(harness.options).handler(ctx);

    await expect(failure).rejects.toThrow(
      "Could not look up blueprint 'node-backend' in ProvisionHub: connect ECONNREFUSED 127.0.0.1:7007",
    );
    await expect(failure).rejects.not.toMatchObject({ name: 'InputError' });
    expect(await harness.queuedRequests()).toBe(0);
  });

  it('lists the files of a dry run and publishes nothing', async () => {
    const { ctx, logger, outputs } = createTestContext(valid, {
      isDryRun: true,
    });

    await createComponentCreateAction(harness.options).handler(ctx);

    expect(outputs()).toEqual({
      repositoryPath: 'payments/payments-api',
      files: ['README.md', 'catalog-info.yaml', 'scripts/start.sh'],
    });
    expect(logger.messages()).toEqual(
      expect.arrayContaining([
        `Dry run: blueprint node-backend@1.1.0 (sha256:${'0'.repeat(
          64,
        )}) would create repository payments/payments-api with 3 file(s); nothing was published`,
        '  README.md (120 bytes)',
        '  scripts/start.sh (40 bytes, executable)',
      ]),
    );
    expect(harness.api.calls).toContain('dryRun payments-api');
    expect(await harness.queuedRequests()).toBe(0);
  });

  it('still validates in a dry run', async () => {
    const { ctx } = createTestContext(
      { ...valid, values: {} },
      { isDryRun: true },
    );

    await expect(
      createComponentCreateAction(harness.options).handler(ctx),
    ).rejects.toThrow('/values/description is required');
    expect(harness.api.calls).not.toContain('dryRun payments-api');
  });

  describe('acts as the person who started the task', () => {
    it('asks the control plane with the initiator credentials, never its own', async () => {
      const initiator = mockCredentials.user('user:default/alice');
      const { ctx } = createTestContext(valid, {
        getInitiatorCredentials: async () => initiator,
      });

      await createComponentCreateAction(harness.options).handler(ctx);

      expect(harness.api.callers).toEqual([initiator]);
      expect(harness.permissions.askedBy).toEqual([initiator]);
    });

    it('fails without provisionhub.run.create and publishes nothing', async () => {
      harness.permissions.allowed.set('provisionhub.run.create', false);
      const { ctx } = createTestContext(valid);

      await expect(
        createComponentCreateAction(harness.options).handler(ctx),
      ).rejects.toThrow(
        'user:default/alice lacks the permission provisionhub.run.create',
      );
      expect(await harness.queuedRequests()).toBe(0);
    });

    it('tells the control plane when the initiator holds provisionhub.admin', async () => {
      harness.permissions.allowed.set('provisionhub.admin', true);
      await createComponentCreateAction(harness.options).handler(
        createTestContext(valid).ctx,
      );
      harness.permissions.allowed.set('provisionhub.admin', false);
      await createComponentCreateAction(harness.options).handler(
        createTestContext({ ...valid, name: 'payments-ui' }).ctx,
      );

      expect(
        (await published()).map(m => [m.request.name, m.requesterIsAdmin]),
      ).toEqual([
        ['payments-api', true],
        ['payments-ui', undefined],
      ]);
    });

    it('fails the step with the reason when the control plane rejects the request', async () => {
      harness.api.outcome = {
        type: 'reject',
        reason:
          'policy denies this request: denied because rule no-friday: not on Fridays',
      };
      const { ctx, outputs } = createTestContext(valid);

      await expect(
        createComponentCreateAction(harness.options).handler(ctx),
      ).rejects.toThrow(
        /^Run [0-9a-f-]{36} was rejected: policy denies this request: denied because rule no-friday: not on Fridays\. Details: /,
      );
      expect(outputs().runId).toBeDefined();
    });

    it('shows the policy decision in a dry run', async () => {
      harness.api.dryRunPolicy = {
        decision: 'require-approval',
        rules: [
          {
            id: 'big-services',
            description: 'Big services',
            effect: 'require-approval',
            reason: 'more than 4 replicas',
          },
        ],
        approvers: {
          groups: ['group:default/platform-team'],
          count: 2,
          requirements: [
            {
              rule: 'big-services',
              groups: ['group:default/platform-team'],
              count: 2,
            },
          ],
        },
      };
      const { ctx, logger } = createTestContext(valid, { isDryRun: true });

      await createComponentCreateAction(harness.options).handler(ctx);

      expect(logger.messages()).toContain(
        'Policy: needs 2 approvals from group:default/platform-team because rule big-services: more than 4 replicas',
      );
    });
  });

  /** Every request published: those the fake control plane took, then those still queued. */
  async function published() {
    return [...harness.api.accepted, ...(await harness.takeRequests())];
  }

  describe('when the scaffolder retries or recovers the task', () => {
    /** Checkpoints as the scaffolder stores them: a saved value is returned instead of running fn. */
    function checkpointStore(
      options: { lose?: (key: string) => boolean } = {},
    ) {
      const saved = new Map<string, JsonValue>();
      return async function checkpoint<T extends JsonValue | void>(opts: {
        key: string;
        fn: () => Promise<T> | T;
      }): Promise<T> {
        if (saved.has(opts.key)) {
          return saved.get(opts.key) as T;
        }
        const value = await opts.fn();
        if (!options.lose?.(opts.key)) {
          saved.set(opts.key, (value ?? {}) as JsonValue);
        }
        return value;
      };
    }

    it('does not publish a second request once the first was confirmed', async () => {
      const checkpoint = checkpointStore();
      const first = createTestContext(valid, { checkpoint });
      const second = createTestContext(valid, { checkpoint });

      await createComponentCreateAction(harness.options).handler(first.ctx);
      await createComponentCreateAction(harness.options).handler(second.ctx);

      const requests = await published();
      expect(requests).toHaveLength(1);
      expect(second.outputs().runId).toBe(first.outputs().runId);
      expect(requests[0].runId).toBe(first.outputs().runId);
    });

    it('republishes the same run id when the task died before saving the publish', async () => {
      // The process died after the broker confirmed, before the checkpoint was stored.
      const checkpoint = checkpointStore({
        lose: key => key.startsWith('provisionhub.run-requested'),
      });

      await createComponentCreateAction(harness.options).handler(
        createTestContext(valid, { checkpoint }).ctx,
      );
      await createComponentCreateAction(harness.options).handler(
        createTestContext(valid, { checkpoint }).ctx,
      );

      const requests = await published();
      expect(requests).toHaveLength(2);
      // Same id and body: the control plane treats the second as a duplicate delivery.
      expect(requests[1]).toEqual(requests[0]);
    });

    it('keeps one run per iteration of a step with each', async () => {
      const checkpoint = checkpointStore();
      const names = ['payments-api', 'payments-ui'];

      for (const [key, name] of names.entries()) {
        const { ctx } = createTestContext(
          { ...valid, name },
          { checkpoint, each: { key: String(key), value: name } },
        );
        await createComponentCreateAction(harness.options).handler(ctx);
      }

      const requests = await published();
      expect(requests.map(m => m.request.name)).toEqual(names);
      expect(new Set(requests.map(m => m.runId)).size).toBe(2);
    });
  });

  describe('records who asked', () => {
    it('uses the initiator credentials when the task has no user', async () => {
      const { ctx } = createTestContext(valid, {
        user: undefined,
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/bob'),
      });

      await createComponentCreateAction(harness.options).handler(ctx);

      const [message] = await published();
      expect(message.requestedBy).toBe('user:default/bob');
    });

    it('uses the service subject when a service started the task', async () => {
      const { ctx } = createTestContext(valid, {
        user: undefined,
        getInitiatorCredentials: async () =>
          mockCredentials.service('external:ci-bot'),
      });

      await createComponentCreateAction(harness.options).handler(ctx);

      const [message] = await published();
      expect(message.requestedBy).toBe('external:ci-bot');
    });

    it('refuses to publish for nobody', async () => {
      const { ctx } = createTestContext(valid, {
        user: undefined,
        getInitiatorCredentials: async () => mockCredentials.none(),
      });

      await expect(
        createComponentCreateAction(harness.options).handler(ctx),
      ).rejects.toThrow('Cannot tell who started this task');
      expect(await harness.queuedRequests()).toBe(0);
    });
  });
});
