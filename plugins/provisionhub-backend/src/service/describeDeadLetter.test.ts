import { describeDeadLetter } from './describeDeadLetter';

const received = new Date('2026-12-02T08:00:00.000Z');
const job = {
  kind: 'job',
  version: 1,
  runId: '6f1c1b9e-0000-4000-8000-000000000001',
  attempt: 3,
};

function raw(content: string | Buffer, headers?: unknown) {
  return {
    content: Buffer.isBuffer(content) ? content : Buffer.from(content),
    properties: { headers },
  };
}

describe('describeDeadLetter', () => {
  it('describes a message a consumer dead-lettered, ignoring the delay queues it passed through', () => {
    const record = describeDeadLetter(
      raw(JSON.stringify(job), {
        'x-provisionhub-reason': 'push failed: remote unreachable',
        'x-provisionhub-queue': 'provisionhub.jobs',
        'x-provisionhub-dead-lettered-at': '2026-12-02T07:59:00.000Z',
        'x-death': [
          {
            queue: 'provisionhub.jobs.delay.200ms',
            reason: 'expired',
            count: 2,
            time: 1764662000,
          },
        ],
      }),
      received,
    );
    expect(record).toEqual({
      queue: 'provisionhub.jobs',
      reason: 'push failed: remote unreachable',
      kind: 'job',
      // Not a complete job message (no blueprint): only its identity is read.
      valid: false,
      runId: job.runId,
      attempt: 3,
      bytes: JSON.stringify(job).length,
      deaths: 1,
      firstDeathAt: '2026-12-02T07:59:00.000Z',
      lastDeathAt: '2026-12-02T07:59:00.000Z',
    });
  });

  it('describes what the broker dead-lettered with its deaths and their times', () => {
    const record = describeDeadLetter(
      raw(JSON.stringify(job), {
        'x-first-death-queue': 'provisionhub.jobs',
        'x-death': [
          {
            queue: 'provisionhub.jobs',
            reason: 'delivery_limit',
            count: 2,
            time: new Date('2026-12-02T07:00:00.000Z'),
          },
          {
            queue: 'provisionhub.jobs',
            reason: 'rejected',
            count: 1,
            time: Date.parse('2026-12-02T06:00:00.000Z') / 1000,
          },
        ],
      }),
      received,
    );
    expect(record).toMatchObject({
      queue: 'provisionhub.jobs',
      reason:
        'the broker dead-lettered it from provisionhub.jobs (delivery_limit, 2 time(s))',
      deaths: 3,
      firstDeathAt: '2026-12-02T06:00:00.000Z',
      lastDeathAt: '2026-12-02T07:00:00.000Z',
    });
  });

  it('describes malformed bodies and headers without throwing', () => {
    for (const [content, headers] of [
      [Buffer.from([0xff, 0xfe, 0x00]), undefined],
      ['not json', { 'x-death': 'not a list', 'x-provisionhub-reason': 42 }],
      ['[1,2]', { 'x-death': [null, 7, { time: 'yesterday' }] }],
      [
        JSON.stringify({
          kind: 'x'.repeat(500),
          runId: { $gt: '' },
          attempt: 1.5,
        }),
        null,
      ],
    ] as Array<[string | Buffer, unknown]>) {
      const record = describeDeadLetter(raw(content, headers), received);
      expect(record).toMatchObject({
        valid: false,
        kind: undefined,
        runId: undefined,
        attempt: undefined,
        firstDeathAt: expect.any(String),
        lastDeathAt: expect.any(String),
      });
      expect(record.deaths).toBeGreaterThan(0);
      expect(typeof record.reason).toBe('string');
      expect(typeof record.queue).toBe('string');
    }
    expect(
      describeDeadLetter(raw('not json', undefined), received),
    ).toMatchObject({
      queue: 'unknown',
      reason: 'no reason recorded',
      bytes: 8,
      deaths: 1,
      firstDeathAt: received.toISOString(),
    });
  });
});
