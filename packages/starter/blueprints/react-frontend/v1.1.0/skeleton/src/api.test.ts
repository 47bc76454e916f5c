import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, fetchGreeting } from './api';

function answering(status: number, body: unknown) {
  const calls: string[] = [];
  const fetch = async (input: string) => {
    calls.push(input);
    return new Response(JSON.stringify(body), { status, statusText: status === 200 ? 'OK' : 'Bad Gateway' });
  };
  return { fetch, calls };
}

describe('fetchGreeting', () => {
  it('asks the backend on the API path, with the name encoded', async () => {
    const backend = answering(200, { message: 'Hello, Ada L!' });
    const greeting = await fetchGreeting('Ada L', { fetch: backend.fetch });
    assert.deepEqual(greeting, { message: 'Hello, Ada L!' });
    assert.deepEqual(backend.calls, ['${{ values.apiPath }}/hello?name=Ada%20L']);
  });

  it('says which status the backend answered', async () => {
    const backend = answering(502, { error: 'down' });
    await assert.rejects(fetchGreeting('x', { fetch: backend.fetch }), (error: ApiError) => {
      assert.equal(error.status, 502);
      assert.equal(error.message, 'The backend answered 502 Bad Gateway.');
      return true;
    });
  });

  it('says when the backend cannot be reached or answers nonsense', async () => {
    const unreachable = async () => {
      throw new TypeError('fetch failed');
    };
    await assert.rejects(fetchGreeting('x', { fetch: unreachable }), /The backend cannot be reached \(fetch failed\)/);
    await assert.rejects(
      fetchGreeting('x', { fetch: answering(200, { nope: true }).fetch }),
      /answered without a message/,
    );
  });
});
