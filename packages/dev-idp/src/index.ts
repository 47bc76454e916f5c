/**
 * A local OpenID Connect provider for developing and testing the ProvisionHub dev portal's
 * sign-in and machine tokens. Development only: never part of a production setup.
 *
 * @packageDocumentation
 */
export { main, DEFAULT_DEV_PASSWORD } from './main';
export { startDevIdp } from './createDevIdp';
export type { DevIdp, DevIdpOptions } from './createDevIdp';
export { devIdpClients, provisionHubApi } from './clients';
export { readRealmUsers } from './realmUsers';
export type { DevIdpUser } from './realmUsers';
export { loadOrCreateSigningKey } from './signingKeys';
export type { PrivateJwk } from './signingKeys';
