import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { workerModuleProblem } from '@provisionhub/plugin-provisionhub-node';
import { ConfigError } from '../config/ConfigError';
import { messageOf } from '../errors';
import type { LoadedWorkerModule } from './WorkerRegistry';

/**
 * Loads the packages `provisionhub.worker.modules` names and checks that each one's default
 * export is a worker module. Packages are resolved from `paths` (the worker's working directory
 * and its own installation by default), so they can be installed beside the portal or the worker.
 * @throws ConfigError naming the package that cannot be used
 * @public
 */
export function loadWorkerModules(
  names: readonly string[],
  options: { paths?: string[] } = {},
): LoadedWorkerModule[] {
  const paths = options.paths ?? [
    process.cwd(),
    resolvePackagePath('@provisionhub/worker'),
  ];
  return names.map((name, i) => {
    const key = `provisionhub.worker.modules[${i}] '${name}'`;
    let resolved: string;
    try {
      resolved = require.resolve(name, { paths });
    } catch {
      throw new ConfigError(
        `${key} is not installed where the worker runs (looked from ${paths.join(
          ', ',
        )})`,
      );
    }
    let exported: unknown;
    try {
      // Modules are plain packages; require keeps TypeScript sources working in the monorepo.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = require(resolved);
    } catch (error) {
      throw new ConfigError(
        `${key} cannot be loaded: ${messageOf(error).split('\n')[0]}`,
      );
    }
    const candidate =
      (exported as { default?: unknown } | undefined)?.default ?? exported;
    const problem = workerModuleProblem(candidate);
    if (problem) {
      throw new ConfigError(
        `${key} does not export a worker module as default (export default createWorkerModule({ id, register })): ${problem}`,
      );
    }
    return { source: name, module: candidate as LoadedWorkerModule['module'] };
  });
}
