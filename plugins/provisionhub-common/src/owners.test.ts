import { parseOwnerRef } from './owners';

describe('parseOwnerRef', () => {
  it('completes bare names as groups and keeps users', () => {
    expect(parseOwnerRef('payments')).toEqual({
      ok: true,
      ref: 'group:default/payments',
    });
    expect(parseOwnerRef(' User:default/ada ')).toEqual({
      ok: true,
      ref: 'user:default/ada',
    });
  });

  it('says what is wrong', () => {
    expect(parseOwnerRef('')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^is required/),
    });
    expect(parseOwnerRef('component:default/x')).toEqual({
      ok: false,
      message:
        'must be a group or a user, not an entity of kind component ("component:default/x")',
    });
    expect(parseOwnerRef('group:')).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^must be an entity ref such as group:default\/payments/,
      ),
    });
  });
});
