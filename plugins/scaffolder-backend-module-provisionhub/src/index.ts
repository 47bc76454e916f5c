/**
 * Scaffolder actions `provisionhub:*`: request systems and components from ProvisionHub
 * blueprints, queued on RabbitMQ for the worker fleet, and follow their runs in the task log.
 *
 * @packageDocumentation
 */
export { scaffolderModuleProvisionHub as default } from './module';
export {
  createComponentCreateAction,
  createProvisionHubActions,
  createRunWaitAction,
  createSystemCreateAction,
} from './actions';
export type {
  ProvisionHubActionsApi,
  ProvisionHubActionsOptions,
} from './actions';
