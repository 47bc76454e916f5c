import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerMetrics } from '../metrics';

/** @public */
export interface HttpServerHandle {
  port: number;
  close(): Promise<void>;
}

/**
 * The answer of a probe: `ok` gives 200, otherwise 503; `detail` says why in a few words.
 * @public
 */
export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/** The paths the worker answers, for the 404 hint and the docs. */
const PATHS = ['/livez', '/readyz', '/healthz', '/metrics'] as const;

/**
 * The worker's HTTP endpoints, for Kubernetes probes and Prometheus:
 *
 * - `/livez`: liveness. Answered from the event loop, so it only needs the process to be alive
 *   and its event loop to run; a broker outage never fails it (that would restart every worker
 *   at once). A blocked event loop fails the probe through its timeout.
 * - `/readyz`: readiness, `readiness()` (connected to the broker, consuming, not draining).
 * - `/healthz`: the same as `/readyz`, kept for probes configured before `/readyz` existed.
 * - `/metrics`: Prometheus text format.
 * @public
 */
export async function startHttpServer(options: {
  port: number;
  host?: string;
  metrics: WorkerMetrics;
  readiness: () => ProbeResult;
}): Promise<HttpServerHandle> {
  const started = Date.now();
  const probe = (res: http.ServerResponse, { ok, detail }: ProbeResult) =>
    res
      .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', detail }));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://worker');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    switch (url.pathname) {
      case '/livez':
        probe(res, {
          ok: true,
          detail: `alive for ${Math.round((Date.now() - started) / 1000)} s`,
        });
        return;
      case '/readyz':
      case '/healthz':
        probe(res, options.readiness());
        return;
      case '/metrics':
        options.metrics.registry.metrics().then(
          body =>
            res
              .writeHead(200, {
                'content-type': options.metrics.registry.contentType,
              })
              .end(body),
          () => res.writeHead(500).end(),
        );
        return;
      default:
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end(`not found; try ${PATHS.join(', ')}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
