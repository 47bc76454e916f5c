/** A caller whose reads would wait longer than this gets 429 instead. */
const MAX_WAIT_MS = 5000;

/**
 * The error for a read that would wait too long: Backstage's error handler answers it with its
 * `statusCode`, 429; the route adds `Retry-After`.
 */
export class TooManyReadsError extends Error {
  readonly statusCode = 429;
  readonly retryAfterSeconds: number;

  constructor(perSecond: number, waitMs: number) {
    super(
      `too many reads of runs: one caller may read ${perSecond} a second (provisionhub.runs.readsPerSecond); follow the run's signals, send If-None-Match, or poll less often`,
    );
    this.name = 'TooManyReadsError';
    this.retryAfterSeconds = Math.ceil(waitMs / 1000);
  }
}

/**
 * Spaces out each caller's reads to `perSecond` (bursts of twice that pass at once): a read
 * beyond the rate waits its turn — pollers that wait for each answer then ask less often, so
 * reads cannot take the CPU that applying run events needs. A read that would wait longer than
 * 5 s is refused with {@link TooManyReadsError}. (A generic cell rate algorithm: one timestamp
 * per caller.)
 * @internal
 */
export class ReadPacer {
  readonly #perSecond: number;
  readonly #intervalMs: number;
  readonly #burstMs: number;
  readonly #maxCallers: number;
  /** Per caller: when its schedule is free again. */
  readonly #freeAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: {
    perSecond: number;
    maxCallers?: number;
    now?: () => number;
  }) {
    this.#perSecond = options.perSecond;
    this.#intervalMs = 1000 / options.perSecond;
    this.#burstMs = 2 * options.perSecond * this.#intervalMs;
    this.#maxCallers = options.maxCallers ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * How long `caller`'s read has to wait, booking its slot; throws {@link TooManyReadsError}
   * (booking nothing) when that is longer than 5 s.
   */
  reserve(caller: string): number {
    const now = this.#now();
    const freeAt = Math.max(this.#freeAt.get(caller) ?? now, now);
    const waitMs = Math.max(0, freeAt - this.#burstMs + this.#intervalMs - now);
    if (waitMs > MAX_WAIT_MS) {
      throw new TooManyReadsError(this.#perSecond, waitMs);
    }
    if (this.#freeAt.size >= this.#maxCallers) {
      this.#forgetIdle(now);
    }
    this.#freeAt.set(caller, freeAt + this.#intervalMs);
    return waitMs;
  }

  /** Waits for `caller`'s turn; see {@link ReadPacer.reserve}. */
  async pace(caller: string): Promise<void> {
    const waitMs = this.reserve(caller);
    if (waitMs > 0) {
      await new Promise(resolve => setTimeout(resolve, waitMs));
    }
  }

  #forgetIdle(now: number) {
    for (const [caller, freeAt] of this.#freeAt) {
      if (freeAt <= now) {
        this.#freeAt.delete(caller);
      }
    }
  }
}
