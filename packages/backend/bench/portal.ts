import {
  commandCpuMs,
  createTempDir,
  createTestBroker,
  fiftyFileBlueprint,
  processCpuMs,
  rabbitMqPid,
} from '@provisionhub/test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import yaml from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

export type BenchDatabase = 'sqlite' | 'postgres';

/** Where the machine's CPU time goes while the pipeline runs, in ms. */
export interface PipelineCpu {
  controlPlane: number;
  /** The worker processes with their git processes and render sandboxes. */
  workers: number;
  rabbitmq: number;
  /** Every PostgreSQL server process on the machine (the bench's databases, and any other). */
  postgres: number;
  /** This benchmark's own HTTP clients (submitters, list readers, pollers). */
  client: number;
}

/** The benchmark's own catalog: a 50-file blueprint and the system its components join. */
function benchCatalog(skeleton: string) {
  return [
    {
      apiVersion: 'provisionhub.io/v1alpha1',
      kind: 'Blueprint',
      metadata: {
        name: 'bench-service-v1.0.0',
        title: 'Benchmark service',
        labels: { 'provisionhub.io/blueprint': 'bench-service' },
      },
      spec: {
        type: 'service',
        version: '1.0.0',
        owner: 'group:default/platform-team',
        lifecycle: 'experimental',
        files: [{ from: `./${path.basename(skeleton)}` }],
        parameters: {
          type: 'object',
          properties: {
            description: { type: 'string', default: 'A benchmark service' },
            port: { type: 'integer', default: 8080 },
          },
        },
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'bench' },
      spec: { owner: 'group:default/platform-team' },
    },
  ];
}

/**
 * CPU time of a process and all its descendants, in ms, including the children they waited for
 * (the dev backend runs as a child; workers start git processes and a render sandbox).
 */
function treeCpuMs(pid: number): number {
  const own = processCpuMs(pid);
  let total = own.self + own.children;
  for (const task of safeReaddir(`/proc/${pid}/task`)) {
    const children = safeRead(`/proc/${pid}/task/${task}/children`);
    for (const child of children.split(' ').filter(Boolean)) {
      total += treeCpuMs(Number(child));
    }
  }
  return total;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The dev portal's backend (run as `backstage-cli package start` runs it) with the
 * repository's app-config.yaml plus a layer of the benchmark's own: a database, a RabbitMQ vhost,
 * Git remotes and a catalog holding the 50-file blueprint; and N real worker processes.
 */
export class BenchPortal {
  readonly #processes: ChildProcess[] = [];
  token = '';

  private constructor(
    readonly baseUrl: string,
    readonly database: BenchDatabase,
    readonly dir: string,
    readonly cleanups: Array<() => Promise<void>>,
  ) {}

  static async start(options: {
    database: BenchDatabase;
    workers: number;
    port: number;
    /** Write the backend's CPU profiles (node --cpu-prof) here when it stops. */
    cpuProfileDir?: string;
  }): Promise<BenchPortal> {
    const temp = await createTempDir('provisionhub-pipeline-bench-');
    const broker = await createTestBroker();
    const prefix = `bench_${path.basename(temp.dir).replace(/\W/g, '')}_`;
    const portal = new BenchPortal(
      `http://localhost:${options.port}`,
      options.database,
      temp.dir,
      [() => broker.remove(), () => temp.remove()],
    );
    if (options.database === 'postgres') {
      portal.cleanups.unshift(() => dropDatabases(prefix));
    }

    const skeleton = path.join(temp.dir, 'skeleton');
    for (const [file, content] of Object.entries(fiftyFileBlueprint())) {
      fs.mkdirSync(path.dirname(path.join(skeleton, file)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(skeleton, file), content);
    }
    const catalogFile = path.join(temp.dir, 'catalog.yaml');
    fs.writeFileSync(
      catalogFile,
      benchCatalog(skeleton)
        .map(e => yaml.stringify(e))
        .join('---\n'),
    );
    const configFile = path.join(temp.dir, 'app-config.bench.yaml');
    fs.writeFileSync(
      configFile,
      yaml.stringify({
        app: { baseUrl: portal.baseUrl },
        backend: {
          baseUrl: portal.baseUrl,
          listen: { port: options.port },
          database:
            options.database === 'sqlite'
              ? {
                  client: 'better-sqlite3',
                  connection: { directory: path.join(temp.dir, 'sqlite') },
                }
              : { client: 'pg', prefix, connection: PG },
        },
        // Replaces the dev portal's locations: the demo organisation (who the guest is) and
        // the benchmark's blueprint; the shipped blueprints are not needed.
        catalog: {
          locations: [
            { type: 'file', target: path.join(ROOT, 'catalog/org.yaml') },
            {
              type: 'file',
              target: catalogFile,
              rules: [{ allow: ['Blueprint', 'System'] }],
            },
          ],
        },
        provisionhub: {
          amqp: { url: broker.url, prefix: broker.prefix },
          blueprints: { trusted: [{ location: `file:${temp.dir}` }] },
          git: { git: { remoteBase: path.join(temp.dir, 'git') } },
          worker: {
            port: 0,
            workspaceDir: path.join(temp.dir, 'workspaces'),
          },
        },
      }),
    );
    fs.mkdirSync(path.join(temp.dir, 'sqlite'));

    const configArgs = [
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ];
    // What `backstage-cli package start` runs, without its file watcher (an edit elsewhere in the
    // repository must not restart the backend in the middle of a measurement).
    portal.#spawn(
      'backend',
      process.execPath,
      [
        ...(options.cpuProfileDir
          ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
          : []),
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index',
        ...configArgs,
      ],
      path.join(ROOT, 'packages/backend'),
    );
    for (let i = 0; i < options.workers; i++) {
      portal.#spawn(
        `worker-${i}`,
        process.execPath,
        [
          path.join(ROOT, 'packages/worker/bin/provisionhub-worker'),
          ...configArgs,
        ],
        ROOT,
      );
    }
    await portal.#ready();
    return portal;
  }

  /** CPU time so far, in ms, of each part of the pipeline on this machine. */
  cpuMs(): PipelineCpu {
    const [backend, ...workers] = this.#processes.map(child =>
      child.pid ? treeCpuMs(child.pid) : 0,
    );
    const rabbitmq = rabbitMqPid();
    const client = process.cpuUsage();
    return {
      controlPlane: backend ?? 0,
      workers: workers.reduce((sum, ms) => sum + ms, 0),
      rabbitmq: rabbitmq ? treeCpuMs(rabbitmq) : 0,
      postgres: commandCpuMs('postgres'),
      client: (client.user + client.system) / 1000,
    };
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) the worker processes, e.g. to let jobs queue up. */
  setWorkersPaused(paused: boolean): void {
    for (const worker of this.#processes.slice(1)) {
      worker.kill(paused ? 'SIGSTOP' : 'SIGCONT');
    }
  }

  async request(
    method: string,
    pathname: string,
    body?: object,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}/api${pathname}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  async stop(): Promise<void> {
    for (const child of this.#processes) {
      child.kill('SIGTERM');
    }
    await Promise.all(
      this.#processes.map(
        child =>
          new Promise<void>(resolve => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve();
              return;
            }
            const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    for (const cleanup of this.cleanups) {
      await cleanup().catch(() => undefined);
    }
  }

  #spawn(name: string, command: string, args: string[], cwd: string) {
    const log = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: ['ignore', log, log],
    });
    this.#processes.push(child);
  }

  async #ready() {
    const deadline = Date.now() + 600_000;
    for (;;) {
      if (Date.now() > deadline) {
        throw new Error(
          `the bench portal did not become ready in 600 s; see the logs in ${this.dir}`,
        );
      }
      try {
        const session = await fetch(`${this.baseUrl}/api/auth/guest/refresh`);
        if (session.ok) {
          this.token = (await session.json()).backstageIdentity.token;
          const blueprint = await this.request(
            'GET',
            '/provisionhub/blueprints/bench-service',
          );
          const system = await this.request(
            'GET',
            '/catalog/entities/by-name/system/default/bench',
          );
          const guest = await this.request(
            'GET',
            '/catalog/entities/by-name/user/default/guest',
          );
          if (
            blueprint.status === 200 &&
            system.status === 200 &&
            guest.status === 200
          ) {
            // A token issued before the catalog knew the guest carries no groups: take a new one.
            const fresh = await fetch(`${this.baseUrl}/api/auth/guest/refresh`);
            this.token = (await fresh.json()).backstageIdentity.token;
            return;
          }
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
}

async function dropDatabases(prefix: string) {
  const knex = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
  });
  try {
    const { rows } = await knex.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows as Array<{ datname: string }>) {
      await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await knex.destroy();
  }
}
