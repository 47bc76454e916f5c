import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  RunCancelMessage,
  RunEventBody,
  RunEventMessage,
  RunRequestedMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  createTempDir,
  createTestDatabases,
  deferred,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { provisionhubPlugin } from '../plugin';
import {
  catalogWith,
  provisionhubConfig,
  recordingServices,
  writeBlueprintEntities,
} from '../__testUtils__/fixtures';
import {
  TestBrokerClient,
  connectTestBroker,
} from '../__testUtils__/testBroker';

// Tests start backends and wait for runs on the real broker and database: jest's default 5 s is
// not enough on a busy 2-core machine. Nothing here asserts a duration.
jest.setTimeout(30_000);

const databases = createTestDatabases();

/**
 * The durable pipeline on the real RabbitMQ (a vhost of its own) and the machine's PostgreSQL:
 * several backends come and go over the same database, like control-plane replicas and restarts.
 */
describe('run pipeline on RabbitMQ and PostgreSQL', () => {
  const testBroker = useTestBroker();
  let broker: TestBrokerClient;
  let knex: Knex;
  let entities: Awaited<ReturnType<typeof writeBlueprintEntities>>;
  let removeDir: () => Promise<void>;
  const running: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    const temp = await createTempDir();
    removeDir = temp.remove;
    entities = await writeBlueprintEntities(temp.dir);
    broker = await connectTestBroker(testBroker);
    knex = await databases.init('POSTGRES_15');
  });

  afterEach(async () => {
    while (running.length) {
      await running.pop()!.stop();
    }
  });

  afterAll(async () => {
    await broker?.close();
    await removeDir?.();
  });

  async function startBackend(
    amqp: { url: string; prefix: string } = testBroker,
  ) {
    const recording = recordingServices();
    const backend = await startTestBackend({
      features: [
        provisionhubPlugin,
        mockServices.database.factory({ knex }),
        provisionhubConfig(amqp),
        catalogWith(entities),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ...recording.features,
      ],
    });
    running.push(backend);
    return {
      app: backend.server,
      outbound: recording.outbound,
      stop: () => backend.stop(),
    };
  }

  function requested(
    name: string,
    overrides: Partial<RunRequestedMessage> = {},
  ): RunRequestedMessage {
    return {
      kind: 'run.requested',
      version: 1,
      runId: randomUUID(),
      requestedBy: 'user:default/alice',
      requestedAt: new Date().toISOString(),
      request: {
        kind: 'component',
        name,
        owner: 'group:default/payments',
        system: 'legacy',
        blueprint: 'node-backend',
        version: '1.0.0',
        values: { port: 9000 },
      },
      source: { type: 'scaffolder', id: 'task-1' },
      ...overrides,
    };
  }

  async function runRow(id: string) {
    return knex('runs').where({ id }).first();
  }

  async function jobsFor(runId: string) {
    return waitUntil(
      async () => {
        const jobs = (await broker.takeJobs()).filter(j => j.runId === runId);
        return jobs.length ? jobs : undefined;
      },
      { what: `a job of run ${runId}` },
    );
  }

  it('processes a request published while the backend was down once it comes back', async () => {
    const message = requested('while-down');
    await broker.client.publishRequest(message);
    expect(await broker.depth(broker.client.names.requestsQueue)).toBe(1);

    await startBackend();
    const row = await waitUntil(() => runRow(message.runId), {
      what: 'the run to be stored',
    });
    expect(row).toMatchObject({
      status: 'queued',
      name: 'while-down',
      requested_by: 'user:default/alice',
      source: 'scaffolder:task-1',
    });
    const [job] = await jobsFor(message.runId);
    expect(job).toMatchObject({
      attempt: 1,
      requestedAt: message.requestedAt,
      run: expect.objectContaining({ values: { port: 9000 } }),
    });
  });

  it('makes one run of a request delivered twice, and stores an invalid request as rejected with the reason', async () => {
    await startBackend();
    const message = requested('twice');
    const invalid = requested('Not_A_Name');
    const sentinel = requested('sentinel');
    await broker.client.publishRequest(message);
    await broker.client.publishRequest(message);
    await broker.client.publishRequest(invalid);
    // The requests consumer handles deliveries in order: once the last one is stored, so are the rest.
    await broker.client.publishRequest(sentinel);
    await waitUntil(() => runRow(sentinel.runId), { what: 'the sentinel run' });

    const [{ count }] = await knex('runs')
      .where({ id: message.runId })
      .count({ count: '*' });
    expect(Number(count)).toBe(1);
    expect(await jobsFor(message.runId)).toHaveLength(1);
    expect(await runRow(invalid.runId)).toMatchObject({
      status: 'rejected',
      rejection_reason: expect.stringMatching(
        /\/name may only contain lowercase letters/,
      ),
    });
  });

  function eventsOf(
    runId: string,
    bodies: RunEventBody[],
    attempt = 1,
    delivery = 0,
  ): RunEventMessage[] {
    return bodies.map((event, i) => ({
      kind: 'run.event',
      version: 1,
      runId,
      attempt,
      delivery,
      seq: i + 1,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      event,
    }));
  }

  function successBodies(name: string): RunEventBody[] {
    const steps = [
      'fetch-blueprint',
      'render',
      'create-repository',
      'push',
      'report',
    ];
    return [
      { type: 'run.started', workerId: 'w1' },
      ...steps.flatMap((step, i): RunEventBody[] => [
        { type: 'step.started', step },
        {
          type: 'log',
          lines: [
            {
              at: new Date().toISOString(),
              step,
              level: 'info',
              message: `${step} line ${i}`,
            },
          ],
        },
        {
          type: 'step.finished',
          step,
          status: i === 2 ? 'skipped' : 'succeeded',
          durationMs: 10 + i,
        },
      ]),
      {
        type: 'run.succeeded',
        outputs: {
          repoUrl: `https://git.example.com/legacy/${name}`,
          defaultBranch: 'main',
          entityRef: `component:default/${name}`,
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name, description: 'from the repo' },
            spec: { type: 'service' },
          },
        },
      },
    ];
  }

  async function finalState(app: any, runId: string) {
    const run = (await request(app).get(`/api/provisionhub/runs/${runId}`))
      .body;
    const logs = (
      await request(app).get(`/api/provisionhub/runs/${runId}/logs`)
    ).body;
    return {
      status: run.status,
      outputs: run.outputs,
      steps: run.steps.map(
        (s: { id: string; status: string; durationMs?: number }) => [
          s.id,
          s.status,
          s.durationMs,
        ],
      ),
      statuses: run.history.map((h: { status: string }) => h.status),
      logs: logs.items.map((l: { seq: number; message: string }) => [
        l.seq,
        l.message,
      ]),
    };
  }

  function shuffled<T>(items: T[]): T[] {
    // A fixed permutation, so a failure can be replayed.
    return items
      .map((item, i) => ({ item, key: (i * 7919) % 31 }))
      .sort((a, b) => a.key - b.key)
      .map(x => x.item);
  }

  it('ends in the same state whether events arrive in order, twice, or out of order', async () => {
    const { app, outbound } = await startBackend();
    const inOrder = await request(app).post('/api/provisionhub/runs').send({
      kind: 'component',
      name: 'ordered',
      owner: 'group:default/payments',
      system: 'legacy',
      blueprint: 'node-backend',
      version: '1.0.0',
      values: {},
    });
    const messy = await request(app).post('/api/provisionhub/runs').send({
      kind: 'component',
      name: 'messy',
      owner: 'group:default/payments',
      system: 'legacy',
      blueprint: 'node-backend',
      version: '1.0.0',
      values: {},
    });
    await jobsFor(inOrder.body.id);

    for (const event of eventsOf(inOrder.body.id, successBodies('ordered'))) {
      await broker.client.publishEvent(event);
    }
    const events = eventsOf(messy.body.id, successBodies('messy'));
    // A first delivery that died after two events, then the redelivery that finished the run;
    // every message is published twice and the whole lot is shuffled.
    const stale = eventsOf(
      messy.body.id,
      successBodies('messy').slice(0, 2),
      1,
      0,
    );
    const redelivered = events.map(e => ({ ...e, delivery: 1 }));
    for (const event of shuffled([...stale, ...redelivered, ...redelivered])) {
      await broker.client.publishEvent(event);
    }

    const ordered = await waitUntil(
      async () => {
        const state = await finalState(app, inOrder.body.id);
        return state.status === 'succeeded' ? state : undefined;
      },
      { what: 'the in-order run to succeed' },
    );
    const shuffledState = await waitUntil(
      async () => {
        const state = await finalState(app, messy.body.id);
        return state.status === 'succeeded' ? state : undefined;
      },
      { what: 'the shuffled run to succeed' },
    );

    expect(shuffledState).toEqual({
      ...ordered,
      outputs: {
        repoUrl: 'https://git.example.com/legacy/messy',
        defaultBranch: 'main',
        entityRef: 'component:default/messy',
      },
    });
    expect(ordered.logs).toHaveLength(5);
    expect(ordered.statuses).toEqual([
      'requested',
      'queued',
      'running',
      'succeeded',
    ]);
    expect(
      (await knex('run_pending_events').where({ run_id: messy.body.id }))
        .length,
    ).toBe(0);

    const component = await request(app).get(
      '/api/provisionhub/components/messy',
    );
    // The type is the one the rendered descriptor declares (spec.type: service).
    expect(component.body).toMatchObject({
      system: 'legacy',
      type: 'service',
      repoUrl: 'https://git.example.com/legacy/messy',
      runId: messy.body.id,
    });
    // Events, notifications and signals are sent in the background, after the commit.
    const published = await waitUntil(
      () =>
        outbound.events.find(
          e => (e.eventPayload as any).entityRef === 'component:default/messy',
        ),
      { what: 'the provisioned entity event' },
    );
    expect(published).toMatchObject({
      topic: 'provisionhub.entity.provisioned',
      eventPayload: {
        entity: {
          kind: 'Component',
          metadata: {
            name: 'messy',
            description: 'from the repo',
            annotations: {
              'provisionhub.io/run-id': messy.body.id,
              'provisionhub.io/blueprint': 'node-backend@1.0.0',
              'backstage.io/source-location':
                'url:https://git.example.com/legacy/messy/',
              'backstage.io/managed-by-location':
                'url:https://git.example.com/legacy/messy',
              'backstage.io/managed-by-origin-location':
                'url:https://git.example.com/legacy/messy',
            },
          },
          spec: {
            owner: 'group:default/payments',
            system: 'legacy',
            type: 'service',
            lifecycle: 'experimental',
          },
        },
      },
    });
    expect(outbound.notifications).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: 'user:default/mock' },
          payload: expect.objectContaining({
            title: 'Provisioning of component messy succeeded',
            link: `/provisionhub/runs/${messy.body.id}`,
          }),
        }),
      ]),
    );
    const signalled = await waitUntil(
      () => {
        const sent = outbound.signals.filter(
          s => s.channel === 'provisionhub:entity:component:default/messy',
        );
        return sent.at(-1)?.message.status === 'succeeded' ? sent : undefined;
      },
      { what: 'the signal of the succeeded run' },
    );
    expect(signalled.at(-1)?.message).toMatchObject({
      runId: messy.body.id,
      status: 'succeeded',
      lastLogSeq: 5,
    });
    const provisioned = await request(app)
      .get('/api/provisionhub/catalog/entities')
      .set('Authorization', mockCredentials.service.header());
    expect(
      provisioned.body.items.map(
        (e: { metadata: { name: string } }) => e.metadata.name,
      ),
    ).toEqual(expect.arrayContaining(['ordered', 'messy']));
  });

  it("writes a step's start and finish that arrive together as one update, and a batch's log lines as one insert", async () => {
    const { app } = await startBackend();
    const created = await request(app).post('/api/provisionhub/runs').send({
      kind: 'component',
      name: 'coalesced',
      owner: 'group:default/payments',
      system: 'legacy',
      blueprint: 'node-backend',
      version: '1.0.0',
      values: {},
    });
    const runId = created.body.id;
    await jobsFor(runId);
    const writes: string[] = [];
    const record = (query: { sql: string; bindings?: unknown[] }) => {
      if (
        /^(update "run_steps"|insert into "run_log_lines")/.test(query.sql) &&
        query.bindings?.includes(runId)
      ) {
        writes.push(query.sql.split(' ').slice(0, 3).join(' '));
      }
    };
    knex.on('query', record);
    try {
      // Published at once: the consumer gets most of them in one delivery batch.
      await Promise.all(
        eventsOf(runId, successBodies('coalesced')).map(e =>
          broker.client.publishEvent(e),
        ),
      );
      const state = await waitUntil(
        async () => {
          const now = await finalState(app, runId);
          return now.status === 'succeeded' ? now : undefined;
        },
        { what: 'the run to succeed' },
      );
      expect(state.steps).toEqual([
        ['fetch-blueprint', 'succeeded', 10],
        ['render', 'succeeded', 11],
        ['create-repository', 'skipped', 12],
        ['push', 'succeeded', 13],
        ['report', 'succeeded', 14],
      ]);
      expect(state.logs.map(([seq]: [number]) => seq)).toEqual([1, 2, 3, 4, 5]);
      const steps = await knex('run_steps').where({ run_id: runId });
      for (const step of steps) {
        expect(step.started_at).not.toBeNull();
        expect(step.finished_at).not.toBeNull();
      }
    } finally {
      knex.off('query', record);
    }
    // 10 step reports and 5 log events; one write each before they were held back.
    expect(writes.filter(w => w.startsWith('update')).length).toBeLessThan(10);
    expect(writes.filter(w => w.startsWith('insert')).length).toBeLessThan(5);
  });

  it('loses nothing when the publish fails after the commit: the outbox publishes once the broker is back', async () => {
    const unreachable = {
      url: 'amqp://guest:guest@127.0.0.1:1',
      prefix: testBroker.prefix,
    };
    const down = await startBackend(unreachable);
    const res = await request(down.app).post('/api/provisionhub/runs').send({
      kind: 'component',
      name: 'outboxed',
      owner: 'group:default/payments',
      system: 'legacy',
      blueprint: 'node-backend',
      values: {},
    });
    expect(res.status).toBe(202);
    await waitUntil(
      async () =>
        (
          await knex('outbox').where({ run_id: res.body.id }).first()
        )?.last_error,
      {
        what: 'the failed publish to be recorded',
      },
    );
    await running.pop()!.stop();

    await startBackend();
    expect(await jobsFor(res.body.id)).toHaveLength(1);
    await waitUntil(
      async () =>
        !(await knex('outbox').where({ run_id: res.body.id }).first()),
      { what: 'the outbox row to be deleted' },
    );
  });

  it('tells workers to stop a cancelled run, again when one starts it later, and fails a dead-lettered job', async () => {
    const { app } = await startBackend();
    const cancels: string[] = [];
    const gotCancel = deferred<string>();
    const control = await broker.client.consumeControl(
      'fake-worker',
      async (message: RunCancelMessage) => {
        cancels.push(message.runId);
        gotCancel.resolve(message.runId);
      },
    );
    try {
      const body = {
        kind: 'component',
        owner: 'group:default/payments',
        system: 'legacy',
        blueprint: 'node-backend',
        values: {},
      };
      const running1 = await request(app)
        .post('/api/provisionhub/runs')
        .send({ ...body, name: 'to-cancel' });
      await broker.client.publishEvent(
        eventsOf(running1.body.id, [
          { type: 'run.started', workerId: 'w1' },
        ])[0],
      );
      await waitUntil(
        async () => (await runRow(running1.body.id)).status === 'running',
        { what: 'the run to be running' },
      );
      const cancelled = await request(app)
        .post(`/api/provisionhub/runs/${running1.body.id}/cancel`)
        .send({});
      expect(cancelled.body.status).toBe('cancelled');
      await expect(gotCancel.promise).resolves.toBe(running1.body.id);

      const queued = await request(app)
        .post('/api/provisionhub/runs')
        .send({ ...body, name: 'cancel-early' });
      await request(app)
        .post(`/api/provisionhub/runs/${queued.body.id}/cancel`)
        .send({});
      expect(cancels).not.toContain(queued.body.id);
      await broker.client.publishEvent(
        eventsOf(queued.body.id, [{ type: 'run.started', workerId: 'w2' }])[0],
      );
      await waitUntil(() => cancels.includes(queued.body.id), {
        what: 'the re-broadcast cancel',
      });
      expect((await runRow(queued.body.id)).status).toBe('cancelled');

      const doomed = await request(app)
        .post('/api/provisionhub/runs')
        .send({ ...body, name: 'dead-lettered' });
      const [job] = await jobsFor(doomed.body.id);
      await broker.client.deadLetter(
        { content: Buffer.from(JSON.stringify(job)) },
        'delivery limit reached',
        broker.client.names.jobsQueue,
      );
      const failed = await waitUntil(
        async () => {
          const run = (
            await request(app).get(`/api/provisionhub/runs/${doomed.body.id}`)
          ).body;
          return run.status === 'failed' ? run : undefined;
        },
        { what: 'the dead-lettered run to fail' },
      );
      expect(failed).toMatchObject({
        error: {
          message: 'the job was dead-lettered: delivery limit reached',
          retryable: true,
          deadLettered: true,
        },
        canRetry: true,
      });
      const retried = await request(app)
        .post(`/api/provisionhub/runs/${doomed.body.id}/retry`)
        .send({});
      expect(retried.body).toMatchObject({ status: 'queued', attempt: 2 });
      expect((await jobsFor(doomed.body.id))[0]).toMatchObject({ attempt: 2 });
    } finally {
      await control.cancel();
    }
  });
});
