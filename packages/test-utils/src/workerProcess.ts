import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { waitUntil } from './waitFor';

/** The repository's `provisionhub-worker` executable, run as an operator runs it. */
const WORKER_BIN = path.resolve(
  path.dirname(require.resolve('@provisionhub/test-utils/package.json')),
  '../worker/bin/provisionhub-worker',
);

/** A real process of one of the repository's programs (the worker, the dev identity provider). */
export interface ProgramProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in the output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Stops it the way Kubernetes does: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Writes an app-config file (JSON is YAML) and returns its path. */
export async function writeConfigFile(
  dir: string,
  name: string,
  data: object,
): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, JSON.stringify(data, null, 2));
  return file;
}

/** A real `provisionhub-worker` process. */
export type WorkerProcess = ProgramProcess;

/** Starts `provisionhub-worker <args>`; see {@link WorkerProcess}. */
export function spawnWorker(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): WorkerProcess {
  return spawnProgram(WORKER_BIN, args, { ...options, name: 'worker' });
}

/** Starts the Node program `bin` with `args` (NODE_ENV=production unless `env` says otherwise). */
export function spawnProgram(
  bin: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; name: string },
): ProgramProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', chunk => {
    output += chunk;
  });
  child.stderr!.on('data', chunk => {
    output += chunk;
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>(resolve => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: async (pattern, timeoutMs = 30000) => {
      try {
        return await waitUntil(() => output.match(pattern) ?? undefined, {
          timeoutMs,
          what: `${options.name} output matching ${pattern}`,
        });
      } catch (error) {
        throw new Error(
          `${(error as Error).message}; output so far:\n${output}`,
        );
      }
    },
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
}

/**
 * Writes `config` as an app-config file into `dir` and starts
 * `provisionhub-worker --config <file>` there; resolves once it consumes jobs.
 */
export async function startWorkerProcess(
  dir: string,
  config: object,
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
