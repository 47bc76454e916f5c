/* eslint-disable no-console */
/**
 * `yarn bench` (in packages/backend): the whole pipeline of the dev portal — POST /runs → control
 * plane → RabbitMQ → worker processes → git → run events → run succeeded — measured from the
 * outside, like users and CI scripts see it; then the control plane's CPU per operation. Knobs
 * (environment):
 *   BENCH_DATABASES (sqlite,postgres)  BENCH_WORKERS (2)  BENCH_RUNS (100)  BENCH_POLLERS (100)
 *   BENCH_SINGLE_RUNS (20)  BENCH_PORT (7407)
 *   BENCH_CPU_PROFILE_DIR (unset): write the backend's CPU profiles there, and print where its
 *   CPU time went (node --cpu-prof; open the .cpuprofile files in Chrome DevTools for more)
 */
import {
  format,
  machineCpuMs,
  percentile,
  verdict,
} from '@provisionhub/test-utils';
import os from 'node:os';
import path from 'node:path';
import { summarizeCpuProfiles } from './cpuProfile';
import { BenchDatabase, BenchPortal, PipelineCpu } from './portal';

const setting = (name: string, fallback: number) =>
  Number(process.env[name] ?? fallback);
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(
  ',',
) as BenchDatabase[];
const WORKERS = setting('BENCH_WORKERS', 2);
const RUNS = setting('BENCH_RUNS', 100);
const POLLERS = setting('BENCH_POLLERS', 100);
const SINGLE_RUNS = setting('BENCH_SINGLE_RUNS', 20);
const PORT = setting('BENCH_PORT', 7407);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;

interface Submitted {
  id: string;
  name: string;
  submittedAt: number;
  succeededAt?: number;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function request(name: string) {
  return {
    kind: 'component',
    name,
    owner: 'group:default/platform-team',
    system: 'bench',
    blueprint: 'bench-service',
    values: {},
  };
}

async function submit(portal: BenchPortal, name: string): Promise<Submitted> {
  const submittedAt = performance.now();
  const res = await portal.request('POST', '/provisionhub/runs', request(name));
  if (res.status !== 202) {
    throw new Error(
      `POST /runs answered ${res.status}: ${JSON.stringify(res.body)}`,
    );
  }
  return { id: res.body.id, name, submittedAt };
}

/**
 * Reads the list every `intervalMs` until every run succeeded, noting when each was seen
 * succeeded; throws when one ends otherwise or 15 minutes pass.
 */
async function followUntilSucceeded(
  portal: BenchPortal,
  runs: Submitted[],
  intervalMs: number,
) {
  const pending = new Map(runs.map(run => [run.id, run]));
  const deadline = Date.now() + 15 * 60_000;
  while (pending.size) {
    if (Date.now() > deadline) {
      throw new Error(
        `${pending.size} run(s) did not succeed within 15 minutes`,
      );
    }
    const page = await portal.request(
      'GET',
      `/provisionhub/runs?limit=${RUNS + 10}`,
    );
    const now = performance.now();
    for (const item of page.body.items as Array<{
      id: string;
      status: string;
    }>) {
      const run = pending.get(item.id);
      if (run && item.status === 'succeeded') {
        run.succeededAt = now;
        pending.delete(item.id);
      } else if (
        run &&
        ['failed', 'rejected', 'cancelled'].includes(item.status)
      ) {
        throw new Error(`run ${run.name} ended ${item.status}`);
      }
    }
    await sleep(intervalMs);
  }
}

/**
 * N runs submitted at once, followed by one list request every 100 ms (and, with `pollers`,
 * that many clients each reading one run at 20 Hz) until every run succeeded.
 */
async function batchRound(portal: BenchPortal, label: string, pollers: number) {
  const cpuBefore = portal.cpuMs();
  const machineBefore = machineCpuMs();
  const started = performance.now();
  const runs = await Promise.all(
    Array.from({ length: RUNS }, (_, i) => submit(portal, `${label}-${i}`)),
  );
  let stop = false;
  let pollRequests = 0;
  const pollerLoops = Array.from({ length: pollers }, async (_, i) => {
    const run = runs[i % runs.length];
    while (!stop) {
      await portal.request('GET', `/provisionhub/runs/${run.id}`);
      pollRequests++;
      await sleep(50);
    }
  });
  try {
    await followUntilSucceeded(portal, runs, 100);
  } finally {
    stop = true;
  }
  await Promise.all(pollerLoops);
  const wallMs = performance.now() - started;
  const cpuAfter = portal.cpuMs();
  const perRun = Object.fromEntries(
    Object.entries(cpuAfter).map(([part, ms]) => [
      part,
      (ms - cpuBefore[part as keyof PipelineCpu]) / RUNS,
    ]),
  ) as unknown as PipelineCpu;
  const cpuMs = cpuAfter.controlPlane - cpuBefore.controlPlane;
  const machine = machineCpuMs();
  const latencies = runs.map(r => r.succeededAt! - r.submittedAt);
  return {
    runsPerMinute: (RUNS / wallMs) * 60_000,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    controlPlaneShare: cpuMs / (wallMs * os.cpus().length),
    cpuPerRun: perRun,
    machineBusy:
      (machine.busy - machineBefore.busy) /
      Math.max(1, machine.total - machineBefore.total),
    pollRate: pollRequests / (wallMs / 1000),
  };
}

/** One run at a time: submit → succeeded (read every 10 ms), and request accepted → first step. */
async function singleRuns(portal: BenchPortal, label: string) {
  const total: number[] = [];
  const pickup: number[] = [];
  for (let i = 0; i < SINGLE_RUNS; i++) {
    const run = await submit(portal, `${label}-${i}`);
    for (;;) {
      const res = await portal.request('GET', `/provisionhub/runs/${run.id}`);
      if (res.body.status === 'succeeded') {
        total.push(performance.now() - run.submittedAt);
        const first = res.body.steps[0];
        pickup.push(
          Date.parse(first.startedAt) - Date.parse(res.body.createdAt),
        );
        break;
      }
      if (['failed', 'rejected', 'cancelled'].includes(res.body.status)) {
        throw new Error(`run ${run.name} ended ${res.body.status}`);
      }
      await sleep(10);
    }
  }
  return {
    p50: percentile(total, 50),
    p95: percentile(total, 95),
    pickupP50: percentile(pickup, 50),
  };
}

/**
 * The control plane's CPU per operation: `POST /runs` while the workers are paused (the jobs
 * wait in the queue), the execution of those runs once they resume (event application, signals,
 * the provisioned entities), a list of the runs and a read of one run.
 */
async function operationCosts(portal: BenchPortal, label: string) {
  const backendMs = () => portal.cpuMs().controlPlane;
  portal.setWorkersPaused(true);
  let before = backendMs();
  let runs: Submitted[];
  try {
    runs = await Promise.all(
      Array.from({ length: RUNS }, (_, i) => submit(portal, `${label}-${i}`)),
    );
    await sleep(1000); // what the submits left in the background (signals)
  } finally {
    portal.setWorkersPaused(false);
  }
  const submitMs = (backendMs() - before) / RUNS;
  before = backendMs();
  await followUntilSucceeded(portal, runs, 1000);
  await sleep(1000);
  const executionMs = (backendMs() - before) / RUNS;
  const reads = 100;
  before = backendMs();
  for (let i = 0; i < reads; i++) {
    await portal.request('GET', `/provisionhub/runs?limit=${RUNS + 10}`);
  }
  const listMs = (backendMs() - before) / reads;
  before = backendMs();
  for (let i = 0; i < reads; i++) {
    await portal.request('GET', `/provisionhub/runs/${runs[i % RUNS].id}`);
  }
  const getMs = (backendMs() - before) / reads;
  return { submitMs, executionMs, listMs, getMs };
}

async function benchmark(database: BenchDatabase) {
  console.log(
    `\n== ${database}: dev backend + ${WORKERS} worker process(es), ${RUNS} runs of a 50-file blueprint`,
  );
  const cpuProfileDir =
    CPU_PROFILE_DIR && path.resolve(CPU_PROFILE_DIR, database);
  const portal = await BenchPortal.start({
    database,
    workers: WORKERS,
    port: PORT,
    cpuProfileDir,
  });
  try {
    // Warm up: the first run compiles the blueprint and opens every connection.
    await singleRuns(portal, `warm-${database}`).catch(error => {
      throw new Error(`warm-up failed: ${error.message}`);
    });
    const single = await singleRuns(portal, `single-${database}`);
    console.log(
      verdict('one run, submit → succeeded, p50', single.p50, 'ms', {
        atMost: 250,
      }),
    );
    console.log(`  p95 ${format(single.p95)} ms`);
    console.log(
      verdict(
        'pickup: request accepted → first step, p50',
        single.pickupP50,
        'ms',
        {
          atMost: 20,
        },
      ),
    );
    for (const [round, pollers] of [
      ['batch', 0],
      ['pollers', POLLERS],
    ] as const) {
      const result = await batchRound(portal, `${round}-${database}`, pollers);
      const what =
        pollers === 0
          ? `${RUNS} runs at once, one list request every 100 ms`
          : `${RUNS} runs at once with ${pollers} pollers on GET /runs/{id} at 20 Hz (${format(
              result.pollRate,
            )} req/s served)`;
      console.log(`- ${what}`);
      console.log(
        verdict('  throughput', result.runsPerMinute, 'runs/min', {
          atLeast: pollers === 0 ? 600 : 400,
        }),
      );
      const cpu = result.cpuPerRun;
      console.log(
        `  submit → succeeded p50 ${format(result.p50)} ms, p95 ${format(
          result.p95,
        )} ms; control plane CPU ${format(
          result.controlPlaneShare * 100,
        )}% of the machine; machine busy ${format(result.machineBusy * 100)}%`,
      );
      console.log(
        `  CPU per run: control plane ${format(
          cpu.controlPlane,
        )} ms, workers (git and render sandbox included) ${format(
          cpu.workers,
        )} ms, RabbitMQ ${format(cpu.rabbitmq)} ms, PostgreSQL ${format(
          cpu.postgres,
        )} ms, this benchmark's clients ${format(cpu.client)} ms`,
      );
    }
    const costs = await operationCosts(portal, `costs-${database}`);
    console.log(
      `- control plane CPU per operation: POST /runs ${format(
        costs.submitMs,
      )} ms, a run's execution (events, signals, provisioned entity) ${format(
        costs.executionMs,
      )} ms, a list of ${RUNS + 10} runs ${format(
        costs.listMs,
      )} ms, GET /runs/{id} ${format(costs.getMs)} ms`,
    );
  } finally {
    await portal.stop();
  }
  if (cpuProfileDir) {
    console.log(
      `- where the backend's CPU time went (profiles in ${cpuProfileDir})`,
    );
    for (const line of summarizeCpuProfiles(cpuProfileDir, 15)) {
      console.log(`  ${line}`);
    }
  }
}

async function main() {
  console.log(
    `Whole-pipeline benchmark on ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
  for (const database of DATABASES) {
    await benchmark(database);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
