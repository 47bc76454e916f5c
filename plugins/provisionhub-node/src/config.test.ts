import { ConfigReader } from '@backstage/config';
import { backoffDelayMs, backoffDelays, readAmqpOptions, readRetryOptions } from './config';

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
      readAmqpOptions(new ConfigReader({ provisionhub: { amqp: { prefix: 'a b' } } })),
    ).toThrow("provisionhub.amqp.prefix 'a b' may only contain letters, digits, '.', '_' and '-'");
    expect(() =>
      readRetryOptions(new ConfigReader({ provisionhub: { runs: { maxAttempts: 0 } } })),
    ).toThrow('provisionhub.runs.maxAttempts must be a whole number of at least 1, got 0');
  });

  it('doubles the backoff per attempt up to the cap', () => {
    const retry = { maxAttempts: 8, initialMs: 1000, maxMs: 5000 };
    expect([2, 3, 4, 5, 6, 40].map(a => backoffDelayMs(a, retry))).toEqual([
      1000, 2000, 4000, 5000, 5000, 5000,
    ]);
    expect(backoffDelays(retry)).toEqual([1000, 2000, 4000, 5000]);
  });
});
