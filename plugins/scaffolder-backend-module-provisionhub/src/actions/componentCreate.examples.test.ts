import {
  APP_BASE_URL,
  createTestContext,
  exampleInput,
  useActionsHarness,
} from '../__testUtils__/useActionsHarness';
import { examples } from './componentCreate.examples';
import { createComponentCreateAction } from './componentCreate';

describe('provisionhub:component:create examples', () => {
  const harness = useActionsHarness();

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      const input = exampleInput(example);
      const { ctx, logger, outputs } = createTestContext(input);

      await createComponentCreateAction(harness.options).handler(ctx);

      const out = outputs();
      expect(out.runUrl).toBe(`${APP_BASE_URL}/provisionhub/runs/${out.runId}`);
      // Every create step waits until the control plane took its request off the queue.
      const published = harness.api.accepted;
      expect(published).toHaveLength(1);
      const [message] = published;
      expect(message).toMatchObject({
        runId: out.runId,
        requestedBy: 'user:default/alice',
        source: { type: 'scaffolder', id: 'task-1' },
        request: {
          kind: 'component',
          name: 'payments-api',
          owner: 'group:default/payments-team',
          // EntityPicker's system:default/payments and a plain name both become the name.
          system: 'payments',
          blueprint: 'node-backend',
        },
      });
      // The version the values were checked against is pinned, whether or not it was given.
      expect(message.request.version).toBe(input.wait ? '1.0.0' : '1.1.0');
      expect(message.request.values).toEqual(input.values);
      expect(await harness.queuedRequests()).toBe(0);

      const waited = {
        status: 'succeeded',
        repoUrl: 'file:///srv/git/payments/payments-api.git',
        entityRef: 'component:default/payments-api',
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
                'Step "Create repository" (create-repository) started',
                '[create-repository] working on create repository',
                'Step "Report result" (report) succeeded in 5 ms',
              ]
            : [`Queued the request as run ${out.runId}: ${out.runUrl}`],
        ),
      );
    },
  );
});
