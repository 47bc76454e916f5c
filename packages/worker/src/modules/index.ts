export { WorkerRegistry } from './WorkerRegistry';
export type { LoadedWorkerModule } from './WorkerRegistry';
export { loadWorkerModules } from './loadWorkerModules';
