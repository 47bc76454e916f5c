import {
  RunRequest,
  RunRequestedMessage,
  validateMessage,
} from '@provisionhub/plugin-provisionhub-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { randomUUID } from 'node:crypto';
import type { ProvisionHubActionsOptions } from './types';

/**
 * Publishes `run.requested` once per task step, even when the task is retried or recovered
 * after a crash.
 *
 * The run id is chosen in a checkpoint of its own, before publishing. A recovered task
 * therefore either skips the publish (its checkpoint was saved) or repeats it with the same
 * run id, which the control plane treats as a duplicate delivery. Choosing the id inside the
 * publish checkpoint would give a task that crashed between the broker's confirm and the
 * checkpoint's save a second, different run.
 */
export async function publishRunRequest(
  ctx: ActionContext<any, any>,
  broker: ProvisionHubActionsOptions['broker'],
  request: RunRequest,
  requester: { requestedBy: string; requesterIsAdmin: boolean },
): Promise<string> {
  const suffix = ctx.each ? `.${ctx.each.key}` : '';
  const { runId, requestedAt } = await ctx.checkpoint({
    key: `provisionhub.run-id${suffix}`,
    fn: async () => ({
      runId: randomUUID(),
      requestedAt: new Date().toISOString(),
    }),
  });
  const message: RunRequestedMessage = {
    kind: 'run.requested',
    version: 1,
    runId,
    requestedBy: requester.requestedBy,
    requestedAt,
    request,
    ...(requester.requesterIsAdmin ? { requesterIsAdmin: true } : {}),
    source: { type: 'scaffolder', id: ctx.task.id },
  };
  const valid = validateMessage(message, ['run.requested']);
  if (!valid.ok) {
    throw new Error(`Refusing to publish an invalid request: ${valid.reason}`);
  }
  await ctx.checkpoint({
    key: `provisionhub.run-requested${suffix}`,
    fn: async () => {
      await broker.publishRequest(message);
      return { runId };
    },
  });
  return runId;
}
