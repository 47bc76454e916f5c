import { ShortLivedCache } from './ShortLivedCache';

describe('ShortLivedCache', () => {
  afterEach(() => jest.useRealTimers());

  it('reuses an answer until it expires, shares it between concurrent callers, and forgets failures', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new ShortLivedCache<number>({ ttlMs: 1000 });
    let calls = 0;
    const compute = async () => ++calls;

    expect(
      await Promise.all([cache.get('a', compute), cache.get('a', compute)]),
    ).toEqual([1, 1]);
    jest.setSystemTime(999);
    expect(await cache.get('a', compute)).toBe(1);
    jest.setSystemTime(1000);
    expect(await cache.get('a', compute)).toBe(2);

    await expect(
      cache.get('b', async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(await cache.get('b', compute)).toBe(3);
    expect(await cache.get(undefined, compute)).toBe(4);
  });

  it('does not keep answers that `keep` refuses', async () => {
    const cache = new ShortLivedCache<string | undefined>({
      ttlMs: 60_000,
      keep: value => value !== undefined,
    });
    expect(await cache.get('x', async () => undefined)).toBeUndefined();
    expect(await cache.get('x', async () => 'found')).toBe('found');
    expect(await cache.get('x', async () => 'other')).toBe('found');
  });
});
