import type { ArgoCdApplicationStatus } from '@provisionhub/plugin-provisionhub-common';

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_CACHE_TTL_MS = 5000;

/**
 * How {@link ArgoCdClient} reaches Argo CD; {@link readArgoCdConfig} reads it from
 * `provisionhub.argocd`.
 * @internal
 */
export interface ArgoCdClientOptions {
  /** Argo CD's address, e.g. `https://argocd.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** An Argo CD API token, sent as `Authorization: Bearer <token>`; never logged or reported. */
  token: string;
  /** How long one request may take before it counts as unanswered. Default 3000. */
  timeoutMs?: number;
  /**
   * How long an answer (or a failure) is reused for the same application, so a busy component
   * page does not call Argo CD on every view. Default 5000; 0 turns the cache off.
   */
  cacheTtlMs?: number;
  /** The clock the cache uses, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The parts of Argo CD's `v1alpha1Application` this client reads. */
interface ArgoCdApplicationBody {
  status?: {
    sync?: { status?: unknown; revision?: unknown };
    health?: { status?: unknown };
  };
}

interface CacheEntry {
  answer: Promise<ArgoCdApplicationStatus>;
  /** When the answer stops being reused; unset while the request is in flight. */
  expiresAt?: number;
}

const text = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : undefined;

// fetch rejects with a DOMException, which is not always an `instanceof Error`.
const isTimeout = (error: unknown) =>
  (error as { name?: unknown } | undefined)?.name === 'TimeoutError';

/**
 * Asks Argo CD's API (`GET /api/v1/applications/{name}`) how an Application is doing: its sync
 * status, health and the revision it synced. Failures (unreachable, timeout, refused token, no
 * such application, server errors) come back as `error` on the status, never as exceptions, so
 * a page that shows several environments shows what it can.
 * @internal
 */
export class ArgoCdClient {
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #cacheTtlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(options: ArgoCdClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * What Argo CD says about the Application `name` (see `gitopsLayout.applicationName`).
   * Concurrent and recent calls for the same name share one request.
   * @param signal - stops waiting for the answer (rejects with the signal's reason); the shared
   *   request itself finishes and is cached for other callers
   */
  async getApplicationStatus(
    name: string,
    signal?: AbortSignal,
  ): Promise<ArgoCdApplicationStatus> {
    signal?.throwIfAborted();
    const answer = this.#cachedOrFetch(name);
    if (!signal) {
      return answer;
    }
    return new Promise<ArgoCdApplicationStatus>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort);
      });
    });
  }

  #cachedOrFetch(name: string): Promise<ArgoCdApplicationStatus> {
    const now = this.#now();
    for (const [key, entry] of this.#cache) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
        this.#cache.delete(key);
      }
    }
    const cached = this.#cache.get(name);
    if (cached) {
      return cached.answer;
    }
    const entry: CacheEntry = {
      answer: this.#fetch(name)
        .catch(
          (error): ArgoCdApplicationStatus => ({
            application: name,
            error: this.#redact(
              `Argo CD could not be asked: ${
                error instanceof Error ? error.message : String(error)
              }`,
            ),
          }),
        )
        .then(status => {
          entry.expiresAt = this.#now() + this.#cacheTtlMs;
          if (this.#cacheTtlMs <= 0) {
            this.#cache.delete(name);
          }
          return status;
        }),
    };
    this.#cache.set(name, entry);
    return entry.answer;
  }

  async #fetch(application: string): Promise<ArgoCdApplicationStatus> {
    const failed = (error: string): ArgoCdApplicationStatus => ({
      application,
      error: this.#redact(error),
    });
    const url = `${this.#baseUrl}/api/v1/applications/${encodeURIComponent(
      application,
    )}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${this.#token}`,
        },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      return failed(this.#describeFetchFailure(error));
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return failed(this.#describeStatus(response.status, application));
    }
    let body: ArgoCdApplicationBody;
    try {
      body = (await response.json()) as ArgoCdApplicationBody;
    } catch (error) {
      return failed(
        isTimeout(error)
          ? `Argo CD did not answer within ${this.#timeoutMs} ms`
          : `Argo CD answered application ${application} with a body that is not JSON`,
      );
    }
    const sync = text(body?.status?.sync?.status);
    const health = text(body?.status?.health?.status);
    const revision = text(body?.status?.sync?.revision);
    return {
      application,
      ...(sync ? { sync } : {}),
      ...(health ? { health } : {}),
      ...(revision ? { revision } : {}),
    };
  }

  #describeStatus(status: number, application: string): string {
    switch (status) {
      case 401:
        return `Argo CD refused the token of provisionhub.argocd.token (401)`;
      case 403:
        return `Argo CD does not let the token of provisionhub.argocd.token read application ${application} (403)`;
      case 404:
        return `Argo CD has no application ${application}`;
      default:
        return `Argo CD answered ${status}`;
    }
  }

  #describeFetchFailure(error: unknown): string {
    if (isTimeout(error)) {
      return `Argo CD did not answer within ${this.#timeoutMs} ms`;
    }
    // fetch reports network failures as "fetch failed" with the system error as its cause.
    const cause = (error as { cause?: { code?: unknown; message?: unknown } })
      ?.cause;
    const reason =
      text(cause?.code) ??
      text(cause?.message) ??
      (error instanceof Error ? error.message : String(error));
    return `Argo CD at ${this.#baseUrl} is unreachable: ${reason}`;
  }

  #redact(message: string): string {
    return message.split(this.#token).join('***');
  }
}
