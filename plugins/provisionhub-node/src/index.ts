/**
 * Node.js library of ProvisionHub: the AMQP topology and client, config readers, blueprint
 * file access and the REST client that acts for a caller, shared by the control plane, the
 * scaffolder module and the worker.
 *
 * @packageDocumentation
 */
export * from './config';
export * from './redact';
export * from './amqp/topology';
export * from './amqp/ProvisionHubBroker';
export type { BlueprintFile } from './blueprints/BlueprintFile';
export { compareByPath } from './blueprints/BlueprintFile';
export { computeBlueprintDigest } from './blueprints/computeBlueprintDigest';
export {
  blueprintFolderOf,
  resolveFileSources,
} from './blueprints/resolveFileSources';
export type { ResolveFileSourcesOptions } from './blueprints/resolveFileSources';
export { isWithinLocation } from './blueprints/confinement';
export { readBlueprintFiles } from './blueprints/readBlueprintFiles';
export type { ReadBlueprintFilesOptions } from './blueprints/readBlueprintFiles';
export * from './render';
export { createProvisionHubClientFor } from './client/createProvisionHubClientFor';
export * from './worker';
