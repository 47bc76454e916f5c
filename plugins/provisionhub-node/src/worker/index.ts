export { PermanentError, TransientError } from './errors';
export { describeForRun, isCreatedByRun, runMarker } from './GitProvider';
export type {
  ArchiveRepositoryRequest,
  ArchiveRepositoryResult,
  EnsureRepositoryRequest,
  EnsureRepositoryResult,
  GitProvider,
  MergeRequestRequest,
  MergeRequestResult,
  ProvisionedRepository,
} from './GitProvider';
export {
  createWorkerModule,
  createWorkerStep,
  workerModuleProblem,
} from './createWorkerModule';
export type * from './types';
export { gitCredentialSecrets, gitCredentialsEnv } from './gitCredentials';
export type { GitHttpCredentials } from './gitCredentials';
