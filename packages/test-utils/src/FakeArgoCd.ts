import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test registers about one Argo CD Application. */
export interface FakeArgoCdApplicationState {
  /** `status.sync.status`: `Synced`, `OutOfSync` or `Unknown`. */
  sync: string;
  /** `status.health.status`: `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing` or `Unknown`. */
  health: string;
  /** `status.sync.revision`: the commit Argo CD compared with. */
  revision?: string;
  project?: string;
  /** `spec.source`. */
  source?: { repoURL: string; path: string; targetRevision: string };
  /** `spec.destination`. */
  destination?: { server: string; namespace: string };
}

/** One request the server answered. */
export interface FakeArgoCdRequest {
  /** `METHOD /path`. */
  route: string;
  status: number;
  /** It carried `Authorization: Bearer <the server's token>`. */
  authorized: boolean;
}

interface Failure {
  status: number;
  times: number;
}

/**
 * A test server for the one Argo CD API endpoint ProvisionHub calls,
 * `GET /api/v1/applications/{name}`, answering the `v1alpha1Application` shape of Argo CD's
 * swagger (`metadata`, `spec.source`, `spec.destination`, `status.sync.{status,revision}`,
 * `status.health.status`) for the applications a test registers. Requests without
 * `Authorization: Bearer <token>` get 401, unknown applications 404; errors carry a
 * `{error, code, message}` body.
 */
export class FakeArgoCd {
  readonly requests: FakeArgoCdRequest[] = [];
  readonly #applications = new Map<string, FakeArgoCdApplicationState>();
  readonly #failures: Failure[] = [];
  readonly #server: http.Server;
  readonly #token: string;
  #holding = false;
  url = '';

  static async start(options: { token: string }): Promise<FakeArgoCd> {
    const server = new FakeArgoCd(options.token);
    await new Promise<void>(resolve =>
      server.#server.listen(0, '127.0.0.1', resolve),
    );
    server.url = `http://127.0.0.1:${
      (server.#server.address() as AddressInfo).port
    }`;
    return server;
  }

  private constructor(token: string) {
    this.#token = token;
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  /** Registers (or replaces) an application. */
  setApplication(name: string, state: FakeArgoCdApplicationState): void {
    this.#applications.set(name, state);
  }

  removeApplication(name: string): void {
    this.#applications.delete(name);
  }

  /** Answers the next `times` authorized requests with `status` and an error body. */
  failNext(status: number, options: { times?: number } = {}): void {
    this.#failures.push({ status, times: options.times ?? 1 });
  }

  /**
   * Leaves every request from now on unanswered (until {@link FakeArgoCd.close}), as an
   * Argo CD that accepts connections but never answers.
   */
  holdRequests(): void {
    this.#holding = true;
  }

  close(): Promise<void> {
    return new Promise(resolve => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    const route = `${req.method} ${url.pathname}`;
    const authorized = req.headers.authorization === `Bearer ${this.#token}`;
    const reply = (status: number, body: unknown) => {
      this.requests.push({ route, status, authorized });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) =>
      reply(status, { error: message, code, message });

    if (this.#holding) {
      return;
    }
    const match = /^\/api\/v1\/applications\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) {
      error(404, 5, `Not Found: ${route}`);
      return;
    }
    if (!authorized) {
      error(401, 16, 'no session information');
      return;
    }
    const failure = this.#failures[0];
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) {
        this.#failures.shift();
      }
      error(failure.status, 14, `the test made this request fail`);
      return;
    }
    const name = decodeURIComponent(match[1]);
    const app = this.#applications.get(name);
    if (!app) {
      error(404, 5, `applications.argoproj.io "${name}" not found`);
      return;
    }
    reply(200, {
      metadata: { name, namespace: 'argocd' },
      spec: {
        project: app.project ?? 'default',
        ...(app.source ? { source: app.source } : {}),
        ...(app.destination ? { destination: app.destination } : {}),
      },
      status: {
        sync: {
          status: app.sync,
          ...(app.revision ? { revision: app.revision } : {}),
          ...(app.source ? { comparedTo: { source: app.source } } : {}),
        },
        health: { status: app.health },
      },
    });
  }
}
