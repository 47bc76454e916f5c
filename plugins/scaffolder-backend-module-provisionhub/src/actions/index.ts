import { createComponentCreateAction } from './componentCreate';
import { createRunWaitAction } from './runWait';
import { createSystemCreateAction } from './systemCreate';
import type { ProvisionHubActionsOptions } from '../lib/types';

export { createComponentCreateAction } from './componentCreate';
export { createRunWaitAction } from './runWait';
export { createSystemCreateAction } from './systemCreate';
export type {
  ProvisionHubActionsApi,
  ProvisionHubActionsOptions,
} from '../lib/types';

/**
 * Every `provisionhub:*` action, for portals that register actions themselves.
 * @public
 */
export function createProvisionHubActions(options: ProvisionHubActionsOptions) {
  return [
    createSystemCreateAction(options),
    createComponentCreateAction(options),
    createRunWaitAction(options),
  ];
}
