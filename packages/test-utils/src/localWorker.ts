import path from 'node:path';
import { WorkerProcess, startWorkerProcess } from './workerProcess';

/**
 * Starts a `provisionhub-worker` process in `dir` that pushes to local bare repositories under
 * `<dir>/remotes`, with the `provisionhub` settings it shares with the control plane (`amqp`,
 * `runs`); resolves once it consumes jobs.
 */
export function startLocalWorker(
  dir: string,
  shared: { amqp: { url: string; prefix: string }; runs?: object },
): Promise<WorkerProcess> {
  return startWorkerProcess(dir, {
    provisionhub: {
      ...shared,
      git: {
        provider: 'git',
        defaultBranch: 'main',
        author: { name: 'ProvisionHub', email: 'provisionhub@example.com' },
        git: { remoteBase: path.join(dir, 'remotes') },
      },
      worker: {
        concurrency: 2,
        port: 0,
        shutdownTimeoutMs: 10000,
        workspaceDir: path.join(dir, 'workspaces'),
      },
    },
  });
}
