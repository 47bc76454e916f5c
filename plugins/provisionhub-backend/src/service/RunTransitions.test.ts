import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@provisionhub/test-utils';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunRecord } from '../database/RunStore';
import { makeRunRecord } from '../__testUtils__/runRecords';
import { OutboxRelay } from './OutboxRelay';
import { RunNotifier } from './RunNotifier';
import { RUN_STATUS_TRANSITIONS, RunTransitions } from './RunTransitions';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'RunTransitions on %p',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunStore.create({
        database: mockServices.database({ knex }),
      });
      const logger = mockServices.logger.mock();
      const relay = new OutboxRelay({
        store,
        logger,
        broker: {
          isConnected: () => true,
          publishJob: async () => {},
          publishCancel: async () => {},
        },
      });
      const notifier = new RunNotifier({
        logger,
        signals: { publish: async () => {} },
        notifications: { send: async () => {} },
        events: mockServices.events(),
        runPageUrl: id => `/provisionhub/runs/${id}`,
      });
      const transitions = new RunTransitions({
        store,
        relay,
        notifier,
        retry: { maxAttempts: 3, initialMs: 100, maxMs: 200 },
      });
      return { store, transitions };
    }

    function waiting(expiresAfterMs?: number): RunRecord {
      return makeRunRecord({
        status: 'awaiting_approval',
        policy: {
          decision: 'require-approval',
          rules: [
            {
              id: 'db',
              description: 'Databases',
              effect: 'require-approval',
              reason: 'databases',
            },
          ],
          approvers: {
            groups: ['group:default/platform'],
            count: 1,
            requirements: [
              {
                rule: 'db',
                groups: ['group:default/platform'],
                count: 1,
                ...(expiresAfterMs ? { expiresAfterMs } : {}),
              },
            ],
          },
        },
      });
    }

    async function create(transitions: RunTransitions, run: RunRecord) {
      return transitions.create(run, [], {
        requested: {
          status: 'requested',
          at: run.createdAt,
          actor: run.requestedBy,
        },
        decided: {
          status: run.status,
          at: run.createdAt,
          actor: 'system:policy',
        },
      });
    }

    it('finds runs whose wait for approval ended and rejects each once, with the rule', async () => {
      const { store, transitions } = await setup();
      const expiring = await create(transitions, waiting(60_000));
      const forever = await create(transitions, waiting());
      expect(expiring.approvalExpiresAt).toBe(
        new Date(Date.parse(expiring.createdAt) + 60_000).toISOString(),
      );
      const later = new Date(Date.parse(expiring.createdAt) + 61_000);

      expect(
        await store.listExpiredApprovals(new Date().toISOString(), 10),
      ).toEqual([]);
      expect(await store.listExpiredApprovals(later.toISOString(), 10)).toEqual(
        [expiring.id],
      );
      expect(await transitions.expire(expiring.id, later)).toBe(true);
      expect(await transitions.expire(expiring.id, later)).toBe(false);
      expect(await transitions.expire(forever.id, later)).toBe(false);

      expect(await store.getRun(expiring.id)).toMatchObject({
        status: 'rejected',
        rejectionReason: expect.stringMatching(
          /^approval expired: nobody approved the run by .* \(rule db\)$/,
        ),
      });
      expect((await store.getRunHistory(expiring.id)).at(-1)).toMatchObject({
        status: 'rejected',
        actor: 'system:policy',
      });
      expect(await store.listExpiredApprovals(later.toISOString(), 10)).toEqual(
        [],
      );
    });

    it('refuses status changes the table does not allow', async () => {
      const { transitions } = await setup();
      const done = await create(
        transitions,
        makeRunRecord({ status: 'succeeded' as const }),
      );
      expect(RUN_STATUS_TRANSITIONS.succeeded).toEqual([]);
      await expect(
        transitions.cancel(done.id, 'user:default/alice'),
      ).rejects.toThrow(
        `run ${done.id} is succeeded; only awaiting_approval, queued, running runs can be cancelled`,
      );
      await expect(
        transitions.retry(done.id, 'user:default/alice'),
      ).rejects.toThrow('only failed or cancelled runs can be retried');
    });

    it('recovers a run without progress once: the next attempt while attempts remain, then failed; a run that changed meanwhile is left alone', async () => {
      const { store, transitions } = await setup();
      const startedAt = '2026-12-01T10:00:00.000Z';
      const stuck = await create(
        transitions,
        makeRunRecord({
          status: 'running',
          attempt: 1,
          maxAttempt: 2,
          startedAt,
          updatedAt: startedAt,
        }),
      );
      const thirtyMinutes = 30 * 60_000;
      // Changed less than the timeout ago (e.g. an event arrived after the scheduler listed it).
      const tooEarly = new Date(Date.parse(startedAt) + thirtyMinutes - 1);
      expect(
        await transitions.recoverStuck(stuck.id, thirtyMinutes, tooEarly),
      ).toBeUndefined();

      const later = new Date(Date.parse(startedAt) + thirtyMinutes + 1);
      expect(
        await transitions.recoverStuck(stuck.id, thirtyMinutes, later),
      ).toBe('retried');
      expect(await store.getRun(stuck.id)).toMatchObject({
        status: 'queued',
        attempt: 2,
      });
      expect((await store.getRunHistory(stuck.id)).at(-1)).toMatchObject({
        actor: 'system:stuck-runs',
        reason:
          'no progress for 30 minutes; attempt 2 of 2 resumes at the first unfinished step',
      });
      expect(
        await transitions.recoverStuck(stuck.id, thirtyMinutes, later),
      ).toBeUndefined();

      await store.transaction(async tx => {
        await tx.updateRun(stuck.id, {
          status: 'running',
          updatedAt: startedAt,
        });
      });
      expect(await transitions.recoverStuck(stuck.id, 90_000, later)).toBe(
        'failed',
      );
      expect(await store.getRun(stuck.id)).toMatchObject({
        status: 'failed',
        error: {
          message: 'no progress for 90 seconds',
          retryable: true,
          deadLettered: false,
        },
      });
    });
  },
);
