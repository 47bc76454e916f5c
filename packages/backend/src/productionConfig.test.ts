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
