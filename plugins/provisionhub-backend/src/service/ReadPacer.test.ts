import { ReadPacer, TooManyReadsError } from './ReadPacer';

describe('ReadPacer', () => {
  it('lets a burst of twice the rate through, then spaces reads out to the rate', () => {
    let now = 1_000_000;
    const pacer = new ReadPacer({ perSecond: 10, now: () => now });
    const waits = Array.from({ length: 23 }, () => pacer.reserve('user:a'));
    expect(waits.slice(0, 20)).toEqual(Array(20).fill(0));
    expect(waits.slice(20)).toEqual([100, 200, 300]);

    // Another caller has a schedule of its own.
    expect(pacer.reserve('user:b')).toBe(0);

    // Once the caller has been quiet long enough, its burst is back.
    now += 5000;
    expect(pacer.reserve('user:a')).toBe(0);
  });

  it('refuses a read that would wait more than 5 s, naming the setting, and books nothing for it', () => {
    const now = 1_000_000;
    const pacer = new ReadPacer({ perSecond: 1, now: () => now });
    const waits: number[] = [];
    let refused: unknown;
    for (let i = 0; i < 10 && !refused; i++) {
      try {
        waits.push(pacer.reserve('user:a'));
      } catch (error) {
        refused = error;
      }
    }
    expect(waits).toEqual([0, 0, 1000, 2000, 3000, 4000, 5000]);
    expect(refused).toBeInstanceOf(TooManyReadsError);
    expect((refused as TooManyReadsError).retryAfterSeconds).toBe(6);
    expect((refused as Error).message).toMatch(
      /provisionhub\.runs\.readsPerSecond/,
    );
    expect(() => pacer.reserve('user:a')).toThrow(TooManyReadsError);
  });

  it('waits for the turn it booked', async () => {
    jest.useFakeTimers();
    try {
      const pacer = new ReadPacer({ perSecond: 20 });
      await Promise.all(Array.from({ length: 40 }, () => pacer.pace('user:a')));
      let done = false;
      const next = pacer.pace('user:a').then(() => {
        done = true;
      });
      await jest.advanceTimersByTimeAsync(49);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await next;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
