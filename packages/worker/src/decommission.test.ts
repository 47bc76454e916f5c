import path from 'node:path';
import { randomUUID } from 'node:crypto';
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

const TOKEN = 'glpat-decommission-secret-9z8y7x';

const BLUEPRINT = {
  'catalog-info.yaml': [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: ${{ name }}',
    'spec:',
    '  type: service',
    '  owner: ${{ owner }}',
    '',
  ].join('\n'),
  'README.md': '# ${{ name }}\n',
};

describe('decommission jobs on the real RabbitMQ and real git', () => {
  const testBroker = useTestBroker();

  let temp: { dir: string; remove(): Promise<void> };
  let blueprint: { location: string; digest: string };

  beforeAll(async () => {
    temp = await createTempDir('provisionhub-decommission-test-');
    blueprint = await writeBlueprint(path.join(temp.dir, 'bp'), BLUEPRINT);
  });

  afterAll(async () => {
    await temp?.remove();
  });

  function decommissionJob(name: string, reason?: string): JobMessage {
    return {
      ...createJob({ ...blueprint, name }),
      requestedAt: '2026-12-02T11:00:00.000Z',
      requestedBy: 'user:default/ada',
      decommission: reason === undefined ? {} : { reason },
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

  async function create(
    client: ProvisionHubBroker,
    events: EventCollector,
    name: string,
  ) {
    const created = await run(
      client,
      events,
      createJob({ ...blueprint, name }),
    );
    expect(created.event.type).toBe('run.succeeded');
  }

  const steps = (events: EventCollector, job: JobMessage) =>
    eventTypes(
      events.forRun(job.runId).filter(e => e.attempt === job.attempt),
    ).filter(t => t.startsWith('step.finished'));

  describe('with the git provider on local remotes', () => {
    let client: ProvisionHubBroker;
    let events: EventCollector;
    let stop: (() => Promise<void>) | undefined;
    let remotes: string;
    const bare = (name: string) => path.join(remotes, `payments/${name}.git`);

    beforeAll(async () => {
      remotes = path.join(temp.dir, 'remotes');
      ({ client, events, stop } = await startTestWorker(
        testAppConfig({
          amqpUrl: testBroker.url,
          prefix: testBroker.prefix,
          remoteBase: remotes,
          workspaceDir: path.join(temp.dir, 'workspaces'),
        }),
        'git-decommissioner',
      ));
    });

    afterAll(async () => {
      await stop?.();
    });

    it('adds DECOMMISSIONED.md in one final commit on the default branch, once, also when the job runs again', async () => {
      await create(client, events, 'retired-api');
      const before = await git(bare('retired-api'), 'rev-parse', 'main');
      const job = decommissionJob(
        'retired-api',
        'Replaced by payments-v2.\nTraffic moved on 2026-11-30.',
      );
      const end = await run(client, events, job);
      expect(end.event).toEqual({
        type: 'run.succeeded',
        outputs: {
          repoUrl: `file://${bare('retired-api')}`,
          defaultBranch: 'main',
          entityRef: 'component:default/retired-api',
          archived: true,
        },
      });
      expect(steps(events, job)).toEqual([
        'step.finished:archive:succeeded',
        'step.finished:report:succeeded',
      ]);

      const head = await git(bare('retired-api'), 'rev-parse', 'main');
      expect(await git(bare('retired-api'), 'rev-parse', 'main^')).toBe(before);
      // The commit adds the notice and changes nothing else.
      expect(
        await git(
          bare('retired-api'),
          'diff-tree',
          '--no-commit-id',
          '--name-status',
          '-r',
          head,
        ),
      ).toBe('A\tDECOMMISSIONED.md');
      expect(await git(bare('retired-api'), 'show', 'main:DECOMMISSIONED.md'))
        .toBe(`# Decommissioned

component:default/retired-api was decommissioned through ProvisionHub. This repository is kept for its history and is no longer maintained; the entity has left the software catalog.

- Run: ${job.runId}
- Requested by: user:default/ada
- Requested at: 2026-12-02T11:00:00.000Z
- Blueprint: node-backend@1.0.0

## Reason

> Replaced by payments-v2.
> Traffic moved on 2026-11-30.`);
      expect(
        await git(bare('retired-api'), 'log', '-1', '--format=%an|%aI|%B'),
      ).toBe(
        `ProvisionHub|2026-12-02T11:00:00+00:00|Decommissioned by ProvisionHub\n\nProvisionHub-Run: ${job.runId}`,
      );

      // A retry (and a redelivery) finds the notice and writes nothing.
      const retried = { ...job, attempt: 2, maxAttempt: 3 };
      const again = await run(client, events, retried);
      expect(again.event).toMatchObject({
        type: 'run.succeeded',
        outputs: { archived: true },
      });
      expect(steps(events, retried)).toEqual([
        'step.finished:archive:skipped',
        'step.finished:report:succeeded',
      ]);
      expect(await git(bare('retired-api'), 'rev-parse', 'main')).toBe(head);
    });

    it('keeps developers commits under the notice and says when there is no reason', async () => {
      await create(client, events, 'busy-api');
      const work = path.join(temp.dir, `work-${randomUUID()}`);
      await git(temp.dir, 'clone', '--quiet', bare('busy-api'), work);
      await git(
        work,
        '-c',
        'user.name=Dev',
        '-c',
        'user.email=dev@example.com',
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        'Last change',
      );
      await git(work, 'push', '--quiet', 'origin', 'main');
      const developerHead = await git(work, 'rev-parse', 'HEAD');

      const job = decommissionJob('busy-api');
      expect((await run(client, events, job)).event.type).toBe('run.succeeded');
      expect(await git(bare('busy-api'), 'rev-parse', 'main^')).toBe(
        developerHead,
      );
      expect(
        await git(bare('busy-api'), 'show', 'main:DECOMMISSIONED.md'),
      ).toMatch(/## Reason\n\n\(none given\)$/);
    });

    it('skips the archive with a warning when the repository is gone, and still succeeds', async () => {
      const job = decommissionJob('never-created');
      const end = await run(client, events, job);
      expect(end.event).toEqual({
        type: 'run.succeeded',
        outputs: {
          repoUrl: 'payments/never-created',
          defaultBranch: 'main',
          entityRef: 'component:default/never-created',
          archived: false,
        },
      });
      expect(
        events
          .forRun(job.runId)
          .find(
            e => e.event.type === 'step.finished' && e.event.step === 'archive',
          )?.event,
      ).toMatchObject({
        status: 'skipped',
        detail:
          'the repository of component:default/never-created (payments/never-created) does not exist any more; there is nothing to archive',
      });
    });
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
        workerId: 'gitlab-decommissioner',
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    it('archives the project through the API, once, and writes nothing to the repository', async () => {
      await create(client, events, 'retired-api');
      const project = gitlab.projects.get('platform/payments/retired-api')!;
      const bare = gitlab.repositoryPath('platform/payments/retired-api');
      const head = await git(bare, 'rev-parse', 'main');

      const job = decommissionJob('retired-api', 'Replaced by payments-v2');
      const end = await run(client, events, job);
      expect(end.event).toEqual({
        type: 'run.succeeded',
        outputs: {
          repoUrl: project.web_url,
          defaultBranch: 'main',
          entityRef: 'component:default/retired-api',
          archived: true,
        },
      });
      expect(project.archived).toBe(true);
      expect(gitlab.requests.filter(r => r.route.endsWith('/archive'))).toEqual(
        [
          {
            route: `POST /api/v4/projects/${project.id}/archive`,
            status: 201,
            body: {},
          },
        ],
      );
      expect(await git(bare, 'rev-parse', 'main')).toBe(head);

      const retried = { ...job, attempt: 2, maxAttempt: 3 };
      expect((await run(client, events, retried)).event.type).toBe(
        'run.succeeded',
      );
      expect(steps(events, retried)).toEqual([
        'step.finished:archive:skipped',
        'step.finished:report:succeeded',
      ]);
      expect(
        gitlab.requests.filter(r => r.route.endsWith('/archive')),
      ).toHaveLength(1);
    });
  });
});
