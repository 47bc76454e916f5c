import { repositoryPathFor, validateResourceName } from './names';

describe('validateResourceName', () => {
  it.each(['payments', 'payments-api', 'a1', '9lives'])('accepts %s', name => {
    expect(validateResourceName(name)).toBeUndefined();
  });

  it.each([
    ['', 'is required'],
    [undefined, 'is required'],
    ['a', 'must be at least 2 characters long'],
    ['x'.repeat(64), 'must be at most 63 characters long (it has 64)'],
    [
      'Payments',
      "may only contain lowercase letters, digits and hyphens; 'P' is not allowed",
    ],
    [
      'pay_ments',
      "may only contain lowercase letters, digits and hyphens; '_' is not allowed",
    ],
    [
      '../etc',
      "may only contain lowercase letters, digits and hyphens; '.' is not allowed",
    ],
    ['-payments', 'must start with a lowercase letter or a digit'],
    ['payments-', 'must not end with a hyphen'],
  ])('rejects %p: %s', (name, message) => {
    expect(validateResourceName(name)).toBe(message);
  });
});

describe('repositoryPathFor', () => {
  it('places a system in its own group and a component in its system', () => {
    expect(repositoryPathFor({ kind: 'system', name: 'payments' })).toBe(
      'payments/payments',
    );
    expect(
      repositoryPathFor({
        kind: 'component',
        name: 'payments-api',
        system: 'payments',
      }),
    ).toBe('payments/payments-api');
  });

  it('refuses a component without a system', () => {
    expect(() => repositoryPathFor({ kind: 'component', name: 'x1' })).toThrow(
      /needs a system/,
    );
  });
});
