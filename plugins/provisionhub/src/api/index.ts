export { provisionHubApiRef } from './ProvisionHubApiRef';
export { provisionHubApiFactory } from './factory';
