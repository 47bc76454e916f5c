/**
 * The ProvisionHub control plane backend plugin: REST API, run store, policy and approvals, and
 * the durable run pipeline on RabbitMQ.
 *
 * @packageDocumentation
 */
export { provisionhubPlugin as default } from './plugin';
export {
  runPermissionResourceRef,
  runPermissionRules,
  runConditions,
  createRunConditionalDecision,
} from './permissions/runPermissionRules';
export { decideProvisionHubPermission } from './permissions/decideProvisionHubPermission';
export type { ProvisionHubPolicyOptions } from './permissions/decideProvisionHubPermission';
export type { RunAccessFilter } from './database/RunStore';
