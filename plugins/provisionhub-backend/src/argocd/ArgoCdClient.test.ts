import { FakeArgoCd } from '@provisionhub/test-utils';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArgoCdClient } from './ArgoCdClient';

const TOKEN = 'argocd-token-0123456789abcdef';

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('ArgoCdClient against an Argo CD API server', () => {
  let argocd: FakeArgoCd;

  beforeEach(async () => {
    argocd = await FakeArgoCd.start({ token: TOKEN });
  });
  afterEach(() => argocd.close());

  const client = (options: { token?: string; now?: () => number } = {}) =>
    new ArgoCdClient({
      baseUrl: argocd.url,
      token: options.token ?? TOKEN,
      timeoutMs: 2000,
      now: options.now,
    });

  it('reads sync, health and revision of a synced, healthy application with the bearer token', async () => {
    argocd.setApplication('payments-api-development', {
      sync: 'Synced',
      health: 'Healthy',
      revision: '4f2a9c1e0b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e',
      source: {
        repoURL: 'https://git.example.com/platform/gitops.git',
        path: 'payments/payments-api/overlays/development',
        targetRevision: 'main',
      },
    });
    await expect(
      client().getApplicationStatus('payments-api-development'),
    ).resolves.toEqual({
      application: 'payments-api-development',
      sync: 'Synced',
      health: 'Healthy',
      revision: '4f2a9c1e0b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e',
    });
    expect(argocd.requests).toEqual([
      {
        route: 'GET /api/v1/applications/payments-api-development',
        status: 200,
        authorized: true,
      },
    ]);
  });

  it('reports an application that is out of sync and degraded', async () => {
    argocd.setApplication('payments-api-staging', {
      sync: 'OutOfSync',
      health: 'Degraded',
    });
    await expect(
      client().getApplicationStatus('payments-api-staging'),
    ).resolves.toEqual({
      application: 'payments-api-staging',
      sync: 'OutOfSync',
      health: 'Degraded',
    });
  });

  it('says Argo CD has no such application on 404', async () => {
    await expect(
      client().getApplicationStatus('payments-api-production'),
    ).resolves.toEqual({
      application: 'payments-api-production',
      error: 'Argo CD has no application payments-api-production',
    });
  });

  it('says the token was refused on 401, without the token', async () => {
    argocd.setApplication('payments-api-development', {
      sync: 'Synced',
      health: 'Healthy',
    });
    const wrong = 'wrong-token-fedcba9876543210';
    const status = await client({ token: wrong }).getApplicationStatus(
      'payments-api-development',
    );
    expect(status).toEqual({
      application: 'payments-api-development',
      error: 'Argo CD refused the token of provisionhub.argocd.token (401)',
    });
    expect(JSON.stringify(status)).not.toContain(wrong);
    expect(argocd.requests).toEqual([
      expect.objectContaining({ status: 401, authorized: false }),
    ]);
  });

  it.each([
    [503, 'Argo CD answered 503'],
    [
      403,
      'Argo CD does not let the token of provisionhub.argocd.token read application payments-api-development (403)',
    ],
  ])('reports an answer %i with what it means', async (status, error) => {
    argocd.failNext(status);
    await expect(
      client().getApplicationStatus('payments-api-development'),
    ).resolves.toEqual({ application: 'payments-api-development', error });
  });

  it('reports an unreachable Argo CD with the reason, without throwing', async () => {
    const port = await closedPort();
    const status = await new ArgoCdClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
    }).getApplicationStatus('payments-api-development');
    expect(status).toEqual({
      application: 'payments-api-development',
      error: `Argo CD at http://127.0.0.1:${port} is unreachable: ECONNREFUSED`,
    });
  });

  it('gives up on an Argo CD that does not answer within timeoutMs', async () => {
    argocd.holdRequests();
    const status = await new ArgoCdClient({
      baseUrl: argocd.url,
      token: TOKEN,
      timeoutMs: 200,
    }).getApplicationStatus('payments-api-development');
    expect(status).toEqual({
      application: 'payments-api-development',
      error: 'Argo CD did not answer within 200 ms',
    });
  });

  it('reuses an answer for the same application until the cache time passes', async () => {
    argocd.setApplication('payments-api-development', {
      sync: 'Synced',
      health: 'Progressing',
    });
    argocd.setApplication('payments-api-staging', {
      sync: 'Synced',
      health: 'Healthy',
    });
    let now = 1_000_000;
    const cached = client({ now: () => now });

    const [first, concurrent] = await Promise.all([
      cached.getApplicationStatus('payments-api-development'),
      cached.getApplicationStatus('payments-api-development'),
    ]);
    expect(concurrent).toEqual(first);
    argocd.setApplication('payments-api-development', {
      sync: 'Synced',
      health: 'Healthy',
    });
    now += 4999;
    await expect(
      cached.getApplicationStatus('payments-api-development'),
    ).resolves.toMatchObject({ health: 'Progressing' });
    await cached.getApplicationStatus('payments-api-staging');
    expect(argocd.requests.map(r => r.route)).toEqual([
      'GET /api/v1/applications/payments-api-development',
      'GET /api/v1/applications/payments-api-staging',
    ]);

    now += 1;
    await expect(
      cached.getApplicationStatus('payments-api-development'),
    ).resolves.toMatchObject({ health: 'Healthy' });
    expect(argocd.requests).toHaveLength(3);
  });

  it('caches failures too, so an Argo CD in trouble is not asked on every view', async () => {
    argocd.failNext(500);
    const cached = client({ now: () => 0 });
    await cached.getApplicationStatus('payments-api-development');
    await expect(
      cached.getApplicationStatus('payments-api-development'),
    ).resolves.toEqual({
      application: 'payments-api-development',
      error: 'Argo CD answered 500',
    });
    expect(argocd.requests).toHaveLength(1);
  });

  it('stops waiting when the caller aborts', async () => {
    argocd.holdRequests();
    const stop = new AbortController();
    const answer = client().getApplicationStatus(
      'payments-api-development',
      stop.signal,
    );
    stop.abort(new Error('the page was closed'));
    await expect(answer).rejects.toThrow('the page was closed');
  });

  it('keeps a path prefix of baseUrl', async () => {
    await new ArgoCdClient({
      baseUrl: `${argocd.url}/argocd/`,
      token: TOKEN,
    }).getApplicationStatus('payments-api-development');
    expect(argocd.requests[0].route).toBe(
      'GET /argocd/api/v1/applications/payments-api-development',
    );
  });
});
