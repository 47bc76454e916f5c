import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunEventMessage } from '@provisionhub/plugin-provisionhub-common';
import {
  BrokerConsumer,
  ProvisionHubBroker,
} from '@provisionhub/plugin-provisionhub-node';
import {
  createTempDir,
  createTestBroker,
  fiftyFileBlueprint,
} from '@provisionhub/test-utils';
import { createJob, writeBlueprint } from '../src/__testUtils__/blueprints';
import { testAppConfig } from '../src/__testUtils__/config';
import { createCapturingLogger } from '../src/__testUtils__/logger';
import {
  WorkerProcess,
  spawnWorker,
  writeConfigFile,
} from '../src/__testUtils__/workerProcess';

/** Write each worker process's CPU profile (node --cpu-prof) here when it stops. */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;

const RETRY = { maxAttempts: 3, initialMs: 1000, maxMs: 4000 };

interface Waiter {
  resolve(at: number): void;
  reject(error: Error): void;
}

/**
 * A RabbitMQ vhost of its own, a 50-file blueprint, local bare repositories, real worker
 * processes started from the bin, and a consumer of the events queue that tells when each
 * run succeeded.
 */
export class BenchHarness {
  readonly #waiters = new Map<string, Waiter>();
  readonly #workers: WorkerProcess[] = [];
  #consumer?: BrokerConsumer;
  #counter = 0;
  /** Where the workers' per-run workspaces go: BENCH_WORKSPACE_DIR, else the temp folder. */
  readonly #workspaceDir = path.join(
    process.env.BENCH_WORKSPACE_DIR ?? os.tmpdir(),
    `provisionhub-bench-ws-${process.pid}`,
  );

  private constructor(
    readonly broker: Awaited<ReturnType<typeof createTestBroker>>,
    readonly temp: { dir: string; remove(): Promise<void> },
    readonly client: ProvisionHubBroker,
    readonly blueprint: { location: string; digest: string },
  ) {}

  static async create(): Promise<BenchHarness> {
    const broker = await createTestBroker();
    const temp = await createTempDir('provisionhub-bench-');
    const blueprint = await writeBlueprint(
      path.join(temp.dir, 'blueprint'),
      fiftyFileBlueprint(),
    );
    const client = ProvisionHubBroker.create({
      amqp: {
        url: broker.url,
        prefix: broker.prefix,
        maxMessageBytes: 1024 * 1024,
      },
      retry: RETRY,
      logger: createCapturingLogger(),
      connectionName: 'bench',
    });
    await client.ready();
    const harness = new BenchHarness(broker, temp, client, blueprint);
    // Ctrl-C must not leave worker processes, the vhost or the temp folder behind.
    const interrupted = () => {
      harness.close().finally(() => process.exit(130));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    harness.#consumer = await client.consume(
      client.names.eventsQueue,
      ['run.event'],
      async message => harness.#onEvent(message),
      { prefetch: 500 },
    );
    return harness;
  }

  /** Transient failures seen so far (each one costs a backoff delay). */
  readonly retries: string[] = [];
  /** Step durations reported by the workers (`step.finished`), by step; clear it between phases. */
  readonly stepDurations = new Map<string, number[]>();

  #onEvent(message: RunEventMessage) {
    if (message.event.type === 'step.finished') {
      const durations = this.stepDurations.get(message.event.step) ?? [];
      durations.push(message.event.durationMs);
      this.stepDurations.set(message.event.step, durations);
    }
    if (message.event.type === 'run.retrying') {
      this.retries.push(message.event.error);
    }
    const waiter = this.#waiters.get(message.runId);
    if (!waiter) {
      return;
    }
    if (message.event.type === 'run.succeeded') {
      this.#waiters.delete(message.runId);
      waiter.resolve(performance.now());
    } else if (message.event.type === 'run.failed') {
      this.#waiters.delete(message.runId);
      waiter.reject(
        new Error(`run ${message.runId} failed: ${message.event.error}`),
      );
    }
  }

  /** Starts `count` worker processes and waits until they consume; returns their ports. */
  async startWorkers(
    count: number,
    concurrency: number,
    env: Record<string, string> = {},
  ): Promise<number[]> {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const config = await writeConfigFile(
        this.temp.dir,
        `worker-${this.#workers.length}.json`,
        testAppConfig({
          amqpUrl: this.broker.url,
          prefix: this.broker.prefix,
          remoteBase: path.join(this.temp.dir, 'remotes'),
          workspaceDir: this.#workspaceDir,
          retry: RETRY,
          concurrency,
        }),
      );
      const worker = spawnWorker(['--config', config], {
        env,
        nodeOptions: CPU_PROFILE_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`]
          : undefined,
      });
      this.#workers.push(worker);
      await worker.waitForOutput(/is consuming/, 60000);
      ports.push(
        Number((await worker.waitForOutput(/localhost:(\d+)\/livez/))[1]),
      );
    }
    return ports;
  }

  workerPids(): number[] {
    return this.#workers.map(w => w.child.pid!);
  }

  async stopWorkers(): Promise<void> {
    const workers = this.#workers.splice(0);
    workers.forEach(w => w.child.kill('SIGTERM'));
    const exits = await Promise.all(workers.map(w => w.exited));
    const failed = exits.find(e => e.code !== 0);
    if (failed) {
      throw new Error(`a worker exited with ${JSON.stringify(failed)}`);
    }
  }

  /** Publishes one job; resolves with the milliseconds from publishing to `run.succeeded`. */
  async run(): Promise<number> {
    const job = createJob({
      ...this.blueprint,
      name: `run-${++this.#counter}`,
    });
    const done = new Promise<number>((resolve, reject) =>
      this.#waiters.set(job.runId, { resolve, reject }),
    );
    const started = performance.now();
    await this.client.publishJob(job);
    return (await done) - started;
  }

  /** Publishes `count` jobs at once; resolves with the milliseconds until the last succeeded. */
  async runBatch(count: number): Promise<number> {
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, () => this.run()));
    return performance.now() - started;
  }

  /** Resident memory of a worker process, from its own Prometheus metrics. */
  async workerRssBytes(port: number): Promise<number> {
    const metrics = await (
      await fetch(`http://127.0.0.1:${port}/metrics`)
    ).text();
    const match = metrics.match(
      /^provisionhub_worker_process_resident_memory_bytes (\d+)/m,
    );
    if (!match) {
      throw new Error(
        'the worker does not report provisionhub_worker_process_resident_memory_bytes',
      );
    }
    return Number(match[1]);
  }

  /** Removes the bare repositories made so far (keeps the disk use of long runs flat). */
  async clearRepositories(): Promise<void> {
    await fs.rm(path.join(this.temp.dir, 'remotes'), {
      recursive: true,
      force: true,
    });
  }

  async close(): Promise<void> {
    await this.stopWorkers().catch(() => undefined);
    await this.#consumer?.cancel();
    await this.client.close();
    await this.broker.remove();
    await this.temp.remove();
    await fs.rm(this.#workspaceDir, {
      recursive: true,
      force: true,
    });
  }
}
