/*
 * Benchmark of the control plane on the real PostgreSQL and RabbitMQ of the machine:
 *   - GET /runs pages with 100,000 runs stored (first page, deep cursor pages, filters);
 *   - POST /runs until the job is on the jobs queue.
 * Run with `yarn bench` in this package. Prints p50/p99 against the targets; it asserts nothing.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTempDir, createTestBroker } from '@provisionhub/test-utils';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AddressInfo } from 'node:net';
import { provisionhubPlugin } from '../src/plugin';
import { rowFromRun } from '../src/database/rows';
import { migrateRunStore } from '../src/database/DatabaseRunStore';
import { makeRunRecord } from '../src/__testUtils__/runRecords';
import {
  catalogWith,
  provisionhubConfig,
  recordingServices,
  writeBlueprintEntities,
} from '../src/__testUtils__/fixtures';
import { connectTestBroker } from '../src/__testUtils__/testBroker';

const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const PG =
  process.env.PROVISIONHUB_BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
const quietLogger = {
  debug() {},
  info() {},
  warn(message: string) {
    if (process.env.BENCH_VERBOSE) console.warn(message);
  },
  error(message: string) {
    console.error(message);
  },
  child() {
    return quietLogger;
  },
};

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * (sorted.length - 1)))
  ];
}

function report(
  name: string,
  samples: number[],
  target: { p: 50 | 99; ms: number },
) {
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  const measured = target.p === 50 ? p50 : p99;
  const verdict =
    measured <= target.ms
      ? `meets target p${target.p} < ${target.ms} ms (${(
          target.ms - measured
        ).toFixed(2)} ms to spare)`
      : `MISSES target p${target.p} < ${target.ms} ms by ${(
          measured - target.ms
        ).toFixed(2)} ms`;
  console.log(
    `${name.padEnd(44)} n=${String(samples.length).padStart(4)}  p50=${p50
      .toFixed(2)
      .padStart(7)} ms  p99=${p99.toFixed(2).padStart(7)} ms  ${verdict}`,
  );
}

async function seed(knex: Knex) {
  const started = performance.now();
  const base = Date.now() - 30 * 24 * 3600 * 1000;
  const statuses = [
    'succeeded',
    'succeeded',
    'succeeded',
    'failed',
    'cancelled',
    'rejected',
    'running',
    'queued',
  ] as const;
  const batch = 1000;
  for (let i = 0; i < RUNS; i += batch) {
    const rows = [];
    for (let j = i; j < Math.min(RUNS, i + batch); j++) {
      const createdAt = new Date(base + j * 25).toISOString();
      const status = statuses[j % statuses.length];
      rows.push(
        rowFromRun(
          makeRunRecord({
            name: `seed-${j}`,
            system: `system-${j % 50}`,
            status:
              status === 'running' || status === 'queued'
                ? 'succeeded'
                : status,
            requestedBy: `user:default/user-${j % 200}`,
            createdAt,
            updatedAt: createdAt,
            requestedAt: createdAt,
          }),
        ),
      );
    }
    await knex('runs').insert(rows);
  }
  await knex.raw('ANALYZE runs');
  console.log(
    `Seeded ${RUNS} runs in ${((performance.now() - started) / 1000).toFixed(
      1,
    )} s`,
  );
}

async function main() {
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  const database = `provisionhub_bench_${randomBytes(4).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ${database}`);
  const knex = knexFactory({
    client: 'pg',
    connection: `${PG}/${database}`,
    pool: { min: 1, max: 10 },
  });
  const broker = await createTestBroker();
  const temp = await createTempDir();
  const cleanups: Array<() => Promise<unknown>> = [
    () => temp.remove(),
    () => broker.remove(),
    () =>
      admin
        .raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
        .then(() => admin.destroy()),
    () => knex.destroy(),
  ];
  try {
    await migrateRunStore(knex);
    await seed(knex);
    const entities = await writeBlueprintEntities(temp.dir);
    const client = await connectTestBroker(broker, quietLogger as any);
    cleanups.unshift(() => client.close());
    const backend = await startTestBackend({
      features: [
        provisionhubPlugin,
        mockServices.database.factory({ knex, migrations: { skip: true } }),
        provisionhubConfig(broker),
        catalogWith(entities),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootLogger.factory({ level: 'warn' }),
        ...recordingServices().features,
      ],
    });
    cleanups.unshift(() => backend.stop());
    const { port } = backend.server.address() as AddressInfo;
    const api = `http://127.0.0.1:${port}/api/provisionhub`;

    const time = async (path: string) => {
      const started = performance.now();
      const res = await fetch(`${api}${path}`);
      const body = await res.json();
      const elapsed = performance.now() - started;
      if (!res.ok)
        throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { elapsed, body };
    };
    const sample = async (path: string, n: number) => {
      const { body } = await time(path);
      if (!body.items?.length)
        throw new Error(
          `${path} returned no runs; the benchmark would measure nothing`,
        );
      for (let i = 0; i < 20; i++) await time(path);
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await time(path)).elapsed);
      return out;
    };

    console.log(
      `\nGET /runs with ${RUNS} runs in PostgreSQL (limit 50), target p99 < 50 ms`,
    );
    report('first page', await sample('/runs?limit=50', 300), {
      p: 99,
      ms: 50,
    });
    // Cursors deep into the list, found by walking it.
    const depths = [100, 1000, 1900].filter(d => d * 50 < RUNS);
    let cursor: string | undefined;
    const cursors = new Map<number, string>();
    for (let page = 1; page <= Math.max(...depths); page++) {
      const { body } = await time(
        `/runs?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      cursor = body.nextCursor;
      if (depths.includes(page) && cursor) cursors.set(page, cursor);
    }
    for (const [page, c] of cursors) {
      report(
        `page ${page + 1} (cursor after ${page * 50} runs)`,
        await sample(`/runs?limit=50&cursor=${c}`, 200),
        { p: 99, ms: 50 },
      );
    }
    report(
      'filter status=failed',
      await sample('/runs?limit=50&status=failed', 200),
      { p: 99, ms: 50 },
    );
    report(
      'filter system=system-7',
      await sample('/runs?limit=50&system=system-7', 200),
      { p: 99, ms: 50 },
    );
    report(
      'filter requestedBy + status',
      await sample(
        `/runs?limit=50&requestedBy=${encodeURIComponent(
          'user:default/user-8',
        )}&status=succeeded`,
        200,
      ),
      { p: 99, ms: 50 },
    );
    const { body: failedPage } = await time('/runs?limit=50&status=failed');
    report(
      'filter status=failed, second page',
      await sample(
        `/runs?limit=50&status=failed&cursor=${failedPage.nextCursor}`,
        200,
      ),
      { p: 99, ms: 50 },
    );

    console.log(
      '\nPOST /runs until the job is on the jobs queue (real RabbitMQ), target p50 < 10 ms',
    );
    const arrivals = new Map<string, (at: number) => void>();
    await client.channel.consume(client.client.names.jobsQueue, message => {
      if (!message) return;
      const at = performance.now();
      const job = JSON.parse(message.content.toString('utf8'));
      client.channel.ack(message);
      arrivals.get(job.run.name)?.(at);
    });
    const postOnce = async (name: string) => {
      const arrived = new Promise<number>(resolve =>
        arrivals.set(name, resolve),
      );
      const started = performance.now();
      const res = await fetch(`${api}/runs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          kind: 'component',
          name,
          owner: 'group:default/payments',
          system: 'legacy',
          blueprint: 'node-backend',
          values: { port: 8080 },
        }),
      });
      if (res.status !== 202)
        throw new Error(`POST /runs: ${res.status} ${await res.text()}`);
      const responded = performance.now() - started;
      const queued = (await arrived) - started;
      arrivals.delete(name);
      return { responded, queued };
    };
    for (let i = 0; i < 30; i++) await postOnce(`warmup-${i}`);
    const responses: number[] = [];
    const queued: number[] = [];
    for (let i = 0; i < 500; i++) {
      const r = await postOnce(`bench-${i}`);
      responses.push(r.responded);
      queued.push(r.queued);
    }
    report('POST /runs → job on the jobs queue', queued, { p: 50, ms: 10 });
    report('POST /runs → 202 response', responses, { p: 50, ms: 10 });
  } finally {
    for (const cleanup of cleanups) {
      await cleanup().catch(e => console.error(`cleanup: ${e}`));
    }
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
