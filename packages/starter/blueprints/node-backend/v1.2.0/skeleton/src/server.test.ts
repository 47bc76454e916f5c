import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { RunningServer, startServer } from './server.js';

describe('HTTP server', () => {
  const logLines: string[] = [];
  let server: RunningServer;
  let base: string;

  before(async () => {
    const config = { ...loadConfig({ ENVIRONMENT: 'test' }), host: '127.0.0.1', port: 0 };
    server = await startServer(config, createLogger('debug', {}, line => logLines.push(line)));
    base = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close();
  });

  it('answers the health check', async () => {
    const response = await fetch(`${base}${{ values.healthPath }}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('describes itself', async () => {
    const response = await fetch(`${base}/`);
    assert.deepEqual(await response.json(), {
      service: '${{ name }}',
      system: '${{ system }}',
      environment: 'test',
    });
  });

  it('greets, and rejects a name that is too long', async () => {
    const ok = await fetch(`${base}/api/hello?name=Ada`);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { message: 'Hello, Ada!' });

    const tooLong = await fetch(`${base}/api/hello?name=${'x'.repeat(101)}`);
    assert.equal(tooLong.status, 400);
    const { error } = (await tooLong.json()) as { error: string };
    assert.match(error, /name must be 1 to 100 characters long/);
  });

  it('answers 404 for unknown paths and 405 with Allow for other methods', async () => {
    const missing = await fetch(`${base}/nope`);
    assert.equal(missing.status, 404);
    const wrongMethod = await fetch(`${base}/api/hello`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
  });

  it('echoes a valid request id and makes one up otherwise', async () => {
    const given = await fetch(`${base}/`, { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(given.headers.get('x-request-id'), 'abc-123');
    const made = await fetch(`${base}/`, { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('counts requests by route on /metrics', async () => {
    await fetch(`${base}/api/hello`);
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /http_requests_total\{method="GET",route="\/api\/hello",status="200"\} \d+/);
    assert.match(text, /http_request_duration_seconds_count\{method="GET",route="\/api\/hello",status="200"\} \d+/);
    assert.match(text, /route="unmatched",status="404"/);
  });

  it('logs each request as one JSON line', () => {
    const requests = logLines.map(line => JSON.parse(line)).filter(l => l.message === 'request');
    assert.ok(requests.length > 0);
    assert.equal(typeof requests[0].requestId, 'string');
    assert.equal(typeof requests[0].status, 'number');
  });
});
