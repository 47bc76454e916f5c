import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { RouteResponse, RouteState, Routes, createRoutes } from './routes.js';

export interface RunningServer {
  /** The port actually bound (useful with port 0 in tests). */
  port: number;
  metrics: Metrics;
  /** Fails readiness, stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Starts the HTTP server and resolves once it listens. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const metrics = new Metrics();
  const state: RouteState = { ready: true };
  const routes = createRoutes(config, metrics, state);
  const server = http.createServer((req, res) => {
    handle(routes, metrics, logger, req, res);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  logger.info('listening', { port });

  let closing: Promise<void> | undefined;
  return {
    port,
    metrics,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        state.ready = false;
        const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
        server.close(error => {
          clearTimeout(timer);
          if (error) {
            reject(error);
          } else {
            resolve();
          }
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function handle(
  routes: Routes,
  metrics: Metrics,
  logger: Logger,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const started = process.hrtime.bigint();
  const incomingId = req.headers['x-request-id'];
  const requestId =
    typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const byMethod = routes[url.pathname];
  const route = byMethod ? url.pathname : 'unmatched';

  const respond = (response: RouteResponse) => {
    const text =
      typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': response.contentType ?? 'application/json; charset=utf-8',
      'x-request-id': requestId,
      ...(response.status === 405 && byMethod
        ? { allow: Object.keys(byMethod).join(', ') }
        : {}),
    });
    res.end(text);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.observe(method, route, response.status, seconds);
    logger.debug('request', { requestId, method, path: url.pathname, status: response.status, seconds });
  };

  const handler = byMethod?.[method];
  if (!byMethod) {
    respond({ status: 404, body: { error: `no route for ${url.pathname}` } });
    return;
  }
  if (!handler) {
    respond({ status: 405, body: { error: `${method} is not allowed on ${url.pathname}` } });
    return;
  }
  Promise.resolve()
    .then(() => handler({ url, requestId }))
    .then(respond, (error: unknown) => {
      logger.error('request failed', {
        requestId,
        path: url.pathname,
        error: error instanceof Error ? error.message : String(error),
      });
      respond({ status: 500, body: { error: 'internal error', requestId } });
    });
}
