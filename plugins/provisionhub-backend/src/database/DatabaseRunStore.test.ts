import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@provisionhub/test-utils';
import type { RunEventMessage } from '@provisionhub/plugin-provisionhub-common';
import { DatabaseRunStore } from './DatabaseRunStore';
import { makeRunRecord } from '../__testUtils__/runRecords';

const databases = createTestDatabases();

function logEvent(runId: string, seq: number, delivery = 0): RunEventMessage {
  return {
    kind: 'run.event',
    version: 1,
    runId,
    attempt: 1,
    delivery,
    seq,
    at: new Date().toISOString(),
    event: {
      type: 'log',
      lines: [
        { at: new Date().toISOString(), level: 'info', message: `line ${seq}` },
      ],
    },
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseRunStore on %p',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, store };
    }

    it('stores a run with its steps and history and reads it back unchanged', async () => {
      const { store } = await createStore();
      const run = makeRunRecord({ startedAt: undefined });
      await store.transaction(async tx => {
        await tx.insertRun(run, [
          { id: 'render', title: 'Render files' },
          { id: 'push', title: 'Commit and push' },
        ]);
        await tx.addTransition(run.id, {
          status: 'requested',
          at: run.createdAt,
          actor: run.requestedBy,
        });
        await tx.addTransition(run.id, {
          status: 'queued',
          at: run.createdAt,
          actor: 'system:policy',
          reason: 'no approval rule matched',
        });
      });
      await expect(store.getRun(run.id)).resolves.toEqual(run);
      expect(
        (await store.getRunSteps(run.id)).map(s => [s.id, s.status]),
      ).toEqual([
        ['render', 'pending'],
        ['push', 'pending'],
      ]);
      expect(await store.getRunHistory(run.id)).toEqual([
        { status: 'requested', at: run.createdAt, actor: run.requestedBy },
        {
          status: 'queued',
          at: run.createdAt,
          actor: 'system:policy',
          reason: 'no approval rule matched',
        },
      ]);
    });

    it('applies patches to runs and steps, including clearing fields', async () => {
      const { store } = await createStore();
      const run = makeRunRecord();
      await store.transaction(tx =>
        tx.insertRun(run, [{ id: 'render', title: 'Render' }]),
      );
      const later = new Date(Date.parse(run.createdAt) + 1000).toISOString();
      await store.transaction(async tx => {
        await tx.updateRun(run.id, {
          status: 'failed',
          error: {
            message: 'boom',
            step: 'render',
            retryable: true,
            deadLettered: true,
          },
          finishedAt: later,
          updatedAt: later,
        });
        await tx.updateStep(run.id, 'render', {
          status: 'failed',
          error: 'boom',
          durationMs: 12,
        });
      });
      expect(await store.getRun(run.id)).toMatchObject({
        status: 'failed',
        error: {
          message: 'boom',
          step: 'render',
          retryable: true,
          deadLettered: true,
        },
        finishedAt: later,
      });
      await store.transaction(async tx => {
        await tx.updateRun(run.id, {
          status: 'queued',
          error: null,
          finishedAt: null,
          updatedAt: later,
        });
        await tx.resetUnfinishedSteps(run.id);
      });
      const reset = await store.getRun(run.id);
      expect(reset?.error).toBeUndefined();
      expect(reset?.finishedAt).toBeUndefined();
      expect(await store.getRunSteps(run.id)).toEqual([
        { id: 'render', title: 'Render', status: 'pending' },
      ]);
    });

    it('pages runs newest first with a keyset cursor and filters', async () => {
      const { store } = await createStore();
      const base = Date.parse('2026-01-01T00:00:00.000Z');
      const runs = Array.from({ length: 25 }, (_, i) =>
        makeRunRecord({
          // Two runs share each millisecond, so the id breaks ties.
          createdAt: new Date(base + Math.floor(i / 2)).toISOString(),
          status: i % 5 === 0 ? 'failed' : 'succeeded',
          requestedBy: i % 2 ? 'user:default/bob' : 'user:default/alice',
        }),
      );
      await store.transaction(async tx => {
        for (const run of runs) {
          await tx.insertRun(run, []);
        }
      });
      const expected = [...runs]
        .sort(
          (a, b) =>
            b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1),
        )
        .map(r => r.id);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listRuns({ limit: 10, cursor });
        seen.push(...page.items.map(r => r.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(expected);

      const failed = await store.listRuns({ limit: 100, status: ['failed'] });
      expect(failed.items.map(r => r.id).sort()).toEqual(
        runs
          .filter(r => r.status === 'failed')
          .map(r => r.id)
          .sort(),
      );
      expect(failed.nextCursor).toBeUndefined();

      const bobs = await store.listRuns({
        limit: 100,
        access: { requestedBy: ['user:default/bob'] },
      });
      expect(bobs.items).toHaveLength(12);
      const notBobs = await store.listRuns({
        limit: 100,
        access: { not: { anyOf: [{ requestedBy: ['user:default/bob'] }] } },
      });
      expect(notBobs.items).toHaveLength(13);
      await expect(
        store.listRuns({ limit: 10, cursor: 'garbage' }),
      ).rejects.toThrow(/cursor 'garbage' is not valid/);
    });

    it('reports name conflicts from provisioned entities and active runs, enforced by the database', async () => {
      const { store } = await createStore();
      const active = makeRunRecord({ name: 'payments-api', status: 'running' });
      await store.transaction(tx => tx.insertRun(active, []));
      await expect(
        store.findNameConflict(
          'component',
          'payments-api',
          'component:default/payments-api',
        ),
      ).resolves.toMatch(
        /run .* is already provisioning component 'payments-api' \(status running\)/,
      );

      const second = makeRunRecord({ name: 'payments-api', status: 'queued' });
      const error = await store
        .transaction(tx => tx.insertRun(second, []))
        .catch(e => e);
      expect(store.isActiveRunConflict(error)).toBe(true);
      // A rejected run does not claim the name.
      await store.transaction(tx =>
        tx.insertRun({ ...second, status: 'rejected' }, []),
      );

      await store.transaction(async tx => {
        await tx.updateRun(active.id, {
          status: 'succeeded',
          updatedAt: new Date().toISOString(),
        });
        await tx.recordProvisioned({
          kind: 'component',
          name: 'payments-api',
          system: 'payments',
          type: 'backend',
          owner: 'group:default/payments',
          entityRef: 'component:default/payments-api',
          blueprint: active.blueprint,
          repoUrl: 'file:///git/payments/payments-api.git',
          defaultBranch: 'main',
          runId: active.id,
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'payments-api' },
          },
          at: new Date().toISOString(),
        });
      });
      await expect(
        store.findNameConflict(
          'component',
          'payments-api',
          'component:default/payments-api',
        ),
      ).resolves.toMatch(/component 'payments-api' already exists/);
      await expect(
        store.findNameConflict(
          'system',
          'payments-api',
          'system:default/payments-api',
        ),
      ).resolves.toBeUndefined();
      expect(await store.listComponents({ system: 'payments' })).toEqual([
        expect.objectContaining({
          name: 'payments-api',
          type: 'backend',
          runId: active.id,
        }),
      ]);
      expect(await store.listProvisionedEntities()).toEqual([
        expect.objectContaining({
          kind: 'Component',
          metadata: { name: 'payments-api' },
        }),
      ]);
    });

    it('counts components per system', async () => {
      const { store } = await createStore();
      const at = new Date().toISOString();
      const blueprint = { name: 'b', version: '1.0.0', digest: 'sha256:x' };
      const entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: { name: 'pay' },
      };
      await store.transaction(async tx => {
        await tx.recordProvisioned({
          kind: 'system',
          name: 'pay',
          type: 'system',
          owner: 'group:default/a',
          entityRef: 'system:default/pay',
          blueprint,
          repoUrl: 'r',
          defaultBranch: 'main',
          runId: 'r1',
          entity,
          at,
        });
        for (const name of ['a1', 'a2']) {
          await tx.recordProvisioned({
            kind: 'component',
            name,
            system: 'pay',
            type: 'backend',
            owner: 'group:default/a',
            entityRef: `component:default/${name}`,
            blueprint,
            repoUrl: 'r',
            defaultBranch: 'main',
            runId: 'r2',
            entity,
            at,
          });
        }
      });
      expect(await store.listSystems()).toEqual([
        expect.objectContaining({ name: 'pay', componentCount: 2 }),
      ]);
      expect(await store.getSystem('pay')).toMatchObject({
        name: 'pay',
        componentCount: 2,
      });
      expect(await store.getSystem('nope')).toBeUndefined();
    });

    it('pages log lines by sequence', async () => {
      const { store } = await createStore();
      const run = makeRunRecord();
      await store.transaction(async tx => {
        await tx.insertRun(run, []);
        await tx.appendLogLines(
          run.id,
          [1, 2, 3].map(seq => ({
            seq,
            at: run.createdAt,
            level: 'info' as const,
            message: `m${seq}`,
          })),
        );
      });
      expect(await store.getRunLogs(run.id, { after: 1, limit: 1 })).toEqual({
        items: [{ seq: 2, at: run.createdAt, level: 'info', message: 'm2' }],
        lastSeq: 2,
      });
      expect(await store.getRunLogs(run.id, { after: 3, limit: 10 })).toEqual({
        items: [],
        lastSeq: 3,
      });
    });

    it('buffers out-of-order events once and hands them back by key', async () => {
      const { store } = await createStore();
      const run = makeRunRecord();
      await store.transaction(tx => tx.insertRun(run, []));
      const at = new Date().toISOString();
      await store.transaction(async tx => {
        await tx.bufferEvent(logEvent(run.id, 3), at);
        await tx.bufferEvent(logEvent(run.id, 3), at);
        await tx.bufferEvent(logEvent(run.id, 2, 1), at);
      });
      await store.transaction(async tx => {
        expect(
          await tx.takeBufferedEvent(run.id, {
            attempt: 1,
            delivery: 0,
            seq: 3,
          }),
        ).toMatchObject({ seq: 3 });
        expect(
          await tx.takeBufferedEvent(run.id, {
            attempt: 1,
            delivery: 0,
            seq: 3,
          }),
        ).toBeUndefined();
        await tx.bufferEvent(logEvent(run.id, 4), at);
        await tx.dropBufferedEventsBefore(run.id, {
          attempt: 1,
          delivery: 1,
          seq: 1,
        });
        expect(
          await tx.takeBufferedEvent(run.id, {
            attempt: 1,
            delivery: 0,
            seq: 4,
          }),
        ).toBeUndefined();
        expect(
          await tx.takeBufferedEvent(run.id, {
            attempt: 1,
            delivery: 1,
            seq: 2,
          }),
        ).toMatchObject({ delivery: 1 });
      });
    });

    it('prunes old log lines and buffered events, keeping runs, steps and history', async () => {
      const { store } = await createStore();
      const old = '2026-01-01T00:00:00.000Z';
      const recent = '2026-11-30T00:00:00.000Z';
      const run = makeRunRecord({ createdAt: old, status: 'succeeded' });
      await store.transaction(async tx => {
        await tx.insertRun(run, [{ id: 'render', title: 'Render files' }]);
        await tx.addTransition(run.id, {
          status: 'succeeded',
          at: old,
          actor: 'system:worker',
        });
        await tx.appendLogLines(run.id, [
          { seq: 1, at: old, level: 'info', message: 'old' },
          { seq: 2, at: recent, level: 'info', message: 'recent' },
        ]);
        await tx.bufferEvent(logEvent(run.id, 5), old);
        await tx.bufferEvent(logEvent(run.id, 6), recent);
      });

      expect(await store.pruneBefore('2026-06-01T00:00:00.000Z')).toEqual({
        logLines: 1,
        pendingEvents: 1,
      });
      expect(
        (await store.getRunLogs(run.id, { after: 0, limit: 10 })).items.map(
          l => l.message,
        ),
      ).toEqual(['recent']);
      await store.transaction(async tx => {
        expect(await tx.hasBufferedEvents(run.id)).toBe(true);
        expect(
          await tx.takeBufferedEvent(run.id, {
            attempt: 1,
            delivery: 0,
            seq: 5,
          }),
        ).toBeUndefined();
      });
      await expect(store.getRun(run.id)).resolves.toEqual(run);
      expect(await store.getRunSteps(run.id)).toHaveLength(1);
      expect(await store.getRunHistory(run.id)).toHaveLength(1);
      expect(await store.pruneBefore('2026-06-01T00:00:00.000Z')).toEqual({
        logLines: 0,
        pendingEvents: 0,
      });
    });

    it('lists running runs without a change since a time, oldest first', async () => {
      const { store } = await createStore();
      const stale = makeRunRecord({
        status: 'running',
        updatedAt: '2026-12-01T10:00:00.000Z',
      });
      const staler = makeRunRecord({
        status: 'running',
        updatedAt: '2026-12-01T09:00:00.000Z',
      });
      const fresh = makeRunRecord({
        status: 'running',
        updatedAt: '2026-12-01T11:00:00.000Z',
      });
      const queued = makeRunRecord({
        status: 'queued',
        updatedAt: '2026-12-01T09:00:00.000Z',
      });
      await store.transaction(async tx => {
        for (const run of [stale, staler, fresh, queued]) {
          await tx.insertRun(run, []);
        }
      });
      expect(
        await store.listStaleRunningRuns('2026-12-01T10:30:00.000Z', 10),
      ).toEqual([staler.id, stale.id]);
      expect(
        await store.listStaleRunningRuns('2026-12-01T10:30:00.000Z', 1),
      ).toEqual([staler.id]);
    });

    it('keeps dead letters, adds deaths of the same job to one, and purges them', async () => {
      const { store } = await createStore();
      const job = {
        queue: 'provisionhub.jobs',
        reason: 'first reason',
        kind: 'job',
        valid: true,
        runId: 'run-1',
        attempt: 3,
        bytes: 100,
        deaths: 1,
        firstDeathAt: '2026-12-01T10:00:00.000Z',
        lastDeathAt: '2026-12-01T10:00:00.000Z',
      };
      const id = await store.recordDeadLetter(job);
      expect(
        await store.recordDeadLetter({
          ...job,
          reason: 'second reason',
          deaths: 2,
          firstDeathAt: '2026-12-01T11:00:00.000Z',
          lastDeathAt: '2026-12-01T11:00:00.000Z',
        }),
      ).toBe(id);
      const otherAttempt = await store.recordDeadLetter({ ...job, attempt: 4 });
      const malformed = await store.recordDeadLetter({
        queue: 'provisionhub.requests',
        reason: 'body is not JSON',
        valid: false,
        bytes: 3,
        deaths: 1,
        firstDeathAt: '2026-12-01T12:00:00.000Z',
        lastDeathAt: '2026-12-01T12:00:00.000Z',
      });
      const listed = await store.listDeadLetters(10);
      expect(listed.total).toBe(3);
      expect(listed.items.map(d => d.id)).toEqual([
        malformed,
        id,
        otherAttempt,
      ]);
      expect(listed.items[1]).toEqual({
        ...job,
        id,
        reason: 'second reason',
        deaths: 3,
        lastDeathAt: '2026-12-01T11:00:00.000Z',
      });
      expect(listed.items[0]).toEqual({
        id: malformed,
        queue: 'provisionhub.requests',
        reason: 'body is not JSON',
        valid: false,
        bytes: 3,
        deaths: 1,
        firstDeathAt: '2026-12-01T12:00:00.000Z',
        lastDeathAt: '2026-12-01T12:00:00.000Z',
      });
      expect((await store.listDeadLetters(1)).items).toHaveLength(1);
      expect(await store.getDeadLetter(otherAttempt)).toMatchObject({
        attempt: 4,
      });

      expect(
        await store.transaction(tx => tx.deleteDeadLetter(otherAttempt)),
      ).toBe(true);
      expect(
        await store.transaction(tx => tx.deleteDeadLetter(otherAttempt)),
      ).toBe(false);
      expect(await store.purgeDeadLetters([malformed, 'unknown'])).toBe(1);
      expect(await store.purgeDeadLetters([])).toBe(0);
      expect(await store.purgeDeadLetters()).toBe(1);
      expect(await store.listDeadLetters(10)).toEqual({ items: [], total: 0 });
    });

    it('leases outbox rows so that two claimers never get the same row', async () => {
      const { store } = await createStore();
      const leased = new Date(Date.now() + 60_000).toISOString();
      const expired = new Date(Date.now() - 1).toISOString();
      const ids = await store.transaction(async tx => [
        await tx.enqueueOutbox({ topic: 'job', payload: { n: 1 } }),
        await tx.enqueueOutbox({
          topic: 'job',
          payload: { n: 2 },
          lease: { token: 'other', until: leased },
        }),
        await tx.enqueueOutbox({
          topic: 'run.cancel',
          payload: { n: 3 },
          lease: { token: 'crashed', until: expired },
        }),
      ]);
      const [first, second] = await Promise.all([
        store.claimOutbox({ token: 'a', leaseMs: 60_000, limit: 10 }),
        store.claimOutbox({ token: 'b', leaseMs: 60_000, limit: 10 }),
      ]);
      const claimed = [...first, ...second].map(e => e.id).sort();
      expect(claimed).toEqual([ids[0], ids[2]].sort());
      expect([...first, ...second].find(e => e.id === ids[2])).toMatchObject({
        topic: 'run.cancel',
        payload: { n: 3 },
      });

      await store.releaseOutbox(ids[0], 'broker unreachable');
      expect(
        (
          await store.claimOutbox({ token: 'c', leaseMs: 60_000, limit: 10 })
        ).map(e => [e.id, e.attempts]),
      ).toEqual([[ids[0], 1]]);
      await Promise.all(ids.map(id => store.deleteOutbox(id)));
      expect(await store.countOutbox()).toBe(0);
    });
  },
);
