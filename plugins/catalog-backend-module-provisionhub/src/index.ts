/**
 * Catalog backend module of ProvisionHub: the `Blueprint` entity kind and an entity provider for
 * the Systems and Components that ProvisionHub provisions.
 *
 * @packageDocumentation
 */
export { catalogModuleProvisionhub as default } from './module';
export { BlueprintEntitiesProcessor } from './processor/BlueprintEntitiesProcessor';
export { BlueprintStatusClient } from './processor/BlueprintStatusClient';
export { ProvisionHubEntityProvider } from './provider/ProvisionHubEntityProvider';
export type { ProvisionHubEntityProviderOptions } from './provider/ProvisionHubEntityProvider';
export {
  DEFAULT_PROVIDER_SCHEDULE,
  readProviderConfig,
} from './provider/readProviderConfig';
export type { ProvisionHubProviderConfig } from './provider/readProviderConfig';
export { validateCatalogEntity } from './validateCatalogEntity';
