import { BlueprintCache } from './BlueprintCache';

const files = (bytes: number) => [
  { path: 'f', content: Buffer.alloc(bytes), executable: false },
];

describe('BlueprintCache', () => {
  it('keeps the most recently used digests within the entry bound', () => {
    const cache = new BlueprintCache({ maxEntries: 2 });
    cache.set('a', files(1));
    cache.set('b', files(1));
    expect(cache.get('a')).toBeDefined();
    cache.set('c', files(1));
    expect(
      [cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean),
    ).toEqual([true, false, true]);
  });

  it('keeps the total size within the byte bound, and skips what alone is too large', () => {
    const cache = new BlueprintCache({ maxEntries: 10, maxBytes: 100 });
    cache.set('a', files(40));
    cache.set('b', files(40));
    cache.set('c', files(40));
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    cache.set('huge', files(500));
    expect(cache.get('huge')).toBeUndefined();
  });
});
