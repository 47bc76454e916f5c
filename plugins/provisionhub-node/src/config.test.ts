import { ConfigReader } from '@backstage/config';
import {
  backoffDelayMs,
  backoffDelays,
  readAmqpOptions,
  readRetryOptions,
  readRunPageUrl,
} from './config';

describe('config readers', () => {
  it('defaults to the local broker', () => {
    expect(readAmqpOptions(new ConfigReader({}))).toEqual({
      url: 'amqp://guest:guest@localhost:5672',
      prefix: 'provisionhub',
      maxMessageBytes: 1048576,
    });
  });

  it('says which key is wrong', () => {
    expect(() =>
      readAmqpOptions(
        new ConfigReader({ provisionhub: { amqp: { prefix: 'a b' } } }),
      ),
    ).toThrow(
      "provisionhub.amqp.prefix 'a b' may only contain letters, digits, '.', '_' and '-'",
    );
    expect(() =>
      readRetryOptions(
        new ConfigReader({ provisionhub: { runs: { maxAttempts: 0 } } }),
      ),
    ).toThrow(
      'provisionhub.runs.maxAttempts must be a whole number of at least 1, got 0',
    );
  });

  it('doubles the backoff per attempt up to the cap', () => {
    const retry = { maxAttempts: 8, initialMs: 1000, maxMs: 5000 };
    expect([2, 3, 4, 5, 6, 40].map(a => backoffDelayMs(a, retry))).toEqual([
      1000, 2000, 4000, 5000, 5000, 5000,
    ]);
    expect(backoffDelays(retry)).toEqual([1000, 2000, 4000, 5000]);
  });

  describe('readRunPageUrl', () => {
    it('links app.baseUrl and the default run route', () => {
      const url = readRunPageUrl(
        new ConfigReader({ app: { baseUrl: 'https://portal.example.com/' } }),
      );
      expect(url('r-1')).toBe(
        'https://portal.example.com/provisionhub/runs/r-1',
      );
    });

    it('follows provisionhub.routes.run and the base path of app.baseUrl', () => {
      const url = readRunPageUrl(
        new ConfigReader({
          app: { baseUrl: 'https://example.com/backstage' },
          provisionhub: { routes: { run: '/self-service/runs/:id' } },
        }),
      );
      expect(url('r-1')).toBe(
        'https://example.com/backstage/self-service/runs/r-1',
      );
    });

    it('gives paths without app.baseUrl', () => {
      expect(readRunPageUrl(new ConfigReader({}))('r-1')).toBe(
        '/provisionhub/runs/r-1',
      );
    });

    it.each([
      'provisionhub/runs/:id',
      '/provisionhub/runs/',
      '/runs/:identifier',
      'https://x/runs/:id',
    ])('refuses the route %j, naming the key', run => {
      expect(() =>
        readRunPageUrl(new ConfigReader({ provisionhub: { routes: { run } } })),
      ).toThrow(
        `provisionhub.routes.run must be a path that starts with / and contains :id, e.g. /provisionhub/runs/:id; got '${run}'`,
      );
    });
  });
});
