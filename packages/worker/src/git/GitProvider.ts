// The provider contract is part of the worker module API in the node library.
export {
  describeForRun,
  isCreatedByRun,
  runMarker,
} from '@provisionhub/plugin-provisionhub-node';
export type {
  ArchiveRepositoryRequest,
  ArchiveRepositoryResult,
  EnsureRepositoryRequest,
  EnsureRepositoryResult,
  GitProvider,
  MergeRequestRequest,
  MergeRequestResult,
  ProvisionedRepository,
} from '@provisionhub/plugin-provisionhub-node';
