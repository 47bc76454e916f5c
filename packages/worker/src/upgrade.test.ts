import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '@backstage/types';
import type {
  JobMessage,
  RunEventMessage,
} from '@provisionhub/plugin-provisionhub-common';
import { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import {
  FakeGitLab,
  createTempDir,
  git,
  useTestBroker,
} from '@provisionhub/test-utils';
import { createJob, writeBlueprint } from './__testUtils__/blueprints';
import { startGitLabWorker, startTestWorker } from './__testUtils__/testWorker';
import { testAppConfig } from './__testUtils__/config';
import { EventCollector, eventTypes } from './__testUtils__/events';

jest.setTimeout(60000);

const TOKEN = 'glpat-upgrade-secret-1a2b3c4d';

const CATALOG_INFO = [
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata:',
  '  name: ${{ name }}',
  'spec:',
  '  type: service',
  '  owner: ${{ owner }}',
  '',
].join('\n');

/** Version 1.0.0 of a small blueprint. */
const V1 = {
  'catalog-info.yaml': CATALOG_INFO,
  'README.md':
    '# ${{ name }}\n\nA service.\n\nServes on port ${{ values.port }}.\n',
  'src/index.ts': 'export const port = ${{ values.port }};\n',
  'config.yaml': 'level: info\nretries: 3\n',
};

/** 1.1.0: changes README's last line, index.ts and config.yaml, adds src/metrics.ts. */
const V2 = {
  'catalog-info.yaml': CATALOG_INFO,
  'README.md':
    '# ${{ name }}\n\nA service.\n\nServes on port ${{ values.port }}, metrics on /metrics.\n',
  'src/index.ts':
    "export const port = ${{ values.port }};\nexport { metrics } from './metrics';\n",
  'src/metrics.ts': 'export const metrics = true;\n',
  'config.yaml': 'level: ${{ values.logLevel }}\nretries: 3\n',
};

const V1_VALUES = { port: 8080, description: 'A service' };

/** What the two provider set-ups of this file have in common. */
interface Remote {
  /** The bare repository of a component's project. */
  bare(name: string): string;
  /** What the `merge-request` step reports for an upgrade of `name`. */
  mergeRequestStep(name: string): object;
}

describe('upgrade jobs on the real RabbitMQ and real git', () => {
  const testBroker = useTestBroker();

  let temp: { dir: string; remove(): Promise<void> };
  let v1: { location: string; digest: string };
  let v2: { location: string; digest: string };

  beforeAll(async () => {
    temp = await createTempDir('provisionhub-upgrade-test-');
    v1 = await writeBlueprint(path.join(temp.dir, 'v1'), V1);
    v2 = await writeBlueprint(path.join(temp.dir, 'v2'), V2);
  });

  afterAll(async () => {
    await temp?.remove();
  });

  function upgradeJob(
    name: string,
    values: JsonObject = { ...V1_VALUES, logLevel: 'debug' },
  ): JobMessage {
    const job = createJob({ ...v2, name, values });
    return {
      ...job,
      requestedAt: '2026-12-01T09:30:00.000Z',
      blueprint: { ...job.blueprint, version: '1.1.0' },
      upgrade: {
        from: {
          name: 'node-backend',
          version: '1.0.0',
          digest: v1.digest,
          files: [{ location: v1.location, target: '' }],
          values: V1_VALUES,
        },
        branch: 'provisionhub/upgrade-1.1.0',
        changedValues: [{ key: 'logLevel', to: 'debug' }],
        changelog: [{ version: '1.1.0', changes: 'Adds Prometheus metrics.' }],
      },
    };
  }

  /** Publishes the job and resolves with its run.succeeded or run.failed event. */
  async function run(
    client: ProvisionHubBroker,
    events: EventCollector,
    job: JobMessage,
  ): Promise<RunEventMessage> {
    await client.publishJob(job);
    return events.waitForEnd(job);
  }

  /** Creates the component from 1.0.0, then commits a developer's change to its default branch. */
  async function createAndEdit(
    client: ProvisionHubBroker,
    events: EventCollector,
    remote: Remote,
    name: string,
    edit: (dir: string) => Promise<void>,
  ): Promise<string> {
    const created = await run(
      client,
      events,
      createJob({ ...v1, name, values: V1_VALUES }),
    );
    expect(created.event.type).toBe('run.succeeded');
    const work = path.join(temp.dir, `work-${name}-${randomUUID()}`);
    await git(temp.dir, 'clone', '--quiet', remote.bare(name), work);
    await edit(work);
    await git(work, 'add', '--all');
    await git(
      work,
      '-c',
      'user.name=Dev',
      '-c',
      'user.email=dev@example.com',
      'commit',
      '--quiet',
      '-m',
      'Developer change',
    );
    await git(work, 'push', '--quiet', 'origin', 'main');
    return git(work, 'rev-parse', 'HEAD');
  }

  const show = (bare: string, ref: string, file: string) =>
    git(bare, 'show', `${ref}:${file}`);

  /** The scenarios of the issue, for one provider. */
  function scenarios(
    setup: () => {
      remote: Remote;
      client: ProvisionHubBroker;
      events: EventCollector;
    },
  ) {
    it("merges the upgrade onto the developer's default branch and pushes it to its own branch only", async () => {
      const { remote, client, events } = setup();
      const developerHead = await createAndEdit(
        client,
        events,
        remote,
        'clean-merge',
        async dir => {
          const readme = path.join(dir, 'README.md');
          const text = await fs.readFile(readme, 'utf8');
          await fs.writeFile(
            readme,
            text.replace(
              '# clean-merge\n',
              '# clean-merge\n\nOwned by the payments team.\n',
            ),
          );
          await fs.writeFile(path.join(dir, 'src/feature.ts'), 'export {};\n');
        },
      );
      const job = upgradeJob('clean-merge');
      const end = await run(client, events, job);
      expect(end.event).toMatchObject({
        type: 'run.succeeded',
        outputs: {
          branch: 'provisionhub/upgrade-1.1.0',
          entityRef: 'component:default/clean-merge',
        },
      });
      const bare = remote.bare('clean-merge');
      const branch = 'provisionhub/upgrade-1.1.0';
      // The default branch is untouched; the branch sits on the developer's commit.
      expect(await git(bare, 'rev-parse', 'main')).toBe(developerHead);
      expect(await git(bare, 'rev-parse', `${branch}^`)).toBe(developerHead);
      expect(await show(bare, branch, 'README.md')).toBe(
        '# clean-merge\n\nOwned by the payments team.\n\nA service.\n\nServes on port 8080, metrics on /metrics.',
      );
      expect(await show(bare, branch, 'src/feature.ts')).toBe('export {};');
      expect(await show(bare, branch, 'src/metrics.ts')).toBe(
        'export const metrics = true;',
      );
      expect(await show(bare, branch, 'config.yaml')).toBe(
        'level: debug\nretries: 3',
      );
      expect(await git(bare, 'log', '-1', '--format=%B', branch)).toContain(
        `ProvisionHub-Run: ${job.runId}`,
      );
      expect(
        events
          .forRun(job.runId)
          .find(
            e =>
              e.event.type === 'step.finished' &&
              e.event.step === 'merge-request',
          )?.event,
      ).toMatchObject(remote.mergeRequestStep('clean-merge'));
    });

    it('commits conflicting files with markers and names them', async () => {
      const { remote, client, events } = setup();
      await createAndEdit(client, events, remote, 'conflicted', async dir => {
        await fs.writeFile(
          path.join(dir, 'config.yaml'),
          'level: warn\nretries: 3\n',
        );
      });
      const job = upgradeJob('conflicted');
      const end = await run(client, events, job);
      expect(end.event.type).toBe('run.succeeded');
      const bare = remote.bare('conflicted');
      const config = await show(
        bare,
        'provisionhub/upgrade-1.1.0',
        'config.yaml',
      );
      expect(config).toMatch(
        /^<<<<<<< HEAD\nlevel: warn\n=======\nlevel: debug\n>>>>>>> [0-9a-f]+ \(node-backend@1\.1\.0\)\nretries: 3$/,
      );
      const merge = events
        .forRun(job.runId)
        .find(
          e => e.event.type === 'step.finished' && e.event.step === 'merge',
        );
      expect(merge?.event).toMatchObject({
        detail: expect.stringContaining('1 conflicted: config.yaml'),
      });
      expect(
        await git(
          bare,
          'log',
          '-1',
          '--format=%B',
          'provisionhub/upgrade-1.1.0',
        ),
      ).toContain('ProvisionHub-Conflict: config.yaml');
    });

    it('pushes nothing when the default branch already has every change', async () => {
      const { remote, client, events } = setup();
      await createAndEdit(client, events, remote, 'unchanged', async dir => {
        await fs.writeFile(path.join(dir, 'NOTES.md'), 'notes\n');
      });
      // Only a value that no file of 1.0.0 uses changes: the renders are the same.
      const job = upgradeJob('unchanged', {
        ...V1_VALUES,
        description: 'Other',
      });
      const values: JobMessage = {
        ...job,
        blueprint: {
          ...job.blueprint,
          version: '1.0.0',
          digest: v1.digest,
          files: [{ location: v1.location, target: '' }],
        },
        upgrade: {
          ...job.upgrade!,
          branch: 'provisionhub/values-12345678',
          changedValues: [
            { key: 'description', from: 'A service', to: 'Other' },
          ],
          changelog: [],
        },
      };
      const end = await run(client, events, values);
      expect(end.event.type).toBe('run.succeeded');
      expect(
        (end.event as { outputs: { branch?: string } }).outputs.branch,
      ).toBeUndefined();
      expect(
        eventTypes(events.forRun(values.runId)).filter(t =>
          t.startsWith('step.finished'),
        ),
      ).toEqual([
        'step.finished:fetch-blueprint:succeeded',
        'step.finished:render:succeeded',
        'step.finished:merge:succeeded',
        'step.finished:push:skipped',
        'step.finished:merge-request:skipped',
        'step.finished:report:succeeded',
      ]);
      expect(
        await git(
          remote.bare('unchanged'),
          'branch',
          '--list',
          'provisionhub/*',
        ),
      ).toBe('');
    });

    it('does the upgrade once when the job runs again, never takes over the branch of another run, and fails clearly when the repository is gone', async () => {
      const { remote, client, events } = setup();
      await createAndEdit(client, events, remote, 'again', async dir => {
        await fs.writeFile(path.join(dir, 'NOTES.md'), 'notes\n');
      });
      const job = upgradeJob('again');
      expect((await run(client, events, job)).event.type).toBe('run.succeeded');
      const bare = remote.bare('again');
      const pushed = await git(bare, 'rev-parse', 'provisionhub/upgrade-1.1.0');
      const retried = { ...job, attempt: 2, maxAttempt: 4 };
      const again = await run(client, events, retried);
      expect(again.event.type).toBe('run.succeeded');
      expect(
        eventTypes(events.forRun(job.runId).filter(e => e.attempt === 2)),
      ).toEqual(
        expect.arrayContaining([
          'step.finished:merge:skipped',
          'step.finished:push:skipped',
        ]),
      );
      expect(await git(bare, 'rev-parse', 'provisionhub/upgrade-1.1.0')).toBe(
        pushed,
      );

      // Another run finds the branch of this one: it never takes it over.
      const other = await run(client, events, upgradeJob('again'));
      expect(other.event).toMatchObject({
        type: 'run.failed',
        step: 'merge',
        retryable: false,
        error: expect.stringContaining('branch provisionhub/upgrade-1.1.0 of'),
      });
      expect((other.event as { error: string }).error).toContain(
        'holds no commit of this run',
      );
      expect(await git(bare, 'rev-parse', 'provisionhub/upgrade-1.1.0')).toBe(
        pushed,
      );

      const gone = await run(client, events, upgradeJob('never-created'));
      expect(gone.event).toMatchObject({
        type: 'run.failed',
        step: 'merge',
        retryable: false,
        error: expect.stringContaining(
          'the repository of component:default/never-created (payments/never-created) does not exist any more',
        ),
      });
    });
  }

  describe('with the git provider on local remotes', () => {
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let stop: (() => Promise<void>) | undefined;
    let remotes: string;

    beforeAll(async () => {
      remotes = path.join(temp.dir, 'remotes');
      ({ client, events, stop } = await startTestWorker(
        testAppConfig({
          amqpUrl: testBroker.url,
          prefix: testBroker.prefix,
          remoteBase: remotes,
          workspaceDir: path.join(temp.dir, 'workspaces'),
        }),
        'git-upgrader',
      ));
    });

    afterAll(async () => {
      await stop?.();
    });

    scenarios(() => ({
      client,
      events,
      remote: {
        bare: name => path.join(remotes, `payments/${name}.git`),
        mergeRequestStep: () => ({
          status: 'skipped',
          detail:
            'git remotes have no merge requests: branch provisionhub/upgrade-1.1.0 is the result',
        }),
      },
    }));
  });

  describe('with the gitlab provider on the GitLab test server', () => {
    let gitlab: FakeGitLab;
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let stop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ gitlab, client, events, stop } = await startGitLabWorker({
        broker: testBroker,
        dir: temp.dir,
        token: TOKEN,
        workerId: 'gitlab-upgrader',
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    scenarios(() => ({
      client,
      events,
      remote: {
        bare: name => gitlab.repositoryPath(`platform/payments/${name}`),
        mergeRequestStep: name => ({
          status: 'succeeded',
          detail: `opened merge request ${gitlab.url}/platform/payments/${name}/-/merge_requests/1`,
        }),
      },
    }));

    it('opens one merge request per upgrade, describing changelog, values and conflicts', async () => {
      const byBranch = (project: string) =>
        gitlab.mergeRequests.filter(
          mr =>
            mr.project_id === gitlab.projects.get(project)!.id &&
            mr.source_branch === 'provisionhub/upgrade-1.1.0',
        );
      // The scenarios above ran 'again' twice: still one merge request.
      expect(byBranch('platform/payments/again')).toHaveLength(1);
      const [conflicted] = byBranch('platform/payments/conflicted');
      expect(conflicted).toMatchObject({
        target_branch: 'main',
        title: 'Upgrade component:default/conflicted to node-backend@1.1.0',
        remove_source_branch: true,
        web_url: `${gitlab.url}/platform/payments/conflicted/-/merge_requests/1`,
      });
      expect(conflicted.description).toContain(
        '### 1.1.0\n\nAdds Prometheus metrics.',
      );
      expect(conflicted.description).toContain(
        '- `logLevel`: (unset) → `"debug"`',
      );
      expect(conflicted.description).toContain('- `config.yaml`');
      const done = events.all.find(
        e =>
          e.event.type === 'run.succeeded' &&
          e.event.outputs.entityRef === 'component:default/conflicted' &&
          e.event.outputs.branch,
      );
      expect(done?.event).toMatchObject({
        outputs: { mergeRequestUrl: conflicted.web_url },
      });
    });
  });
});
