import { mockApis } from '@backstage/frontend-test-utils';
import { signInProviders } from './signInProviders';

const ids = (data: object) =>
  signInProviders(mockApis.config({ data })).map(p =>
    typeof p === 'string' ? p : `${p.id}: ${p.title}`,
  );

describe('signInProviders', () => {
  it('offers the guest in development and Keycloak elsewhere by default', () => {
    expect(ids({ auth: { environment: 'development' } })).toEqual(['guest']);
    expect(ids({ auth: { environment: 'production' } })).toEqual([
      'oidc: Keycloak',
    ]);
  });

  it('offers what app.signIn.providers lists, in its order, with the configured OIDC title', () => {
    expect(
      ids({
        auth: { environment: 'development' },
        app: {
          signIn: {
            providers: ['oidc', 'guest'],
            oidcTitle: 'ProvisionHub dev identity provider',
          },
        },
      }),
    ).toEqual(['oidc: ProvisionHub dev identity provider', 'guest']);
  });

  it('names an unknown provider and the ones it knows', () => {
    expect(() => ids({ app: { signIn: { providers: ['github'] } } })).toThrow(
      "app.signIn.providers: unknown provider 'github'; use guest or oidc",
    );
  });
});
