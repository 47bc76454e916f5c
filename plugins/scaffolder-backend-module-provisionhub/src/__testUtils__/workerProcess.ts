import type { JsonObject } from '@backstage/types';
import {
  WorkerProcess,
  spawnWorker,
  waitUntil,
  writeConfigFile,
} from '@provisionhub/test-utils';

export type { WorkerProcess };

/**
 * Writes `config` as an app-config file next to the worker's data and starts
 * `provisionhub-worker --config <file>`; resolves once it consumes jobs.
 */
export async function startWorkerProcess(
  dir: string,
  config: JsonObject,
): Promise<WorkerProcess> {
  const file = await writeConfigFile(dir, 'app-config.worker.yaml', config);
  const worker = spawnWorker(['--config', file], { cwd: dir });
  try {
    await waitUntil(
      () =>
        /is consuming/.test(worker.output()) || worker.child.exitCode !== null,
      { timeoutMs: 60000, intervalMs: 100, what: 'the worker to consume jobs' },
    );
    if (worker.child.exitCode !== null) {
      throw new Error(`the worker exited with code ${worker.child.exitCode}`);
    }
  } catch (error) {
    await worker.stop();
    throw new Error(
      `${(error as Error).message}; its output:\n${worker.output()}`,
    );
  }
  return worker;
}
