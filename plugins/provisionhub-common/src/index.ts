/**
 * Shared contracts of ProvisionHub: types, message schemas, permissions, annotations and
 * blueprint validation. Isomorphic: used by the backend, the worker and the frontend.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './campaigns';
export * from './names';
export * from './environments';
export * from './owners';
export * from './runRequest';
export * from './annotations';
export * from './permissions';
export * from './policy';
export * from './signals';
export * from './steps';
export * from './stepInput';
export * from './messages';
export * from './blueprints';
export { formatFieldErrors } from './ajv';
export type { FieldError } from './ajv';
export * from './api';
export * from './runProgress';
