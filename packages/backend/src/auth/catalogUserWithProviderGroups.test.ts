import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { createCatalogUserWithProviderGroups } from './catalogUserWithProviderGroups';

const grace = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'grace', namespace: 'default' },
  spec: { profile: { email: 'grace@example.com' } },
};

function context(users = [grace]) {
  return {
    findCatalogUser: jest.fn(async (query: any) => {
      const email = query.filter['spec.profile.email'];
      const entity = users.find(u => u.spec.profile.email === email);
      if (!entity) {
        throw new NotFoundError('User not found');
      }
      return { entity };
    }),
    resolveOwnershipEntityRefs: jest.fn(async () => ({
      ownershipEntityRefs: [
        'user:default/grace',
        'group:default/payments-team',
      ],
    })),
    issueToken: jest.fn(async (params: any) => ({ token: 'token', params })),
    signInWithCatalogUser: jest.fn(),
  } as unknown as AuthResolverContext & { issueToken: jest.Mock };
}

function signIn(
  userinfo: Record<string, unknown>,
  options?: Record<string, string>,
  idTokenClaims?: Record<string, unknown>,
) {
  const logger = mockServices.logger.mock();
  const resolver = createCatalogUserWithProviderGroups(logger)(options);
  const ctx = context();
  const result = resolver(
    {
      profile: {},
      result: {
        fullProfile: {
          userinfo: { sub: 'grace', ...userinfo },
          tokenset: {
            id_token: idTokenClaims ? 'id-token' : undefined,
            claims: () => idTokenClaims ?? {},
          },
        },
        session: {},
      } as any,
    },
    ctx,
  );
  return { result, ctx, logger };
}

const verified = { email: 'grace@example.com', email_verified: true };

describe('catalogUserWithProviderGroups', () => {
  it("signs the catalog user in with the catalog's refs plus the provider's groups", async () => {
    const { result, ctx } = signIn({
      ...verified,
      groups: ['platform-team', '/engineering/SRE', 'payments-team'],
    });
    await result;
    expect(ctx.issueToken).toHaveBeenCalledWith({
      claims: {
        sub: 'user:default/grace',
        ent: [
          'user:default/grace',
          'group:default/payments-team',
          'group:default/platform-team',
          'group:default/sre',
        ],
      },
    });
  });

  it('reads another claim and namespace when configured, and the ID token when userinfo lacks it', async () => {
    const { result, ctx } = signIn(
      verified,
      { groupsClaim: 'teams', groupNamespace: 'org' },
      { teams: ['dba', 'group:default/platform-team'] },
    );
    await result;
    expect(ctx.issueToken.mock.calls[0][0].claims.ent).toEqual([
      'user:default/grace',
      'group:default/payments-team',
      'group:org/dba',
      'group:default/platform-team',
    ]);
  });

  it('signs in with the catalog refs alone when the provider sends no groups, ignoring values that name no group', async () => {
    const { result, ctx, logger } = signIn({
      ...verified,
      groups: ['not a group!', 42, 'user:default/ada', ''],
    });
    await result;
    expect(ctx.issueToken.mock.calls[0][0].claims.ent).toEqual([
      'user:default/grace',
      'group:default/payments-team',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      `Sign-in of grace: ignored values of the 'groups' claim that name no group: ["not a group!",42,"user:default/ada",""]`,
    );
    const noGroups = signIn(verified);
    await noGroups.result;
    expect(noGroups.ctx.issueToken.mock.calls[0][0].claims.ent).toEqual([
      'user:default/grace',
      'group:default/payments-team',
    ]);
  });

  it('refuses a provider user who has no catalog user, naming the email to add', async () => {
    const { result, ctx } = signIn({
      preferred_username: 'hedy',
      email: 'hedy@example.com',
      email_verified: true,
    });
    await expect(result).rejects.toThrow(
      'You signed in at the identity provider as hedy (hedy@example.com), but no User entity in the catalog has spec.profile.email hedy@example.com. Ask a portal administrator to add you to the catalog.',
    );
    await expect(result).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(ctx.issueToken).not.toHaveBeenCalled();
  });

  it('refuses an unverified or missing email', async () => {
    for (const userinfo of [
      { email: 'grace@example.com', email_verified: false },
      { email_verified: true },
    ]) {
      await expect(signIn(userinfo).result).rejects.toThrow(
        "The identity provider sent no verified email for grace; the portal finds your catalog user by email. Ask the identity provider's administrator to set and verify it.",
      );
    }
  });

  it('rejects invalid options with the option named', () => {
    expect(() =>
      createCatalogUserWithProviderGroups(mockServices.logger.mock())({
        groupsClaim: '',
      }),
    ).toThrow(/Invalid sign-in resolver options.*groupsClaim/);
  });
});
