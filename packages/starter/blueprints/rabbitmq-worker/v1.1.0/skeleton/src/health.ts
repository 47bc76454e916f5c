import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stats } from './stats.js';

/**
 * Serves ${{ values.healthPath }} (200 while consuming, 503 otherwise, so Kubernetes restarts a worker that lost
 * its broker) and /metrics.
 */
export async function startHealthServer(port: number, stats: Stats) {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '${{ values.healthPath }}') {
      res.writeHead(stats.consuming ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: stats.consuming ? 'ok' : 'not consuming' }));
    } else if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(stats.render());
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route for ${path}` }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
