import { redactSecrets, redactUrl } from './redact';

describe('redactSecrets', () => {
  it('removes passwords from URLs and every listed secret', () => {
    expect(redactUrl('amqp://guest:s3cret@broker:5672/vh')).toBe(
      'amqp://guest:***@broker:5672/vh',
    );
    expect(
      redactSecrets(
        'fatal: could not read from https://oauth2:glpat-abcdef@gitlab.example.com/x.git (token glpat-abcdef)',
        ['glpat-abcdef', undefined, ''],
      ),
    ).toBe(
      'fatal: could not read from https://oauth2:***@gitlab.example.com/x.git (token ***)',
    );
  });
});
