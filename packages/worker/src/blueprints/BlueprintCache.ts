import type { BlueprintFile } from '@provisionhub/plugin-provisionhub-node';

/**
 * Blueprint files by content digest, least recently used first out. A digest names exact bytes,
 * so an entry is never stale; the bounds keep a long-lived worker's memory flat.
 * @public
 */
export class BlueprintCache {
  readonly #entries = new Map<
    string,
    { files: BlueprintFile[]; bytes: number }
  >();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(options: { maxEntries: number; maxBytes?: number }) {
    this.#maxEntries = options.maxEntries;
    this.#maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
  }

  get(digest: string): BlueprintFile[] | undefined {
    const entry = this.#entries.get(digest);
    if (entry) {
      this.#entries.delete(digest);
      this.#entries.set(digest, entry);
    }
    return entry?.files;
  }

  set(digest: string, files: BlueprintFile[]): void {
    const bytes = files.reduce(
      (sum, f) => sum + f.content.length + f.path.length,
      0,
    );
    if (
      this.#maxEntries === 0 ||
      bytes > this.#maxBytes ||
      this.#entries.has(digest)
    ) {
      return;
    }
    this.#entries.set(digest, { files, bytes });
    this.#bytes += bytes;
    while (
      this.#entries.size > this.#maxEntries ||
      this.#bytes > this.#maxBytes
    ) {
      const [oldest, entry] = this.#entries.entries().next().value!;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
