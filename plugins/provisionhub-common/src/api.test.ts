import { ProvisionHubClient } from './api';

describe('ProvisionHubClient', () => {
  function client(answer: unknown, status = 200) {
    const calls: Array<{ url: string; init?: RequestInit }> = [];
    const api = new ProvisionHubClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://backend/api/provisionhub',
      },
      fetchApi: {
        fetch: (async (url: string, init?: RequestInit) => {
          calls.push({ url, init });
          return new Response(JSON.stringify(answer), {
            status,
            headers: { 'Content-Type': 'application/json' },
          });
        }) as typeof fetch,
      },
    });
    return { api, calls };
  }

  it('lists, re-drives and purges dead letters', async () => {
    const list = client({ items: [], total: 0 });
    await expect(list.api.listDeadLetters({ limit: 20 })).resolves.toEqual({
      items: [],
      total: 0,
    });
    expect(list.calls[0].url).toBe(
      'http://backend/api/provisionhub/dead-letters?limit=20',
    );

    const redrive = client({ id: 'run-1', status: 'queued' }, 202);
    await redrive.api.redriveDeadLetter('a/b');
    expect(redrive.calls[0]).toMatchObject({
      url: 'http://backend/api/provisionhub/dead-letters/a%2Fb/redrive',
      init: { method: 'POST', body: '{}' },
    });

    const purge = client({ purged: 2 });
    await expect(
      purge.api.purgeDeadLetters({ ids: ['x', 'y'] }),
    ).resolves.toEqual({ purged: 2 });
    await purge.api.purgeDeadLetters();
    expect(purge.calls.map(c => [c.url, c.init?.body])).toEqual([
      [
        'http://backend/api/provisionhub/dead-letters/purge',
        '{"ids":["x","y"]}',
      ],
      ['http://backend/api/provisionhub/dead-letters/purge', '{}'],
    ]);
  });

  it('throws the control plane error for a refused call', async () => {
    const refused = client(
      {
        error: { name: 'NotAllowedError', message: 'not allowed' },
        request: { method: 'GET', url: '/dead-letters' },
        response: { statusCode: 403 },
      },
      403,
    );
    await expect(refused.api.listDeadLetters()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
