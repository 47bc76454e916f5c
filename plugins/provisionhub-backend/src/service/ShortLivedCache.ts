/**
 * Remembers answers for a short time, per key: e.g. a caller's permission decisions on a run, so
 * a page or script that polls it does not cost a permission round trip per request.
 * @internal
 */
export class ShortLivedCache<T> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { value: Promise<T>; until: number }>();

  readonly #keep: (value: T) => boolean;

  /** @param options.keep - whether an answer is worth remembering (default: every answer) */
  constructor(options: {
    ttlMs: number;
    maxEntries?: number;
    keep?: (value: T) => boolean;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#keep = options.keep ?? (() => true);
  }

  /**
   * The remembered answer for `key`, or `compute()`'s (shared by concurrent callers; a failure,
   * or an answer `keep` refuses, is not remembered).
   */
  get(key: string | undefined, compute: () => Promise<T>): Promise<T> {
    if (key === undefined || this.#ttlMs <= 0) {
      return compute();
    }
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.until > now) {
      return hit.value;
    }
    if (this.#entries.size >= this.#maxEntries) {
      this.#evictExpired(now);
    }
    const value = compute();
    this.#entries.set(key, { value, until: now + this.#ttlMs });
    value.then(
      answer => {
        if (!this.#keep(answer)) {
          this.#entries.delete(key);
        }
      },
      () => this.#entries.delete(key),
    );
    return value;
  }

  #evictExpired(now: number) {
    for (const [key, entry] of this.#entries) {
      if (entry.until <= now) {
        this.#entries.delete(key);
      }
    }
    // Still full: start over rather than grow without bound.
    if (this.#entries.size >= this.#maxEntries) {
      this.#entries.clear();
    }
  }
}
