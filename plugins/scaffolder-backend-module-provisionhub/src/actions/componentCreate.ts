import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { requestRun } from '../lib/requestRun';
import { examples } from './componentCreate.examples';
import {
  componentSystemInput,
  runRequestInput,
  runRequestOutput,
} from './runRequestSchema';
import type { ProvisionHubActionsOptions } from '../lib/types';

/**
 * `provisionhub:component:create`: asks ProvisionHub for a new Component of a system, built
 * from a blueprint.
 * @public
 */
export function createComponentCreateAction(
  options: ProvisionHubActionsOptions,
) {
  return createTemplateAction({
    id: 'provisionhub:component:create',
    description:
      "Requests a new Component of a system from a ProvisionHub blueprint. The request is checked against the blueprint's schema, then queued on RabbitMQ for the worker fleet; with wait: true the step follows the run and streams its steps and logs.",
    examples,
    supportsDryRun: true,
    schema: {
      input: { ...runRequestInput('component'), ...componentSystemInput },
      output: runRequestOutput,
    },
    handler: ctx => requestRun('component', ctx, options),
  });
}
