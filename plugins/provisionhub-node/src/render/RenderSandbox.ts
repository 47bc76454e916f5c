import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, fork } from 'node:child_process';
import type { BlueprintRenderContext, RenderLimits } from './types';

/** Heap of the sandbox process; the output budget stops runaway templates long before it. */
const SANDBOX_HEAP_MB = 512;
/** How many blueprint digests keep their compiled templates in the sandbox. */
const MAX_DIGESTS = 32;
/** The sandbox checks the deadline itself; it is killed when it has not answered this much later. */
const KILL_GRACE_MS = 2000;

/** @public */
export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  timeoutMs: 10_000,
  maxOutputBytes: 64 * 1024 * 1024,
};

/** One batch of templates of one blueprint digest, rendered with one context. */
export interface SandboxRequest {
  digest: string;
  /** Every template source of the digest; sent only when the sandbox does not have them. */
  sources: () => string[];
  /** Which of them to render, in order. */
  indices: number[];
  context: BlueprintRenderContext;
  limits: RenderLimits;
}

/** A template failed (or the sandbox stopped) while rendering `index`, when known. */
export class SandboxRenderFailure extends Error {
  readonly index?: number;
  /** The message is nunjucks' own, with `[Line n, Column m]` when it knows the place. */
  readonly fromTemplate: boolean;

  constructor(
    message: string,
    index: number | undefined,
    fromTemplate: boolean,
  ) {
    super(message);
    this.index = index;
    this.fromTemplate = fromTemplate;
  }
}

type Reply =
  | { id: number; outputs: string[] }
  | { id: number; error: { index?: number; message: string } };

interface Pending {
  id: number;
  resolve(outputs: string[]): void;
  reject(error: Error): void;
  index?: number;
  timer: NodeJS.Timeout;
  /** The process the request went to. */
  child: ChildProcess;
}

/**
 * Renders blueprint templates in a separate Node.js process (see `assets/renderSandbox.cjs`):
 * no environment variables, Node's permission model (no file system beyond its own code, no
 * child processes, workers or addons), a heap limit, a time limit and an output limit. One
 * process per host process, started on first use and again after it was stopped; requests run
 * one at a time, so stopping a runaway render affects only that render.
 */
export class RenderSandbox {
  #child: ChildProcess | undefined;
  /** Digests whose templates the current process holds, least recently used first. */
  #digests: string[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #pending: Pending | undefined;
  #nextId = 1;

  render(request: SandboxRequest): Promise<string[]> {
    const result = this.#queue.then(() => this.#send(request));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Process id of the sandbox, when one runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Stops the sandbox process; the next render starts a new one. */
  stop(): void {
    this.#child?.kill('SIGKILL');
  }

  #send(request: SandboxRequest): Promise<string[]> {
    const child = this.#start();
    const known = this.#digests.indexOf(request.digest);
    const evict: string[] = [];
    if (known >= 0) {
      this.#digests.splice(known, 1);
    } else if (this.#digests.length >= MAX_DIGESTS) {
      evict.push(this.#digests.shift()!);
    }
    this.#digests.push(request.digest);
    return new Promise<string[]>((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        const pending = this.#pending;
        this.#pending = undefined;
        this.#child = undefined;
        child.kill('SIGKILL');
        reject(
          new SandboxRenderFailure(
            `rendering took longer than the time limit of ${request.limits.timeoutMs} ms`,
            pending?.index,
            false,
          ),
        );
      }, request.limits.timeoutMs + KILL_GRACE_MS);
      this.#pending = { id, resolve, reject, timer, child };
      child.channel?.ref();
      child.send(
        {
          id,
          digest: request.digest,
          sources: known >= 0 ? undefined : request.sources(),
          evict,
          indices: request.indices,
          context: request.context,
          timeoutMs: request.limits.timeoutMs,
          maxOutputChars: request.limits.maxOutputBytes,
        },
        error => {
          if (error) {
            // Its cache may now disagree with #digests: start afresh.
            this.#child = undefined;
            child.kill('SIGKILL');
            this.#fail(
              child,
              new SandboxRenderFailure(
                `cannot reach the render sandbox: ${error.message}`,
                undefined,
                false,
              ),
            );
          }
        },
      );
    });
  }

  #start(): ChildProcess {
    if (this.#child) {
      return this.#child;
    }
    const entry = resolvePackagePath(
      '@provisionhub/plugin-provisionhub-node',
      'assets/renderSandbox.cjs',
    );
    const nunjucks = require.resolve('nunjucks/browser/nunjucks.js');
    const permission = process.allowedNodeEnvironmentFlags.has('--permission')
      ? '--permission'
      : '--experimental-permission';
    const child = fork(entry, [nunjucks], {
      env: {},
      execArgv: [
        permission,
        `--allow-fs-read=${entry}`,
        `--allow-fs-read=${nunjucks}`,
        `--max-old-space-size=${SANDBOX_HEAP_MB}`,
        '--disable-proto=throw',
        '--no-warnings',
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
    });
    this.#child = child;
    this.#digests = [];
    child.on('message', (reply: Reply) => this.#onReply(reply));
    let partial = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      const last = lines.at(-1)?.split(' ').map(Number);
      if (last && this.#pending?.id === last[0]) {
        this.#pending.index = last[1];
      }
    });
    child.on('error', error =>
      this.#fail(
        child,
        new SandboxRenderFailure(
          `the render sandbox failed: ${error.message}`,
          undefined,
          false,
        ),
      ),
    );
    child.on('exit', (code, signal) => {
      if (this.#child === child) {
        this.#child = undefined;
      }
      // V8 aborts the process when the heap limit is reached.
      const outOfMemory = signal === 'SIGABRT' || code === 134;
      this.#fail(
        child,
        new SandboxRenderFailure(
          outOfMemory
            ? `rendering ran out of memory (the render sandbox has ${SANDBOX_HEAP_MB} MB)`
            : `the render sandbox stopped (${signal ?? `exit code ${code}`})`,
          this.#pending?.index,
          false,
        ),
      );
    });
    child.unref();
    child.channel?.unref();
    (child.stdout as unknown as { unref?(): void } | null)?.unref?.();
    return child;
  }

  #onReply(reply: Reply) {
    const pending = this.#pending;
    if (!pending || pending.id !== reply.id) {
      return;
    }
    this.#pending = undefined;
    clearTimeout(pending.timer);
    this.#child?.channel?.unref();
    if ('outputs' in reply) {
      pending.resolve(reply.outputs);
    } else {
      pending.reject(
        new SandboxRenderFailure(
          reply.error.message,
          reply.error.index,
          reply.error.index !== undefined,
        ),
      );
    }
  }

  /** Fails the request in flight on `child`, if there is one. */
  #fail(child: ChildProcess, error: Error) {
    const pending = this.#pending;
    if (!pending || pending.child !== child) {
      return;
    }
    this.#pending = undefined;
    clearTimeout(pending.timer);
    pending.reject(error);
  }
}

let shared: RenderSandbox | undefined;

/** The process's render sandbox. */
export function renderSandbox(): RenderSandbox {
  shared ??= new RenderSandbox();
  return shared;
}
