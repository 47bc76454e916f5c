import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { requestRun } from '../lib/requestRun';
import { runRequestInput, runRequestOutput } from './runRequestSchema';
import { examples } from './systemCreate.examples';
import type { ProvisionHubActionsOptions } from '../lib/types';

/**
 * `provisionhub:system:create`: asks ProvisionHub for a new System built from a blueprint.
 * @public
 */
export function createSystemCreateAction(options: ProvisionHubActionsOptions) {
  return createTemplateAction({
    id: 'provisionhub:system:create',
    description:
      "Requests a new System from a ProvisionHub blueprint. The request is checked against the blueprint's schema, then queued on RabbitMQ for the worker fleet; with wait: true the step follows the run and streams its steps and logs.",
    examples,
    supportsDryRun: true,
    schema: {
      input: runRequestInput('system'),
      output: runRequestOutput,
    },
    handler: ctx => requestRun('system', ctx, options),
  });
}
