import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('the production setup', () => {
  it('runs auth in the production environment, where the guest provider refuses to sign anyone in', () => {
    const production = yaml.parse(read('app-config.production.yaml'));
    expect(production.auth.environment).toBe('production');
    expect(production.auth.providers.guest).toBeUndefined();
    expect(production.auth.providers.oidc.production).toBeDefined();
  });

  it('signs in and accepts machine tokens like app-config.oidc.yaml, with Keycloak in place of the local provider', () => {
    const production = yaml.parse(read('app-config.production.yaml'));
    const local = yaml.parse(read('app-config.oidc.yaml'));
    const signIn = (config: any, env: string) =>
      config.auth.providers.oidc[env].signIn;
    expect(signIn(production, 'production')).toEqual(
      signIn(local, 'development'),
    );
    const [keycloak] = production.backend.auth.externalAccess;
    const [devIdp] = local.backend.auth.externalAccess;
    expect(keycloak.type).toBe('jwks');
    expect(keycloak.accessRestrictions).toEqual(devIdp.accessRestrictions);
    expect(keycloak.options).toMatchObject({
      url: '${KEYCLOAK_URL}/realms/provisionhub/protocol/openid-connect/certs',
      issuer: '${KEYCLOAK_URL}/realms/provisionhub',
      audience: devIdp.options.audience,
    });
  });

  it("configures the Keycloak realm for it: a groups claim for the portal and the API's audience for the CI client", () => {
    const realm = JSON.parse(read('deployments/keycloak/realm.json'));
    const client = (id: string) =>
      realm.clients.find((c: any) => c.clientId === id);
    expect(client('backstage').protocolMappers).toContainEqual(
      expect.objectContaining({
        protocolMapper: 'oidc-group-membership-mapper',
        config: expect.objectContaining({
          'claim.name': 'groups',
          'full.path': 'false',
          'userinfo.token.claim': 'true',
        }),
      }),
    );
    const ci = client('provisionhub-ci');
    expect(ci).toMatchObject({
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
    });
    expect(ci.protocolMappers).toContainEqual(
      expect.objectContaining({
        protocolMapper: 'oidc-audience-mapper',
        config: expect.objectContaining({
          'included.custom.audience': 'provisionhub',
          'access.token.claim': 'true',
        }),
      }),
    );
  });

  it('ships Keycloak demo users without any password: an administrator sets one per user', () => {
    const realm = JSON.parse(read('deployments/keycloak/realm.json'));
    expect(realm.users.length).toBeGreaterThan(0);
    for (const user of realm.users) {
      expect([user.username, user.credentials]).toEqual([
        user.username,
        undefined,
      ]);
      expect(user.requiredActions).toContain('UPDATE_PASSWORD');
    }
  });
});
