import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TIMEOUT_MINUTES,
} from '../lib/defaults';
import { followRun } from '../lib/followRun';
import { outputRunResult } from '../lib/outputRunResult';
import { examples } from './runWait.examples';
import { runResultOutput, waitInput } from './runRequestSchema';
import type { ProvisionHubActionsOptions } from '../lib/types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `provisionhub:run:wait`: follows a run until it ends, streaming its steps and logs into the
 * task log. Cancelling the task cancels the run.
 * @public
 */
export function createRunWaitAction(options: ProvisionHubActionsOptions) {
  return createTemplateAction({
    id: 'provisionhub:run:wait',
    description:
      "Follows a ProvisionHub run until it ends, writing the worker's step changes and log lines into the task log. Fails with the reason when the run fails or is rejected; cancelling the task cancels the run.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        runId: z =>
          z
            .string()
            .describe(
              'Identifier (a UUID) of the run to follow, e.g. the runId output of provisionhub:component:create.',
            ),
        ...waitInput,
      },
      output: {
        ...runResultOutput,
        status: z => z.string().describe('Final status of the run: succeeded.'),
      },
    },
    handler: async ctx => {
      if (ctx.isDryRun) {
        // In a dry run the create step publishes nothing, so there is no run to follow.
        ctx.logger.info(
          `Dry run: would follow run ${
            ctx.input.runId || '(requested by an earlier step)'
          }`,
        );
        return;
      }
      if (!UUID.test(ctx.input.runId)) {
        throw new InputError(
          `Invalid input: /runId must be the UUID of a run, got ${JSON.stringify(
            ctx.input.runId,
          )}`,
        );
      }
      const runUrl = options.runPageUrl(ctx.input.runId);
      const run = await followRun({
        // As the initiator: the control plane checks their provisionhub.run.read.
        api: options.apiFor(await ctx.getInitiatorCredentials()),
        runId: ctx.input.runId,
        runUrl,
        logger: ctx.logger,
        signal: ctx.signal,
        timeoutMinutes: ctx.input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
        pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      });
      ctx.output('runId', run.id);
      ctx.output('runUrl', runUrl);
      outputRunResult(ctx, run);
    },
  });
}
