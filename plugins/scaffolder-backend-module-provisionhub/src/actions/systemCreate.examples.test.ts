import {
  APP_BASE_URL,
  createTestContext,
  exampleInput,
  useActionsHarness,
} from '../__testUtils__/useActionsHarness';
import { examples } from './systemCreate.examples';
import { createSystemCreateAction } from './systemCreate';

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('provisionhub:system:create examples', () => {
  const harness = useActionsHarness();

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      const input = exampleInput(example);
      const { ctx, logger, outputs } = createTestContext(input);

      await createSystemCreateAction(harness.options).handler(ctx);

      const out = outputs();
      expect(out.runId).toMatch(UUID);
      expect(out.runUrl).toBe(`${APP_BASE_URL}/provisionhub/runs/${out.runId}`);
      // Every create step waits until the control plane took its request off the queue.
      const published = harness.api.accepted;
      expect(published).toEqual([
        {
          kind: 'run.requested',
          version: 1,
          runId: out.runId,
          requestedBy: 'user:default/alice',
          requestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          request: {
            kind: 'system',
            name: 'payments',
            owner: 'group:default/payments-team',
            blueprint: 'system',
            version: '1.0.0',
            values: { description: 'Everything that moves money' },
          },
          source: { type: 'scaffolder', id: 'task-1' },
        },
      ]);
      expect(await harness.queuedRequests()).toBe(0);

      const waited = {
        status: 'succeeded',
        repoUrl: 'file:///srv/git/payments/payments.git',
        entityRef: 'system:default/payments',
      };
      expect(out).toEqual({
        runId: out.runId,
        runUrl: out.runUrl,
        ...(input.wait ? waited : {}),
      });
      expect(logger.messages()).toEqual(
        expect.arrayContaining(
          input.wait
            ? [
                'Step "Render files" (render) started',
                '[render] working on render files',
                'Step "Commit and push" (push) succeeded in 5 ms',
                `Run ${out.runId} succeeded`,
              ]
            : [`Queued the request as run ${out.runId}: ${out.runUrl}`],
        ),
      );
    },
  );
});
