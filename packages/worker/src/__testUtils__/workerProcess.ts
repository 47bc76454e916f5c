import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { JsonObject } from '@backstage/types';
import { waitUntil } from '@provisionhub/test-utils';

const BIN = path.resolve(__dirname, '../../bin/provisionhub-worker');

/** A real `provisionhub-worker` process, started from the package's bin. */
export interface WorkerProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in the output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Writes an app-config (JSON is YAML) and returns its path. */
export async function writeConfigFile(
  dir: string,
  name: string,
  data: JsonObject,
) {
  const file = path.join(dir, name);
  await fs.writeFile(file, JSON.stringify(data, null, 2));
  return file;
}

export function spawnWorker(
  args: string[],
  env: Record<string, string> = {},
): WorkerProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
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
          what: `worker output matching ${pattern}`,
        });
      } catch (error) {
        throw new Error(
          `${(error as Error).message}; output so far:\n${output}`,
        );
      }
    },
  };
}
