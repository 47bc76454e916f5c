import { CORE_STEPS } from '@provisionhub/plugin-provisionhub-common';
import {
  APP_BASE_URL,
  createTestContext,
  exampleInput,
  useActionsHarness,
} from '../__testUtils__/useActionsHarness';
import { examples } from './runWait.examples';
import { createRunWaitAction } from './runWait';

describe('provisionhub:run:wait examples', () => {
  const harness = useActionsHarness();

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      const input = exampleInput(example);
      const runId = input.runId as string;
      // The control plane accepted this run earlier (from another step or another task).
      harness.api.accept({
        kind: 'run.requested',
        version: 1,
        runId,
        requestedBy: 'user:default/alice',
        requestedAt: new Date().toISOString(),
        request: {
          kind: 'component',
          name: 'payments-api',
          owner: 'group:default/payments-team',
          system: 'payments',
          blueprint: 'node-backend',
          version: '1.1.0',
          values: { description: 'Takes payments' },
        },
      });
      const { ctx, logger, outputs } = createTestContext(input);

      await createRunWaitAction(harness.options).handler(ctx);

      expect(outputs()).toEqual({
        runId,
        runUrl: `${APP_BASE_URL}/provisionhub/runs/${runId}`,
        status: 'succeeded',
        repoUrl: 'file:///srv/git/payments/payments-api.git',
        entityRef: 'component:default/payments-api',
      });
      const messages = logger.messages();
      for (const step of CORE_STEPS) {
        expect(messages).toContain(`Step "${step.title}" (${step.id}) started`);
        expect(messages).toContain(
          `[${step.id}] working on ${step.title.toLocaleLowerCase('en-US')}`,
        );
        expect(messages).toContain(
          `Step "${step.title}" (${step.id}) succeeded in 5 ms`,
        );
      }
      // Nothing is published by waiting.
      expect(await harness.queuedRequests()).toBe(0);
    },
  );
});
