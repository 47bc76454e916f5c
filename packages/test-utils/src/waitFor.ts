/**
 * Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`
 * with the last value it saw. For integration tests: no fixed sleeps.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) {
        return value as T;
      }
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${options.what ?? 'a condition'}; last result: ${
          last instanceof Error ? last.message : JSON.stringify(last)
        }`,
      );
    }
    await new Promise(r => setTimeout(r, options.intervalMs ?? 50));
  }
}

/** A promise with its resolve and reject exposed. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
