import { nameError, normalizeOwner, ownerError } from './validation';

describe('create wizard validation', () => {
  it('names the rule a name breaks', () => {
    expect(nameError('')).toBe('Name is required');
    expect(nameError('a')).toBe('Name must be at least 2 characters long');
    expect(nameError('Orders')).toBe(
      "Name may only contain lowercase letters, digits and hyphens; 'O' is not allowed",
    );
    expect(nameError('orders-')).toBe('Name must not end with a hyphen');
    expect(nameError('orders-api')).toBeUndefined();
  });

  it('accepts groups and users as owners, in short or full form', () => {
    expect(ownerError('')).toMatch(/^Owner is required/);
    expect(ownerError('payments')).toBeUndefined();
    expect(ownerError('user:default/alice')).toBeUndefined();
    expect(ownerError('component:default/x')).toMatch(
      /must be a group or a user, not an entity of kind component/,
    );
    expect(ownerError('group:')).toMatch(/must be an entity ref/);
    expect(normalizeOwner('payments')).toBe('group:default/payments');
    expect(normalizeOwner('User:default/alice')).toBe('user:default/alice');
  });
});
