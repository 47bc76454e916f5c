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

/**
 * A parent process that runs `process.argv.slice(1)` and forwards SIGTERM and SIGINT to it, as
 * `yarn <script>` does: when the parent's process group is signalled, the child gets the signal
 * twice, once from the group and once from the parent.
 */
const FORWARDING_PARENT = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', code => process.exit(code === null ? 1 : code));
`;

/** How to start a program. */
export interface SpawnProgramOptions {
  cwd?: string;
  env?: Record<string, string>;
  /**
   * Start it under a parent that forwards stop signals (like `yarn <script>`), in a process group
   * of its own whose id is `child.pid`: `process.kill(-child.pid, 'SIGTERM')` signals both.
   * `child` is then the parent; its exit code is the program's.
   */
  forwardingParent?: boolean;
  /** Node.js options before the program, e.g. `--cpu-prof`. */
  nodeOptions?: string[];
}

/** Starts `provisionhub-worker <args>`; see {@link WorkerProcess}. */
export function spawnWorker(
  args: string[],
  options: SpawnProgramOptions = {},
): WorkerProcess {
  return spawnProgram(WORKER_BIN, args, { ...options, name: 'worker' });
}

/** Starts the Node program `bin` with `args` (NODE_ENV=production unless `env` says otherwise). */
export function spawnProgram(
  bin: string,
  args: string[],
  options: SpawnProgramOptions & { name: string },
): ProgramProcess {
  const node = options.nodeOptions ?? [];
  const argv = options.forwardingParent
    ? [...node, '-e', FORWARDING_PARENT, bin, ...args]
    : [...node, bin, ...args];
  const child = spawn(process.execPath, argv, {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.forwardingParent,
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
