import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { DeadLetter, Run } from '@provisionhub/plugin-provisionhub-common';
import {
  WorkerProcess,
  createTempDir,
  createTestDatabases,
  exists,
  startLocalWorker,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import type { Knex } from 'knex';
import fs from 'node:fs/promises';
import path from 'node:path';
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

// A real worker process retries through the delay queues before it gives up; nothing here
// asserts a duration.
jest.setTimeout(120_000);

const databases = createTestDatabases();
// At the top level, so the vhost outlives the backends the suite's hooks stop (a vhost removed
// under a connected backend fails the suite with "Channel ended").
const testBroker = useTestBroker();

/**
 * The dead-letter console end to end: a real worker, the real RabbitMQ (a vhost of its own) and
 * PostgreSQL. A job is poisoned by something in the way of its repository, dead-lettered after
 * its last attempt, listed with its reason, and re-driven once the cause is gone.
 */
describe('dead-letter console', () => {
  let broker: TestBrokerClient;
  let knex: Knex;
  let dir: string;
  let removeDir: () => Promise<void>;
  let worker: WorkerProcess;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    const temp = await createTempDir();
    dir = temp.dir;
    removeDir = temp.remove;
    const entities = await writeBlueprintEntities(path.join(dir, 'blueprints'));
    broker = await connectTestBroker(testBroker);
    knex = await databases.init('POSTGRES_15');
    const amqp = { url: testBroker.url, prefix: testBroker.prefix };
    const runs = { maxAttempts: 3, backoff: { initialMs: 100, maxMs: 200 } };
    [worker, backend] = await Promise.all([
      startLocalWorker(dir, { amqp, runs }),
      startTestBackend({
        features: [
          provisionhubPlugin,
          mockServices.database.factory({ knex }),
          provisionhubConfig(amqp),
          catalogWith(entities),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          ...recordingServices().features,
        ],
      }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await worker?.stop();
    await broker?.close();
    await removeDir?.();
  }, 60_000);

  const api = () => request(backend.server);

  async function deadLetters(): Promise<DeadLetter[]> {
    const res = await api().get('/api/provisionhub/dead-letters');
    expect(res.status).toBe(200);
    return res.body.items;
  }

  async function getRun(id: string): Promise<Run> {
    return (await api().get(`/api/provisionhub/runs/${id}`)).body;
  }

  it('lists a poisoned job with its reason, re-drives it once its cause is fixed, and the run completes once', async () => {
    // A file where the system's repository folder must go: creating the repository fails on
    // every attempt, until the file is removed.
    const obstacle = path.join(dir, 'remotes', 'poisoned');
    await fs.mkdir(path.dirname(obstacle), { recursive: true });
    await fs.writeFile(obstacle, 'in the way');

    const created = await api().post('/api/provisionhub/runs').send({
      kind: 'system',
      name: 'poisoned',
      owner: 'group:default/payments',
      blueprint: 'platform-system',
      values: {},
    });
    expect(created.status).toBe(202);
    const runId: string = created.body.id;

    const [dead] = await waitUntil(
      async () => {
        const items = (await deadLetters()).filter(d => d.runId === runId);
        return items.length ? items : undefined;
      },
      {
        what: 'the poisoned job in the dead-letter console',
        timeoutMs: 60_000,
      },
    );
    expect(dead).toMatchObject({
      queue: `${testBroker.prefix}.jobs`,
      kind: 'job',
      valid: true,
      attempt: 3,
      deaths: 1,
      redrivable: true,
      reason: expect.stringMatching(/^attempt 3 of 3 failed.*EEXIST/),
    });
    expect(Date.parse(dead.firstDeathAt)).not.toBeNaN();
    expect(dead.lastDeathAt).toBe(dead.firstDeathAt);
    const failed = await waitUntil(
      async () => {
        const run = await getRun(runId);
        return run.status === 'failed' ? run : undefined;
      },
      { what: 'the dead-lettered run to fail' },
    );
    expect(failed.error).toMatchObject({ deadLettered: true, retryable: true });

    // A malformed dead letter is listed and purged, never re-driven.
    await broker.client.deadLetter(
      { content: Buffer.from('{"kind": "job", "runId": ') },
      'body is not JSON',
      broker.client.names.jobsQueue,
    );
    const malformed = await waitUntil(
      async () => (await deadLetters()).find(d => !d.valid),
      { what: 'the malformed dead letter' },
    );
    expect(malformed).toMatchObject({
      queue: `${testBroker.prefix}.jobs`,
      reason: 'body is not JSON',
      redrivable: false,
      bytes: 25,
    });
    expect(malformed.kind).toBeUndefined();
    const refused = await api().post(
      `/api/provisionhub/dead-letters/${malformed.id}/redrive`,
    );
    expect({
      status: refused.status,
      message: refused.body.error.message,
    }).toEqual({
      status: 409,
      message: `dead letter ${malformed.id} is not a valid ProvisionHub message; only jobs of a run can be re-driven, purge it instead`,
    });
    const purged = await api()
      .post('/api/provisionhub/dead-letters/purge')
      .send({ ids: [malformed.id] });
    expect(purged.body).toEqual({ purged: 1 });

    // Fixed: two operators press "re-drive" at the same time; the job runs once.
    await fs.rm(obstacle);
    const redrives = await Promise.all(
      [1, 2].map(() =>
        api().post(`/api/provisionhub/dead-letters/${dead.id}/redrive`),
      ),
    );
    expect(redrives.map(r => r.status).sort()).toEqual([202, 404]);
    const accepted = redrives.find(r => r.status === 202)!.body as Run;
    expect(accepted).toMatchObject({ id: runId, status: 'queued', attempt: 4 });
    expect(await deadLetters()).toEqual([]);

    const succeeded = await waitUntil(
      async () => {
        const run = await getRun(runId);
        return run.status === 'succeeded' ? run : undefined;
      },
      { what: 'the re-driven run to succeed', timeoutMs: 60_000 },
    );
    const history = succeeded.history!;
    const redriven = history.findIndex(t =>
      t.reason?.startsWith(`re-driven dead letter ${dead.id} as attempt 4`),
    );
    expect(redriven).toBeGreaterThan(0);
    expect(history[redriven]).toMatchObject({ status: 'queued' });
    expect(
      history.slice(redriven + 1).map(t => [t.status, t.actor.split(':')[0]]),
    ).toEqual([
      ['running', 'system'],
      ['succeeded', 'system'],
    ]);
    expect(succeeded.attempt).toBe(4);
    expect(
      await exists(path.join(dir, 'remotes', 'poisoned', 'poisoned.git')),
    ).toBe(true);
    expect(await broker.depth(broker.client.names.jobsQueue)).toBe(0);
  });
});
