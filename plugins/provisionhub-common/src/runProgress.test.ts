import {
  RunProgress,
  describeRunFailure,
  readRunLogLines,
  runPageUrl,
} from './runProgress';
import type { Run, RunLogLine, RunStep } from './types';

const ID = '0b1c9a52-7d7e-4a43-9a36-0f5c1bd0a111';

function run(status: Run['status'], steps: RunStep[] = []): Run {
  return {
    id: ID,
    kind: 'component',
    name: 'payments-api',
    owner: 'group:default/payments',
    system: 'payments',
    entityRef: 'component:default/payments-api',
    blueprint: { name: 'node-backend', version: '1.1.0', digest: 'sha256:0' },
    values: {},
    status,
    requestedBy: 'user:default/ada',
    attempt: 1,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    steps,
  };
}

function line(seq: number, at: string, step: string, message: string) {
  return {
    seq,
    at: `2026-01-01T10:00:${at}Z`,
    step,
    level: 'info',
    message,
  } as RunLogLine;
}

describe('RunProgress', () => {
  it('tells each change once, with a step start before its lines and its end after them', () => {
    const progress = new RunProgress();
    expect(progress.update(run('queued'), []).map(e => e.message)).toEqual([
      `Run ${ID} is queued for a worker`,
    ]);

    // The run's status change comes first, whatever its time says.
    const running = run('running', [
      {
        id: 'render',
        title: 'Render files',
        status: 'succeeded',
        startedAt: '2026-01-01T10:00:02.000Z',
        finishedAt: '2026-01-01T10:00:02.100Z',
        durationMs: 100,
      },
      {
        id: 'push',
        title: 'Commit and push',
        status: 'running',
        startedAt: '2026-01-01T10:00:02.200Z',
      },
    ]);
    const entries = progress.update(running, [
      line(1, '02.050', 'render', 'rendered 12 files'),
      line(2, '03.000', 'push', 'pushing to payments/payments-api'),
    ]);
    expect(entries.map(e => [e.phase, e.message])).toEqual([
      ['runStart', `Run ${ID} is running (attempt 1)`],
      ['log', '[render] rendered 12 files'],
      ['stepEnd', 'Step "Render files" (render) succeeded in 100 ms'],
      ['stepStart', 'Step "Commit and push" (push) started'],
      ['log', '[push] pushing to payments/payments-api'],
    ]);
    expect(progress.lastSeq).toBe(2);

    // Nothing new: nothing told; a line seen before is not told again.
    expect(
      progress.update(running, [line(2, '03.000', 'push', 'again')]),
    ).toEqual([]);
  });

  it('reports a failed step as an error and the run end last', () => {
    const progress = new RunProgress();
    progress.update(run('running'), []);
    const entries = progress.update(
      {
        ...run('failed', [
          {
            id: 'push',
            title: 'Commit and push',
            status: 'failed',
            finishedAt: '2026-01-01T10:00:09.000Z',
            error: 'remote rejected the push',
          },
        ]),
        // Stamped by another clock, before the step's end: the run still ends last.
        updatedAt: '2026-01-01T10:00:01.000Z',
      },
      [],
    );
    expect(entries.map(e => [e.level, e.message])).toEqual([
      [
        'error',
        'Step "Commit and push" (push) failed: remote rejected the push',
      ],
      ['error', `Run ${ID} failed`],
    ]);
  });
});

describe('describeRunFailure', () => {
  it('says why a run did not succeed and what can be done', () => {
    expect(
      describeRunFailure({
        ...run('failed'),
        error: {
          message: 'remote rejected the push',
          step: 'push',
          retryable: true,
          deadLettered: true,
        },
      }),
    ).toBe(
      `Run ${ID} failed at step push: remote rejected the push (the job was dead-lettered; an operator can retry it; the failure looks transient, a retry may succeed)`,
    );
    expect(
      describeRunFailure({
        ...run('rejected'),
        rejectionReason: 'denied because rule capacity-review: too big',
      }),
    ).toBe(
      `Run ${ID} was rejected: denied because rule capacity-review: too big`,
    );
    expect(
      describeRunFailure({
        ...run('cancelled'),
        history: [
          {
            status: 'cancelled',
            at: '2026-01-01T10:00:00.000Z',
            actor: 'user:default/ada',
            reason: 'wrong name',
          },
        ],
      }),
    ).toBe(`Run ${ID} was cancelled by user:default/ada: wrong name`);
    expect(describeRunFailure(run('succeeded'))).toBeUndefined();
    expect(describeRunFailure(run('running'))).toBeUndefined();
  });
});

describe('readRunLogLines', () => {
  it('reads page after page until the last line', async () => {
    const all = Array.from({ length: 1203 }, (_, i) =>
      line(i + 1, '01.000', 'render', `line ${i + 1}`),
    );
    const asked: number[] = [];
    const lines = await readRunLogLines(
      {
        getRunLogs: async (_id, { after = 0, limit = 500 } = {}) => {
          asked.push(after);
          const items = all.filter(l => l.seq > after).slice(0, limit);
          return { items, lastSeq: items.at(-1)?.seq ?? after };
        },
      },
      ID,
      3,
    );
    expect(lines.map(l => l.seq)).toEqual(all.slice(3).map(l => l.seq));
    expect(asked).toEqual([3, 503, 1003]);
  });
});

describe('runPageUrl', () => {
  it('links the run page of the portal', () => {
    expect(runPageUrl('https://portal.example.com/', ID)).toBe(
      `https://portal.example.com/provisionhub/runs/${ID}`,
    );
  });

  it('follows the configured route and keeps the base path of the portal', () => {
    expect(
      runPageUrl(
        'https://example.com/backstage',
        'a b',
        '/self-service/runs/:id/details',
      ),
    ).toBe('https://example.com/backstage/self-service/runs/a%20b/details');
  });

  it('gives the path alone without a base URL', () => {
    expect(runPageUrl('', ID)).toBe(`/provisionhub/runs/${ID}`);
  });
});
