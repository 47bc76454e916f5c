import type { JsonObject } from '@backstage/types';
import type {
  WorkerModule,
  WorkerModuleEnvironment,
  WorkerStep,
} from './types';

const MODULE_ID = /^[a-z0-9][a-z0-9._/@-]*$/;

/**
 * A worker module: the package's default export, loaded by the worker when
 * `provisionhub.worker.modules` names the package.
 *
 * @example
 * ```ts
 * export default createWorkerModule({
 *   id: 'acme-notify',
 *   register(env) {
 *     env.registerStep('acme:notify', notifyStep);
 *   },
 * });
 * ```
 * @public
 */
export function createWorkerModule(options: {
  /** Shown in the worker's log and in errors, e.g. `http`. */
  id: string;
  register(env: WorkerModuleEnvironment): void | Promise<void>;
}): WorkerModule {
  if (typeof options?.id !== 'string' || !MODULE_ID.test(options.id)) {
    throw new TypeError(
      `createWorkerModule: id must be lowercase letters, digits and . _ / @ -, got ${JSON.stringify(
        options?.id,
      )}`,
    );
  }
  if (typeof options.register !== 'function') {
    throw new TypeError(
      `createWorkerModule: module '${options.id}' needs a register(env) function`,
    );
  }
  return {
    $$type: '@provisionhub/WorkerModule',
    id: options.id,
    register: env => options.register(env),
  };
}

/**
 * Types a step declared in a file of its own; returns it unchanged.
 * @public
 */
export function createWorkerStep<TInput extends JsonObject = JsonObject>(
  step: WorkerStep<TInput>,
): WorkerStep<TInput> {
  return step;
}

/**
 * Why `value` is not a worker module made by {@link createWorkerModule}, or undefined when it
 * is one. Module packages are untrusted input: the worker checks what they export.
 * @public
 */
export function workerModuleProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return `it is ${value === null ? 'null' : typeof value}, not a module`;
  }
  const module = value as Partial<WorkerModule>;
  if (module.$$type !== '@provisionhub/WorkerModule') {
    return 'it was not made with createWorkerModule';
  }
  if (typeof module.id !== 'string' || !MODULE_ID.test(module.id)) {
    return 'its id is not a valid module id';
  }
  if (typeof module.register !== 'function') {
    return 'it has no register function';
  }
  return undefined;
}
