/**
 * ProvisionHub worker module: the `http:request` blueprint step, which calls a webhook with the
 * run's outputs. Load it with `provisionhub.worker.modules: ['@provisionhub/worker-module-http']`.
 *
 * @packageDocumentation
 */
import { httpWorkerModule } from './module';

export { createHttpRequestStep } from './httpRequestStep';
export type { HttpRequestStepInput } from './httpRequestStep';
export { readHttpCredentials } from './credentials';
export type { HttpCredential } from './credentials';
export { httpWorkerModule };
export default httpWorkerModule;
