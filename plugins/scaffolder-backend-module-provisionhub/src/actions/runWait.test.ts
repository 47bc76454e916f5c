import { mockCredentials } from '@backstage/backend-test-utils';
import { randomUUID } from 'node:crypto';
import type { RunRequestedMessage } from '@provisionhub/plugin-provisionhub-common';
import { RecordingLogger } from '../__testUtils__/RecordingLogger';
import {
  APP_BASE_URL,
  createTestContext,
  useActionsHarness,
} from '../__testUtils__/useActionsHarness';
import { createComponentCreateAction } from './componentCreate';
import { createRunWaitAction } from './runWait';

function requested(runId = randomUUID()): RunRequestedMessage {
  return {
    kind: 'run.requested',
    version: 1,
    runId,
    requestedBy: 'user:default/alice',
    requestedAt: new Date().toISOString(),
    request: {
      kind: 'component',
      name: 'payments-api',
      owner: 'group:default/payments-team',
      system: 'payments',
      blueprint: 'node-backend',
      version: '1.1.0',
      values: { description: 'Takes payments' },
    },
  };
}

/** A task log that does something when a line appears: the tests' way to act "meanwhile". */
class ReactingLogger extends RecordingLogger {
  constructor(private readonly react: (message: string) => void) {
    super();
  }
  info(message: string) {
    super.info(message);
    this.react(message);
  }
}

describe('provisionhub:run:wait', () => {
  const harness = useActionsHarness();

  it('writes the run, its steps and its log lines into the task log, in order', async () => {
    const message = requested();
    harness.api.accept(message);
    const { ctx, logger } = createTestContext({ runId: message.runId });

    await createRunWaitAction(harness.options).handler(ctx);

    const id = message.runId;
    const step = (title: string, stepId: string) => [
      `Step "${title}" (${stepId}) started`,
      `[${stepId}] working on ${title.toLocaleLowerCase('en-US')}`,
      `Step "${title}" (${stepId}) succeeded in 5 ms`,
    ];
    expect(logger.messages()).toEqual([
      `Following run ${id}: ${APP_BASE_URL}/provisionhub/runs/${id}`,
      `Run ${id} is queued for a worker`,
      `Run ${id} is running (attempt 1)`,
      ...step('Fetch blueprint', 'fetch-blueprint'),
      ...step('Render files', 'render'),
      ...step('Create repository', 'create-repository'),
      ...step('Commit and push', 'push'),
      ...step('Report result', 'report'),
      `Run ${id} succeeded`,
    ]);
  });

  it("keeps a step's log lines between its start and its end when the clocks disagree", async () => {
    const message = requested();
    harness.api.accept(message);
    const run = await harness.api.getRun(message.runId);
    const t0 = Date.parse(run.updatedAt);
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    // The step's end was stamped before its last log line, the run's end before both.
    harness.api.getRun = async () => ({
      ...run,
      status: 'succeeded',
      steps: [
        {
          id: 'render',
          title: 'Render files',
          status: 'succeeded',
          startedAt: at(50),
          finishedAt: at(100),
          durationMs: 50,
        },
      ],
    });
    harness.api.getRunLogs = async () => ({
      items: [
        {
          seq: 1,
          at: at(40),
          step: 'render',
          level: 'info',
          message: 'rendering',
        },
        {
          seq: 2,
          at: at(150),
          step: 'render',
          level: 'info',
          message: 'rendered 3 files',
        },
      ],
      lastSeq: 2,
    });
    const { ctx, logger } = createTestContext({ runId: message.runId });

    await createRunWaitAction(harness.options).handler(ctx);

    expect(logger.messages().slice(1)).toEqual([
      '[render] rendering',
      '[render] rendered 3 files',
      'Step "Render files" (render) succeeded in 50 ms',
      `Run ${message.runId} succeeded`,
    ]);
  });

  it('fails with the error and says whether the job was dead-lettered', async () => {
    const message = requested();
    harness.api.accept(message);
    harness.api.outcome = {
      type: 'fail',
      step: 'push',
      error: 'remote rejected the push',
      deadLettered: true,
    };
    const { ctx, logger, outputs } = createTestContext({
      runId: message.runId,
    });

    await expect(
      createRunWaitAction(harness.options).handler(ctx),
    ).rejects.toThrow(
      `Run ${message.runId} failed at step push: remote rejected the push (the job was dead-lettered; an operator can retry it). ` +
        `Details: ${APP_BASE_URL}/provisionhub/runs/${message.runId}`,
    );
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        {
          level: 'error',
          message:
            'Step "Commit and push" (push) failed: remote rejected the push',
        },
        { level: 'error', message: '[push] remote rejected the push' },
        { level: 'error', message: `Run ${message.runId} failed` },
      ]),
    );
    expect(outputs()).toEqual({});
  });

  it('fails with the rejection reason', async () => {
    const message = requested();
    harness.api.accept(message);
    harness.api.outcome = {
      type: 'reject',
      reason: "the name 'payments-api' is taken in system payments",
    };
    const { ctx } = createTestContext({ runId: message.runId });

    await expect(
      createRunWaitAction(harness.options).handler(ctx),
    ).rejects.toThrow(
      `Run ${message.runId} was rejected: the name 'payments-api' is taken in system payments.`,
    );
  });

  it('cancels the run when the task is cancelled', async () => {
    const message = requested();
    harness.api.accept(message);
    harness.api.outcome = { type: 'never' };
    const controller = new AbortController();
    const logger = new ReactingLogger(line => {
      if (line.includes('started')) {
        controller.abort();
      }
    });
    const { ctx } = createTestContext(
      { runId: message.runId },
      { signal: controller.signal, logger },
    );

    await expect(
      createRunWaitAction(harness.options).handler(ctx),
    ).rejects.toThrow(
      `The task was cancelled, so run ${message.runId} was cancelled as well`,
    );
    expect(harness.api.calls).toContain(`cancelRun ${message.runId}`);
    expect((await harness.api.getRun(message.runId)).status).toBe('cancelled');
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: `Task cancelled: cancelled run ${message.runId} (now cancelled)`,
    });
  });

  it('stops waiting after the timeout and says that the run keeps going', async () => {
    const message = requested();
    harness.api.accept(message);
    harness.api.outcome = { type: 'never' };
    const { ctx } = createTestContext({
      runId: message.runId,
      timeoutMinutes: 0.001,
    });

    await expect(
      createRunWaitAction(harness.options).handler(ctx),
    ).rejects.toThrow(
      `Run ${message.runId} did not end within 0.001 minute(s) (it is running); this step stops waiting but the run keeps going: ` +
        `follow it at ${APP_BASE_URL}/provisionhub/runs/${message.runId}`,
    );
    expect(harness.api.calls).not.toContain(`cancelRun ${message.runId}`);
  });

  it('waits for a run the control plane has not taken off the queue yet', async () => {
    const message = requested();
    const logger = new ReactingLogger(line => {
      if (line.includes('not known to the control plane yet')) {
        harness.api.accept(message);
      }
    });
    const { ctx, outputs } = createTestContext(
      { runId: message.runId },
      { logger },
    );

    await createRunWaitAction(harness.options).handler(ctx);

    expect(outputs().status).toBe('succeeded');
    expect(logger.messages()[1]).toBe(
      `Run ${message.runId} is not known to the control plane yet; waiting for it to take the request off the queue`,
    );
  });

  it('reads the run as the initiator, so the control plane checks their provisionhub.run.read', async () => {
    const message = requested();
    harness.api.accept(message);
    const initiator = mockCredentials.user('user:default/grace');
    const { ctx } = createTestContext(
      { runId: message.runId },
      { getInitiatorCredentials: async () => initiator },
    );

    await createRunWaitAction(harness.options).handler(ctx);

    expect(harness.api.callers).toEqual([initiator]);
  });

  it('rejects a run id that is not a UUID', async () => {
    const { ctx } = createTestContext({ runId: '' });

    await expect(
      createRunWaitAction(harness.options).handler(ctx),
    ).rejects.toThrow(
      'Invalid input: /runId must be the UUID of a run, got ""',
    );
  });

  it('does nothing in a dry run, where no run was requested', async () => {
    const { ctx, outputs } = createTestContext(
      { runId: '' },
      { isDryRun: true },
    );

    await createRunWaitAction(harness.options).handler(ctx);

    expect(outputs()).toEqual({});
    expect(harness.api.calls).toEqual([]);
  });

  it('lets a create step wait as well: wait: true', async () => {
    const { ctx, outputs } = createTestContext({
      name: 'payments-api',
      owner: 'group:default/payments-team',
      system: 'payments',
      blueprint: 'node-backend',
      values: { description: 'Takes payments' },
      wait: true,
    });
    harness.api.outcome = {
      type: 'reject',
      reason: 'system payments does not exist',
    };

    await expect(
      createComponentCreateAction(harness.options).handler(ctx),
    ).rejects.toThrow('was rejected: system payments does not exist');
    // The request was published (and taken by the control plane) before the run was rejected.
    expect(harness.api.accepted).toHaveLength(1);
    expect(outputs().runId).toBe(harness.api.accepted[0].runId);
  });
});
