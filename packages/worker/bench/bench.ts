/* eslint-disable no-console */
/**
 * `yarn bench` (in packages/worker): figures for the worker plane on this machine, compared with
 * the targets of the worker issue. Knobs (environment):
 *   BENCH_RENDER_ITERATIONS (300)  BENCH_LATENCY_RUNS (50)  BENCH_THROUGHPUT_RUNS (300)
 *   BENCH_THROUGHPUT_ROUNDS (2)  BENCH_CONCURRENCY (4, per worker process)  BENCH_MEMORY_RUNS (2000)
 *   BENCH_WORKSPACE_DIR (the temp folder; e.g. /dev/shm to keep workspaces in memory)
 *   BENCH_PHASES (render,latency,throughput,memory,memory-recommended)
 */
import os from 'node:os';
import {
  createRenderContext,
  readBlueprintFiles,
  renderBlueprint,
} from '@provisionhub/plugin-provisionhub-node';
import {
  format,
  machineCpuMs,
  percentile,
  processCpuMs,
  rabbitMqPid,
  verdict,
} from '@provisionhub/test-utils';
import { createJob } from '../src/__testUtils__/blueprints';
import { createCapturingLogger } from '../src/__testUtils__/logger';
import { render } from '../src/steps/render';
import type { StepHelpers } from '../src/steps';
import { BenchHarness } from './harness';
import { createInProcessRenderer } from './inProcessRender';

const setting = (name: string, fallback: number) =>
  Number(process.env[name] ?? fallback);
const RENDER_ITERATIONS = setting('BENCH_RENDER_ITERATIONS', 300);
const LATENCY_RUNS = setting('BENCH_LATENCY_RUNS', 50);
const THROUGHPUT_RUNS = setting('BENCH_THROUGHPUT_RUNS', 300);
const CONCURRENCY = setting('BENCH_CONCURRENCY', 4);
const MEMORY_RUNS = setting('BENCH_MEMORY_RUNS', 2000);
const THROUGHPUT_ROUNDS = setting('BENCH_THROUGHPUT_ROUNDS', 2);
const PHASES = new Set(
  (
    process.env.BENCH_PHASES ??
    'render,latency,throughput,memory,memory-recommended'
  ).split(','),
);

async function benchRender(harness: BenchHarness) {
  const files = await readBlueprintFiles([
    { location: harness.blueprint.location, target: '' },
  ]);
  const job = createJob({ ...harness.blueprint, name: 'render-bench' });
  const context = createRenderContext(job);

  const coldStart = performance.now();
  await renderBlueprint(files, context);
  const cold = performance.now() - coldStart;
  const inProcess = createInProcessRenderer(files);

  const step: number[] = [];
  const inProcessRenders: number[] = [];
  // The two measurements alternate, so load from other processes hits them alike.
  for (let i = 0; i < RENDER_ITERATIONS + 20; i++) {
    const helpers = {
      state: { files },
      logger: createCapturingLogger(),
    };
    let started = performance.now();
    await render(job, helpers as unknown as StepHelpers);
    const sandboxed = performance.now() - started;

    started = performance.now();
    inProcess(context);
    const plain = performance.now() - started;
    if (i >= 20) {
      step.push(sandboxed);
      inProcessRenders.push(plain);
    }
  }
  const p50 = percentile(step, 50);
  console.log(
    `\n## Render step: ${files.length}-file blueprint, ${RENDER_ITERATIONS} renders (kept in memory for the push)`,
  );
  console.log(verdict('render step p50 (sandbox)', p50, 'ms', { atMost: 40 }));
  console.log(`render step p99 (sandbox): ${format(percentile(step, 99))} ms`);
  console.log(
    `throughput: ${format((files.length / p50) * 1000)} files/s at p50`,
  );
  console.log(
    `without the sandbox (plain nunjucks in the worker): p50 ${format(
      percentile(inProcessRenders, 50),
    )} ms, p99 ${format(percentile(inProcessRenders, 99))} ms`,
  );
  console.log(
    `first render of a blueprint (sandbox process started, templates compiled, nothing written): ${format(
      cold,
    )} ms`,
  );
}

async function benchLatency(harness: BenchHarness) {
  await harness.startWorkers(1, CONCURRENCY);
  for (let i = 0; i < 5; i++) {
    await harness.run();
  }
  harness.stepDurations.clear();
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    samples.push(await harness.run());
  }
  await harness.stopWorkers();
  const steps = [...harness.stepDurations].map(
    ([step, ms]) => `${step} ${format(percentile(ms, 50))}`,
  );
  console.log(
    `\n## Latency: ${LATENCY_RUNS} runs one after another, 1 worker process`,
  );
  console.log(
    'measured from publishing the job (what the control plane does once it accepted a request) to receiving run.succeeded on the events queue; includes git init/commit/push to a local bare repository',
  );
  console.log(
    verdict(
      'job published → run.succeeded p50',
      percentile(samples, 50),
      'ms',
      { atMost: 350 },
    ),
  );
  console.log(
    `p90 ${format(percentile(samples, 90))} ms, p99 ${format(
      percentile(samples, 99),
    )} ms`,
  );
  console.log(`step p50 inside the worker (ms): ${steps.join(', ')}`);
}

async function benchThroughput(
  harness: BenchHarness,
  workers: number,
  concurrency: number,
): Promise<number> {
  await harness.startWorkers(workers, concurrency);
  await harness.runBatch(workers * concurrency * 2);
  const pids = harness.workerPids();
  const rabbit = rabbitMqPid();
  const cpuBefore = pids.map(processCpuMs);
  const machineBefore = machineCpuMs();
  const benchBefore = process.cpuUsage();
  const rabbitBefore = rabbit ? processCpuMs(rabbit).self : 0;
  const ms = await harness.runBatch(THROUGHPUT_RUNS);
  const perRun = (total: number) => format(total / THROUGHPUT_RUNS);
  const cpuAfter = pids.map(processCpuMs);
  const machine = machineCpuMs();
  const bench = process.cpuUsage(benchBefore);
  const node = cpuAfter.reduce(
    (sum, c, i) => sum + c.self - cpuBefore[i].self,
    0,
  );
  const git = cpuAfter.reduce(
    (sum, c, i) => sum + c.children - cpuBefore[i].children,
    0,
  );
  const broker = rabbit ? processCpuMs(rabbit).self - rabbitBefore : 0;
  const ours = node + git + broker + (bench.user + bench.system) / 1000;
  const busy = machine.busy - machineBefore.busy;
  const capacity = machine.total - machineBefore.total;
  const percent = (part: number) => format((part / capacity) * 100);
  await harness.stopWorkers();
  await harness.clearRepositories();
  const perMinute = (THROUGHPUT_RUNS / ms) * 60000;
  console.log(
    `${workers} worker process(es) × concurrency ${concurrency}: ${THROUGHPUT_RUNS} runs in ${format(
      ms / 1000,
    )} s = ${format(perMinute)} runs/min; CPU per run: worker ${perRun(
      node,
    )} ms + git ${perRun(git)} ms + RabbitMQ ${perRun(
      broker,
    )} ms; CPUs ${percent(busy)}% busy, ${percent(
      Math.max(0, busy - ours),
    )}% by other processes`,
  );
  return perMinute;
}

/** The Node setting the README recommends for workers: a small young generation. */
const RECOMMENDED_NODE_OPTIONS = '--max-semi-space-size=2';

async function benchMemory(harness: BenchHarness, env: Record<string, string>) {
  const [port] = await harness.startWorkers(1, CONCURRENCY, env);
  const step = Math.max(1, Math.round(MEMORY_RUNS / 10));
  const rss = async () => (await harness.workerRssBytes(port)) / 1e6;
  const trend: Array<{ runs: number; mb: number }> = [
    { runs: 0, mb: await rss() },
  ];
  const started = performance.now();
  for (let done = 0; done < MEMORY_RUNS; ) {
    const batch = Math.min(step, MEMORY_RUNS - done);
    await harness.runBatch(batch);
    done += batch;
    await harness.clearRepositories();
    trend.push({ runs: done, mb: await rss() });
  }
  const minutes = (performance.now() - started) / 60000;
  await harness.stopWorkers();
  const nodeSetting = env.NODE_OPTIONS
    ? `NODE_OPTIONS=${env.NODE_OPTIONS}`
    : 'Node defaults';
  console.log(
    `\n## Worker memory, ${nodeSetting}: ${MEMORY_RUNS} runs through 1 worker process (RSS from its own /metrics), ${format(
      MEMORY_RUNS / minutes,
    )} runs/min`,
  );
  console.log(
    `RSS trend (runs: MB): ${trend
      .map(t => `${t.runs}: ${format(t.mb)}`)
      .join(', ')}`,
  );
  const last = trend[trend.length - 1];
  const half = trend[Math.floor(trend.length / 2)];
  const slope =
    ((last.mb - half.mb) / Math.max(1, last.runs - half.runs)) * 1000;
  console.log(
    verdict(`RSS after ${last.runs} runs`, last.mb, 'MB', { atMost: 200 }),
  );
  console.log(
    `trend over the second half: ${slope >= 0 ? '+' : ''}${format(
      slope,
    )} MB per 1000 runs${
      last.runs < 10000
        ? `; extrapolated to 10,000 runs: ${format(
            last.mb + (slope * (10000 - last.runs)) / 1000,
          )} MB`
        : ''
    }`,
  );
}

async function benchScaling(harness: BenchHarness) {
  console.log(
    `\n## Throughput: ${THROUGHPUT_RUNS} runs published at once (after a warm-up batch)`,
  );
  // Alternating rounds, so that load from other processes drifting over time hits both sides.
  const one: number[] = [];
  const two: number[] = [];
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    one.push(await benchThroughput(harness, 1, CONCURRENCY));
    two.push(await benchThroughput(harness, 2, CONCURRENCY));
  }
  const mean = (values: number[]) =>
    values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    verdict('runs/min with 2 workers (mean of rounds)', mean(two), 'runs/min', {
      atLeast: 600,
    }),
  );
  console.log(
    verdict('scaling 1 → 2 workers', mean(two) / mean(one), '×', {
      atLeast: 1.7,
    }),
  );
  console.log(
    'the same with one job at a time per worker (a worker that cannot fill the CPUs alone):',
  );
  const oneSerial = await benchThroughput(harness, 1, 1);
  const twoSerial = await benchThroughput(harness, 2, 1);
  console.log(
    `scaling 1 → 2 workers at concurrency 1: ${format(
      twoSerial / oneSerial,
    )} ×`,
  );
}

const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');

async function main() {
  console.log(
    `# provisionhub-worker benchmark — ${os.cpus().length} CPUs (${
      os.cpus()[0]?.model
    }), Node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(
    `load average at start: ${load()} (the figures below share the CPUs with whatever else runs)`,
  );
  const harness = await BenchHarness.create();
  try {
    if (PHASES.has('render')) {
      await benchRender(harness);
    }
    if (PHASES.has('latency')) {
      await benchLatency(harness);
    }
    if (PHASES.has('throughput')) {
      await benchScaling(harness);
    }
    if (PHASES.has('memory')) {
      await benchMemory(harness, {});
    }
    if (PHASES.has('memory-recommended')) {
      await benchMemory(harness, { NODE_OPTIONS: RECOMMENDED_NODE_OPTIONS });
    }
    console.log(`\nload average at the end: ${load()}`);
    if (harness.retries.length > 0) {
      console.log(
        `transient failures retried during the benchmark: ${harness.retries.length}, e.g. ${harness.retries[0]}`,
      );
    }
  } finally {
    await harness.close();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
