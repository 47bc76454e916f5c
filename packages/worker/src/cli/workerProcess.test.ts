import fs from 'node:fs/promises';
import path from 'node:path';
import amqplib from 'amqplib';
import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import {
  createBlockingRepository,
  createTempDir,
  exists,
  git,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import {
  SAMPLE_BLUEPRINT,
  createJob,
  writeBlueprint,
} from '../__testUtils__/blueprints';
import { testAppConfig } from '../__testUtils__/config';
import { startTestClient } from '../__testUtils__/client';
import { EventCollector, eventTypes } from '../__testUtils__/events';
import {
  WorkerProcess,
  spawnWorker,
  writeConfigFile,
} from '../__testUtils__/workerProcess';

jest.setTimeout(120000);

describe('the provisionhub-worker process', () => {
  const testBroker = useTestBroker();

  describe('with RabbitMQ and local git remotes', () => {
    let temp: { dir: string; remove(): Promise<void> };
    let remotes: string;
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let blueprint: { location: string; digest: string };
    const processes: WorkerProcess[] = [];
    const releases: Array<() => Promise<void>> = [];

    const configFile = (name: string, shutdownTimeoutMs = 30000) =>
      writeConfigFile(
        temp.dir,
        name,
        testAppConfig({
          amqpUrl: testBroker.url,
          prefix: testBroker.prefix,
          remoteBase: remotes,
          workspaceDir: path.join(temp.dir, 'workspaces'),
          concurrency: 1,
          shutdownTimeoutMs,
        }),
      );

    const start = async (config: string) => {
      const worker = spawnWorker(['--config', config]);
      processes.push(worker);
      await worker.waitForOutput(/is consuming/);
      return worker;
    };

    beforeAll(async () => {
      temp = await createTempDir('provisionhub-worker-process-');
      remotes = path.join(temp.dir, 'remotes');
      blueprint = await writeBlueprint(
        path.join(temp.dir, 'blueprint'),
        SAMPLE_BLUEPRINT,
      );
      ({ client, events } = await startTestClient(testBroker, 'test-client'));
    });

    afterAll(async () => {
      await Promise.all(releases.map(release => release()));
      for (const worker of processes) {
        if (
          worker.child.exitCode === null &&
          worker.child.signalCode === null
        ) {
          worker.child.kill('SIGKILL');
        }
        await worker.exited;
      }
      await events?.close();
      await client?.close();
      await temp?.remove();
    });

    it('after a SIGKILL mid-run, the redelivered job leaves one repository with one commit', async () => {
      const hook = await createBlockingRepository(
        path.join(remotes, 'platform/gitops-kill.git'),
        path.join(temp.dir, 'kill-markers'),
        { then: 'reject' },
      );
      releases.push(hook.release);
      const config = await configFile('kill.yaml');
      const first = await start(config);
      const job = createJob({
        ...blueprint,
        name: 'survivor',
        steps: [
          {
            id: 'deploy',
            type: 'gitops',
            input: { repository: 'platform/gitops-kill' },
          },
        ],
      });
      await client.publishJob(job);

      // The first worker has created the repository, pushed, and is inside the gitops push.
      await waitUntil(() => exists(hook.entered), {
        what: 'the gitops push to start',
      });
      expect(eventTypes(events.forRun(job.runId))).toContain(
        'step.finished:push:succeeded',
      );
      first.child.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const second = await start(config);
      const done = await events.waitFor(
        job.runId,
        'run.succeeded',
        e => e.delivery >= 1,
      );
      const redelivery = events
        .forRun(job.runId)
        .filter(e => e.delivery === done.delivery);
      expect(redelivery[0]).toMatchObject({
        seq: 1,
        attempt: 1,
        event: { type: 'run.started' },
      });
      expect(eventTypes(redelivery)).toEqual([
        'run.started',
        'step.started:fetch-blueprint',
        'step.finished:fetch-blueprint:succeeded',
        'step.started:render',
        'step.finished:render:succeeded',
        'step.started:create-repository',
        'step.finished:create-repository:skipped',
        'step.started:push',
        'step.finished:push:skipped',
        'step.started:deploy',
        'step.finished:deploy:succeeded',
        'step.started:report',
        'step.finished:report:succeeded',
        'run.succeeded',
      ]);

      await hook.release();
      expect(await fs.readdir(path.join(remotes, 'payments'))).toEqual([
        'survivor.git',
      ]);
      const repo = path.join(remotes, 'payments/survivor.git');
      expect(await git(repo, 'rev-list', '--count', '--all')).toBe('1');
      expect(
        await git(
          repo,
          'log',
          '--format=%(trailers:key=ProvisionHub-Run,valueonly)',
        ),
      ).toBe(job.runId);
      const gitops = path.join(remotes, 'platform/gitops-kill.git');
      expect(await git(gitops, 'rev-list', '--count', '--all')).toBe('1');

      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    });

    it('on SIGTERM stops taking jobs, finishes the run in flight and exits 0', async () => {
      const hook = await createBlockingRepository(
        path.join(remotes, 'platform/gitops-drain.git'),
        path.join(temp.dir, 'drain-markers'),
        { then: 'accept' },
      );
      releases.push(hook.release);
      const worker = await start(await configFile('drain.yaml'));
      const port = (await worker.waitForOutput(/localhost:(\d+)\/livez/))[1];
      const job = createJob({
        ...blueprint,
        name: 'drained',
        steps: [
          {
            id: 'deploy',
            type: 'gitops',
            input: { repository: 'platform/gitops-drain' },
          },
        ],
      });
      await client.publishJob(job);
      await waitUntil(() => exists(hook.entered), {
        what: 'the gitops push to start',
      });

      worker.child.kill('SIGTERM');
      await worker.waitForOutput(/SIGTERM received: draining/);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'unavailable',
        detail: 'shutting down',
      });
      // Draining is not dead: Kubernetes must not kill the pod before the run finishes.
      expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
      // A job published now must wait for another worker.
      const later = createJob({ ...blueprint, name: 'later' });
      await client.publishJob(later);

      await hook.release();
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      const done = await events.waitFor(job.runId, 'run.succeeded');
      expect(done.delivery).toBe(0);
      expect(events.forRun(later.runId)).toEqual([]);
      expect(worker.output()).toMatch(/Worker .* stopped/);

      const connection = await amqplib.connect(testBroker.url);
      try {
        const channel = await connection.createChannel();
        const queue = await channel.checkQueue(client.names.jobsQueue);
        expect(queue.messageCount).toBe(1);
      } finally {
        await connection.close();
      }
      // Hand the waiting job to a worker so the next test starts with an empty queue.
      const next = await start(await configFile('drain-next.yaml'));
      await events.waitFor(later.runId, 'run.succeeded');
      next.child.kill('SIGTERM');
      expect((await next.exited).code).toBe(0);
    });

    it('drains once when its process group gets SIGTERM and a parent like yarn forwards it again', async () => {
      const worker = spawnWorker(['--config', await configFile('group.yaml')], {
        forwardingParent: true,
      });
      try {
        await worker.waitForOutput(/is consuming/);
        // What a terminal's Ctrl-C or `kill -TERM -<pgid>` does to `yarn provisionhub-worker`:
        // the worker gets the group's signal and yarn's forwarded copy.
        process.kill(-worker.child.pid!, 'SIGTERM');
        expect(await worker.exited).toEqual({ code: 0, signal: null });
        expect(
          worker.output().match(/SIGTERM received: draining/g),
        ).toHaveLength(1);
        expect(worker.output()).not.toMatch(/again: aborting/);
        expect(worker.output()).toMatch(/Worker .* stopped/);
      } finally {
        if (worker.child.exitCode === null) {
          process.kill(-worker.child.pid!, 'SIGKILL'); // the parent and the worker
          await worker.exited;
        }
      }
    });

    it('after the shutdown timeout aborts the run in flight and returns it to the queue', async () => {
      const hook = await createBlockingRepository(
        path.join(remotes, 'platform/gitops-timeout.git'),
        path.join(temp.dir, 'timeout-markers'),
        { then: 'reject' },
      );
      releases.push(hook.release);
      const worker = await start(await configFile('timeout.yaml', 300));
      const job = createJob({
        ...blueprint,
        name: 'requeued',
        steps: [
          {
            id: 'deploy',
            type: 'gitops',
            input: { repository: 'platform/gitops-timeout' },
          },
        ],
      });
      await client.publishJob(job);
      await waitUntil(() => exists(hook.entered), {
        what: 'the gitops push to start',
      });

      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.output()).toMatch(
        /did not finish within 300 ms; aborting them/,
      );
      const first = events.forRun(job.runId);
      expect(eventTypes(first)).not.toContain('run.failed');
      expect(eventTypes(first)).not.toContain('run.cancelled');

      await hook.release();
      const next = await start(await configFile('timeout-next.yaml'));
      const done = await events.waitFor(job.runId, 'run.succeeded');
      expect(done.delivery).toBe(1);
      next.child.kill('SIGTERM');
      expect((await next.exited).code).toBe(0);
    });

    it('exits 1 with one line naming the key when the configuration is invalid', async () => {
      const config = await writeConfigFile(temp.dir, 'invalid.yaml', {
        provisionhub: { worker: { port: 70000 } },
      });
      const worker = spawnWorker(['--config', config]);
      processes.push(worker);
      expect((await worker.exited).code).toBe(1);
      expect(worker.output()).toBe(
        'provisionhub-worker: invalid configuration: provisionhub.worker.port must be a whole number from 0 to 65535, got 70000\n',
      );
    });

    it('exits 1 naming the module to add when provider gitlab is chosen without its module', async () => {
      const data = testAppConfig({
        amqpUrl: testBroker.url,
        prefix: testBroker.prefix,
        workspaceDir: path.join(temp.dir, 'workspaces'),
        git: {
          provider: 'gitlab',
          gitlab: { host: 'gitlab.example.com', group: 'platform' },
        },
        integrations: {
          gitlab: [{ host: 'gitlab.example.com', token: 'glpat-unused' }],
        },
      });
      const config = await writeConfigFile(temp.dir, 'no-module.yaml', data);
      const worker = spawnWorker(['--config', config]);
      processes.push(worker);
      expect((await worker.exited).code).toBe(1);
      expect(worker.output()).toBe(
        "provisionhub-worker: invalid configuration: provisionhub.git.provider 'gitlab' is not registered; known providers: git. Add '@provisionhub/worker-module-gitlab' to provisionhub.worker.modules\n",
      );
    });
  });
});
