import type { JsonObject } from '@backstage/types';
import { waitUntil } from '@provisionhub/test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './shippedEntities';

const BIN = path.join(REPO_ROOT, 'packages/worker/bin/provisionhub-worker');

/** A real `provisionhub-worker` process, as an operator starts it. */
export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Stops it the way Kubernetes does (SIGTERM, then SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Writes `config` as an app-config file next to the worker's data and starts
 * `provisionhub-worker --config <file>`; resolves once it consumes jobs.
 */
export async function startWorkerProcess(
  dir: string,
  config: JsonObject,
): Promise<WorkerProcess> {
  const file = path.join(dir, 'app-config.worker.yaml');
  await fs.writeFile(file, JSON.stringify(config, null, 2));
  const child = spawn(process.execPath, [BIN, '--config', file], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', chunk => {
    output += chunk;
  });
  child.stderr!.on('data', chunk => {
    output += chunk;
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const worker: WorkerProcess = {
    child,
    output: () => output,
    stop: async (graceMs = 15000) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitUntil(
      () => /is consuming/.test(output) || child.exitCode !== null,
      {
        timeoutMs: 60000,
        intervalMs: 100,
        what: 'the worker to consume jobs',
      },
    );
    if (child.exitCode !== null) {
      throw new Error(`the worker exited with code ${child.exitCode}`);
    }
  } catch (error) {
    await worker.stop();
    throw new Error(`${(error as Error).message}; its output:\n${output}`);
  }
  return worker;
}
