import { ConfigReader } from '@backstage/config';
import { readOperationsConfig } from './readOperationsConfig';

const read = (provisionhub: object) =>
  readOperationsConfig(new ConfigReader({ provisionhub }));

describe('readOperationsConfig', () => {
  it('fills in the defaults', () => {
    expect(read({})).toEqual({
      noProgressTimeoutMs: 30 * 60_000,
      retentionMs: 90 * 24 * 3_600_000,
      mergeCheckIntervalMs: 5 * 60_000,
      runReadsPerSecond: 50,
    });
  });

  it('reads durations and the read rate', () => {
    expect(
      read({
        runs: { noProgressTimeout: '10m', readsPerSecond: 5 },
        retention: { maxAge: { days: 7 } },
        upgrades: { mergeCheckInterval: 'PT30S' },
      }),
    ).toEqual({
      noProgressTimeoutMs: 10 * 60_000,
      retentionMs: 7 * 24 * 3_600_000,
      mergeCheckIntervalMs: 30_000,
      runReadsPerSecond: 5,
    });
  });

  it('names the key and an example when a value is wrong', () => {
    expect(() => read({ runs: { readsPerSecond: 0 } })).toThrow(
      'provisionhub.runs.readsPerSecond must be a number above zero, e.g. 50',
    );
    expect(() => read({ runs: { noProgressTimeout: 'soon' } })).toThrow(
      /provisionhub\.runs\.noProgressTimeout: .*write e\.g\. 30m/,
    );
  });
});
