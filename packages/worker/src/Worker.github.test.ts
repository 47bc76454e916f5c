import { startClientFor } from './__testUtils__/client';
import path from 'node:path';
import { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import {
  FakeGitHub,
  cloneAndList,
  createTempDir,
  git,
  useTestBroker,
} from '@provisionhub/test-utils';
import {
  SAMPLE_BLUEPRINT,
  createJob,
  expectedSampleFiles,
  writeBlueprint,
} from './__testUtils__/blueprints';
import { readTestConfig, testAppConfig } from './__testUtils__/config';
import { EventCollector, eventTypes } from './__testUtils__/events';
import { createCapturingLogger } from './__testUtils__/logger';
import { RunningWorker, startWorker } from './startWorker';

jest.setTimeout(60000);

const TOKEN = 'ghp_worker_secret_1a2b3c4d5e6f';

describe('Worker with @provisionhub/worker-module-github chosen by config', () => {
  const testBroker = useTestBroker();

  describe('against the GitHub test server', () => {
    let temp: { dir: string; remove(): Promise<void> };
    let github: FakeGitHub;
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let running: RunningWorker;
    let blueprint: { location: string; digest: string };
    const logger = createCapturingLogger();

    beforeAll(async () => {
      temp = await createTempDir('provisionhub-worker-github-');
      github = await new FakeGitHub({
        token: TOKEN,
        organizations: ['acme'],
        gitRoot: path.join(temp.dir, 'github'),
      }).start();
      blueprint = await writeBlueprint(
        path.join(temp.dir, 'blueprint'),
        SAMPLE_BLUEPRINT,
      );
      const host = new URL(github.url).host;
      const data = testAppConfig({
        amqpUrl: testBroker.url,
        prefix: testBroker.prefix,
        workspaceDir: path.join(temp.dir, 'workspaces'),
        git: {
          provider: 'github',
          defaultBranch: 'main',
          github: { host, organization: 'acme' },
        },
        integrations: {
          github: [{ host, apiBaseUrl: github.url, token: TOKEN }],
        },
        modules: ['@provisionhub/worker-module-github'],
      });
      const { config, rootConfig } = readTestConfig(data);
      ({ client, events } = await startClientFor(
        config,
        logger,
        'test-client',
      ));
      running = await startWorker({
        config,
        rootConfig,
        logger,
        workerId: 'github-worker',
      });
    });

    afterAll(async () => {
      await running?.stop();
      await events?.close();
      await client?.close();
      await github?.stop();
      await temp?.remove();
    });

    it('creates the repository in the organization, pushes to its clone URL, and reuses it on a second delivery', async () => {
      const job = createJob({ ...blueprint, name: 'orders' });
      await client.publishJob(job);
      const succeeded = await events.waitFor(job.runId, 'run.succeeded');
      expect(
        (succeeded.event as { outputs: { repoUrl: string } }).outputs.repoUrl,
      ).toBe('https://github.example/acme/orders');
      expect(github.repositories.get('acme/orders')).toMatchObject({
        description: `The orders component [provisionhub run ${job.runId}]`,
        visibility: 'private',
        topics: ['provisionhub', 'node-backend', 'component'],
        default_branch: 'main',
      });
      const bare = path.join(temp.dir, 'github/acme/orders.git');
      const clone = await cloneAndList(bare, path.join(temp.dir, 'clone'));
      expect(clone.files).toEqual(
        Object.keys(expectedSampleFiles('orders', 'payments')).sort(),
      );
      expect(logger.lines.join('\n')).toContain(
        "Loaded worker module @provisionhub/worker-module-github (id 'github')",
      );

      const before = events.forRun(job.runId).length;
      await client.publishJob(job);
      await events.waitFor(
        job.runId,
        'run.succeeded',
        e => events.forRun(job.runId).indexOf(e) >= before,
      );
      expect(eventTypes(events.forRun(job.runId).slice(before))).toEqual(
        expect.arrayContaining([
          'step.finished:create-repository:skipped',
          'step.finished:push:skipped',
        ]),
      );
      expect(await git(bare, 'rev-list', '--count', '--all')).toBe('1');
      expect(
        github.requests.filter(r => r === 'POST /orgs/acme/repos'),
      ).toHaveLength(1);
      expect(JSON.stringify(events.forRun(job.runId))).not.toContain(TOKEN);
    });

    it('fails the run permanently when the name belongs to a repository this run did not create', async () => {
      github.repositories.set('acme/taken', {
        ...github.repositories.get('acme/orders')!,
        name: 'taken',
        full_name: 'acme/taken',
        description: 'Somebody else',
      });
      const job = createJob({ ...blueprint, name: 'taken' });
      await client.publishJob(job);
      const failed = await events.waitFor(job.runId, 'run.failed');
      expect(failed.event).toMatchObject({
        step: 'create-repository',
        retryable: false,
        error:
          "repository path 'payments/taken' is taken: GitHub repository acme/taken exists and was not created by this run; choose another name",
      });
    });
  });
});
