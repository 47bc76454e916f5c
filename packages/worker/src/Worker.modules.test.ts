import { startClientFor } from './__testUtils__/client';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RunEventMessage } from '@provisionhub/plugin-provisionhub-common';
import {
  ProvisionHubBroker,
  createWorkerModule,
  createWorkerStep,
} from '@provisionhub/plugin-provisionhub-node';
import { createTempDir, git, useTestBroker } from '@provisionhub/test-utils';
import {
  SAMPLE_BLUEPRINT,
  createJob,
  writeBlueprint,
} from './__testUtils__/blueprints';
import { readTestConfig, testAppConfig } from './__testUtils__/config';
import { EventCollector, eventTypes } from './__testUtils__/events';
import { createCapturingLogger } from './__testUtils__/logger';
import { loadWorkerModules } from './modules';
import { RunningWorker, startWorker } from './startWorker';

jest.setTimeout(60000);

const HOOK_TOKEN = 'Bearer hook-token-7f3a9c';

/** What the test step saw, per run. */
const seen = new Map<
  string,
  { input: unknown; files: number; calls: number }
>();

/** A module of the test: `test:record` keeps its context and uses a checkpoint. */
const recordModule = createWorkerModule({
  id: 'record',
  register(env) {
    env.registerStep(
      'test:record',
      createWorkerStep<{ message: string; count: number }>({
        schema: {
          input: {
            type: 'object',
            required: ['message'],
            additionalProperties: false,
            properties: {
              message: { type: 'string' },
              count: { type: 'integer', default: 1 },
            },
          },
        },
        async run(ctx) {
          const entry = seen.get(ctx.job.runId) ?? {
            input: undefined,
            files: 0,
            calls: 0,
          };
          seen.set(ctx.job.runId, entry);
          entry.input = ctx.input;
          entry.files = ctx.files.length;
          const stored = await ctx.checkpoint('once', async () => {
            entry.calls += 1;
            return { at: ctx.outputs.commit };
          });
          ctx.logger.info(
            `recorded ${ctx.input.message} (${stored.at.length})`,
          );
          return { status: 'succeeded', detail: ctx.input.message };
        },
      }),
    );
  },
});

function logLines(events: RunEventMessage[]) {
  return events.flatMap(e => (e.event.type === 'log' ? e.event.lines : []));
}

describe('Worker modules on the real RabbitMQ', () => {
  const testBroker = useTestBroker();

  describe('with the test module and @provisionhub/worker-module-http from config', () => {
    let temp: { dir: string; remove(): Promise<void> };
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let running: RunningWorker;
    let remotes: string;
    let blueprint: { location: string; digest: string };
    let hook: http.Server;
    let hookUrl: string;
    const received: Array<{ url: string; auth?: string; body: string }> = [];
    let secrets: string[];
    const logger = createCapturingLogger();

    beforeAll(async () => {
      hook = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', c => chunks.push(c));
        req.on('end', () => {
          received.push({
            url: req.url!,
            auth: req.headers.authorization,
            body: Buffer.concat(chunks).toString(),
          });
          res.statusCode = 202;
          res.end();
        });
      });
      await new Promise<void>(resolve => hook.listen(0, '127.0.0.1', resolve));
      hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;

      temp = await createTempDir('provisionhub-worker-modules-');
      remotes = path.join(temp.dir, 'remotes');
      blueprint = await writeBlueprint(
        path.join(temp.dir, 'blueprint'),
        SAMPLE_BLUEPRINT,
      );
      const data = testAppConfig({
        amqpUrl: testBroker.url,
        prefix: testBroker.prefix,
        remoteBase: remotes,
        workspaceDir: path.join(temp.dir, 'workspaces'),
        modules: ['@provisionhub/worker-module-http'],
      });
      (data.provisionhub as any).worker.http = {
        credentials: {
          hooks: { urlPrefix: `${hookUrl}/hooks/`, token: HOOK_TOKEN },
        },
      };
      const { config, rootConfig } = readTestConfig(data);
      secrets = config.secrets;
      ({ client, events } = await startClientFor(
        config,
        logger,
        'test-client',
      ));
      running = await startWorker({
        config,
        rootConfig,
        logger,
        workerId: 'modules-worker',
        modules: [
          ...loadWorkerModules(config.worker.modules),
          { source: 'test', module: recordModule },
        ],
      });
    });

    afterAll(async () => {
      await running?.stop();
      await events?.close();
      await client?.close();
      await temp?.remove();
      await new Promise(resolve => hook?.close(resolve));
    });

    it('runs a module step with rendered input, run log lines and a checkpoint kept across deliveries', async () => {
      const job = createJob({
        ...blueprint,
        name: 'recorded',
        steps: [
          {
            id: 'record',
            type: 'test:record',
            input: { message: '${{ name }} at ${{ outputs.repoUrl }}' },
          },
        ],
      });
      await client.publishJob(job);
      await events.waitFor(job.runId, 'run.succeeded');
      const repoUrl = `file://${remotes}/payments/recorded.git`;
      expect(seen.get(job.runId)).toEqual({
        input: { message: `recorded at ${repoUrl}`, count: 1 },
        files: 10,
        calls: 1,
      });
      expect(
        logLines(events.forRun(job.runId)).filter(l => l.step === 'record'),
      ).toEqual([
        expect.objectContaining({
          level: 'info',
          message: `recorded recorded at ${repoUrl} (40)`,
        }),
      ]);
      const repo = path.join(remotes, 'payments/recorded.git');
      expect(
        await git(
          repo,
          'for-each-ref',
          '--format=%(refname)',
          'refs/provisionhub',
        ),
      ).toBe(`refs/provisionhub/checkpoints/${job.runId}/record/once`);

      // A second delivery reads the checkpoint instead of calling again.
      const before = events.forRun(job.runId).length;
      await client.publishJob(job);
      await events.waitFor(
        job.runId,
        'run.succeeded',
        e => events.forRun(job.runId).indexOf(e) >= before,
      );
      expect(seen.get(job.runId)!.calls).toBe(1);
    });

    it("fails the run before the step when its input does not match the step's schema", async () => {
      const job = createJob({
        ...blueprint,
        name: 'wrong-input',
        steps: [
          { id: 'record', type: 'test:record', input: { count: 'many' } },
        ],
      });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect(failed.event).toEqual({
        type: 'run.failed',
        step: 'record',
        error:
          "step 'record' (test:record): /input/message is required; /input/count must be integer",
        retryable: false,
        deadLettered: false,
      });
      expect(seen.has(job.runId)).toBe(false);
    });

    it('names the registered types when a blueprint uses an unknown one', async () => {
      const job = createJob({
        ...blueprint,
        name: 'unknown-type',
        steps: [{ id: 'x', type: 'acme:nothing' }],
      });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect((failed.event as { error: string }).error).toBe(
        "blueprint step 'x' has type 'acme:nothing', which this worker cannot run; known types: deploy, gitops, http:request, test:record (a worker module in provisionhub.worker.modules adds more)",
      );
    });

    it("calls a webhook with the run's outputs through http:request, once per run", async () => {
      const job = createJob({
        ...blueprint,
        name: 'hooked',
        steps: [
          {
            id: 'notify',
            type: 'http:request',
            title: 'Tell the deploy hook',
            input: {
              url: `${hookUrl}/hooks/\${{ system }}/\${{ name }}`,
              credentials: 'hooks',
              body: {
                repo: '${{ outputs.repoUrl }}',
                port: '${{ values.port }}',
              },
            },
          },
        ],
      });
      await client.publishJob(job);
      await events.waitFor(job.runId, 'run.succeeded');
      expect(received).toEqual([
        {
          url: '/hooks/payments/hooked',
          auth: HOOK_TOKEN,
          body: JSON.stringify({
            repo: `file://${remotes}/payments/hooked.git`,
            port: '8080',
          }),
        },
      ]);
      const all = events.forRun(job.runId);
      expect(eventTypes(all)).toContain('step.finished:notify:succeeded');
      expect(
        logLines(all)
          .filter(l => l.step === 'notify')
          .map(l => l.message),
      ).toEqual([
        `POST ${hookUrl}/hooks/payments/hooked answered 202 Accepted`,
      ]);
      expect(secrets).toContain(HOOK_TOKEN);
      expect(JSON.stringify(all)).not.toContain('hook-token-7f3a9c');

      const before = all.length;
      await client.publishJob(job);
      await events.waitFor(
        job.runId,
        'run.succeeded',
        e => events.forRun(job.runId).indexOf(e) >= before,
      );
      expect(eventTypes(events.forRun(job.runId).slice(before))).toContain(
        'step.finished:notify:skipped',
      );
      expect(received).toHaveLength(1);
    });
  });
});
