/**
 * provisionhub-worker: the ProvisionHub worker plane. Consumes jobs from RabbitMQ, renders
 * blueprints, creates and pushes Git repositories and reports run events.
 *
 * @packageDocumentation
 */
export { main } from './cli/main';
export { startWorker } from './startWorker';
export type { RunningWorker } from './startWorker';
export { ABORT_GRACE_MS, Worker } from './Worker';
export type { WorkerDependencies } from './Worker';
export { runJob } from './runJob';
export type { AbortReason, RunJobDependencies } from './runJob';
export { createWorkerLogger } from './createWorkerLogger';
export { WorkerMetrics } from './metrics';
export type { JobOutcome } from './metrics';
export { BlueprintCache } from './blueprints/BlueprintCache';
export { RunEventPublisher } from './events/RunEventPublisher';
export type { RunEventPublisherOptions } from './events/RunEventPublisher';
export { PermanentError, TransientError, isRetryable } from './errors';
export * from './config';
export type {
  ArchiveRepositoryRequest,
  ArchiveRepositoryResult,
  GitProvider,
  ProvisionedRepository,
  EnsureRepositoryRequest,
  EnsureRepositoryResult,
  MergeRequestRequest,
  MergeRequestResult,
} from './git/GitProvider';
export { runMarker } from './git/GitProvider';
export { GitCliProvider } from './git/GitCliProvider';
export { WorkerRegistry, loadWorkerModules } from './modules';
export type { LoadedWorkerModule } from './modules';
export type { StepFunction, StepHelpers, StepResult, RunState } from './steps';
export type { HttpServerHandle } from './http/startHttpServer';
