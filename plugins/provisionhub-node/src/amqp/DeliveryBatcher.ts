/**
 * Groups deliveries that arrive while the previous group is being handled, so a consumer can
 * handle many messages in one go (one database transaction) instead of one at a time. Groups
 * are handled one after another, in delivery order.
 *
 * When a group fails, each of its messages is handled again on its own, so one message that
 * cannot be handled fails alone (its delivery is requeued) and the rest succeed.
 * @internal
 */
export class DeliveryBatcher<T> {
  readonly #handle: (items: T[]) => Promise<void>;
  readonly #maxBatch: number;
  readonly #waiting: Array<{
    item: T;
    resolve(): void;
    reject(error: unknown): void;
  }> = [];
  #pumping = false;

  constructor(handle: (items: T[]) => Promise<void>, maxBatch: number) {
    this.#handle = handle;
    this.#maxBatch = Math.max(1, maxBatch);
  }

  /** Resolves once `item` was handled (as part of a group), rejects when it could not be. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#pumping) {
        this.#pumping = true;
        // Let every delivery that already arrived join the first group.
        setImmediate(() => void this.#pump());
      }
    });
  }

  async #pump() {
    try {
      while (this.#waiting.length) {
        const group = this.#waiting.splice(0, this.#maxBatch);
        try {
          await this.#handle(group.map(entry => entry.item));
          group.forEach(entry => entry.resolve());
        } catch {
          for (const entry of group) {
            try {
              await this.#handle([entry.item]);
              entry.resolve();
            } catch (error) {
              entry.reject(error);
            }
          }
        }
      }
    } finally {
      this.#pumping = false;
    }
  }
}
