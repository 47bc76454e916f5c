import { makeRun } from '../__testUtils__/fakes';
import { formatDuration, runDurationMs } from './format';

describe('formatDuration', () => {
  it.each([
    [undefined, '—'],
    [-1, '—'],
    [250, '250 ms'],
    [1500, '1.5 s'],
    [42_000, '42 s'],
    [185_000, '3 min 5 s'],
    [3_720_000, '1 h 2 min'],
  ])('formats %p as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('runDurationMs', () => {
  it('measures from start to finish, or to now while running', () => {
    const run = makeRun({
      startedAt: '2026-11-27T10:00:00.000Z',
      finishedAt: '2026-11-27T10:00:03.000Z',
    });
    expect(runDurationMs(run)).toBe(3000);
    const running = makeRun({
      startedAt: '2026-11-27T10:00:00.000Z',
      finishedAt: undefined,
    });
    expect(runDurationMs(running)).toBeUndefined();
    expect(runDurationMs(running, Date.parse('2026-11-27T10:00:10.000Z'))).toBe(
      10000,
    );
  });

  it('falls back to the request time for runs that never started', () => {
    const run = makeRun({
      createdAt: '2026-11-27T10:00:00.000Z',
      startedAt: undefined,
      finishedAt: '2026-11-27T10:00:01.000Z',
      status: 'rejected',
    });
    expect(runDurationMs(run)).toBe(1000);
  });
});
