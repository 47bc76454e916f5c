import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerMetrics } from '../metrics';

/** @public */
export interface HttpServerHandle {
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` (200 while connected to the broker and not shutting down, else 503) and
 * Prometheus `/metrics`.
 * @public
 */
export async function startHttpServer(options: {
  port: number;
  host?: string;
  metrics: WorkerMetrics;
  health: () => { ok: boolean; detail: string };
}): Promise<HttpServerHandle> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://worker');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      const { ok, detail } = options.health();
      res
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', detail }));
      return;
    }
    if (url.pathname === '/metrics') {
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
    }
    res
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('not found; try /healthz or /metrics\n');
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
