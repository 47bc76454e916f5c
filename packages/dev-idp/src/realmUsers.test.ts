import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRealmUsers } from './realmUsers';

const REALM = path.resolve(
  __dirname,
  '../../../deployments/keycloak/realm.json',
);

function realmFile(realm: unknown) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-idp-realm-'));
  const file = path.join(dir, 'realm.json');
  fs.writeFileSync(file, JSON.stringify(realm));
  return file;
}

describe('readRealmUsers', () => {
  it("reads the Keycloak demo realm's users with their group names", () => {
    const users = readRealmUsers(REALM);
    expect(users.map(u => [u.username, u.email, u.groups])).toEqual([
      ['ada', 'ada@example.com', ['platform-team']],
      ['grace', 'grace@example.com', ['payments-team']],
      ['linus', 'linus@example.com', ['web-team']],
      ['margaret', 'margaret@example.com', ['platform-team']],
      ['hedy', 'hedy@example.com', ['payments-team']],
    ]);
  });

  it('takes the last segment of nested group paths and leaves disabled users out', () => {
    const file = realmFile({
      users: [
        {
          username: 'ada',
          email: 'ada@example.com',
          firstName: 'Ada',
          lastName: 'Lovelace',
          groups: ['/engineering/platform-team', 'sre'],
        },
        { username: 'old', enabled: false },
      ],
    });
    expect(readRealmUsers(file)).toEqual([
      {
        username: 'ada',
        email: 'ada@example.com',
        givenName: 'Ada',
        familyName: 'Lovelace',
        groups: ['platform-team', 'sre'],
      },
    ]);
  });

  it('says which file and which field is wrong', () => {
    const user = {
      username: 'ada',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    };
    const cases: Array<[unknown, string]> = [
      [{}, '"users" must be a non-empty list'],
      [
        { users: [{ ...user, email: '' }] },
        'users[0].email must be a non-empty string',
      ],
      [{ users: [user, user] }, "users[1].username 'ada' is listed twice"],
      [
        { users: [{ ...user, groups: '/a' }] },
        'users[0].groups must be a list of group paths',
      ],
      [
        { users: [{ ...user, groups: ['/'] }] },
        'users[0].groups[0] names no group',
      ],
    ];
    for (const [realm, problem] of cases) {
      const file = realmFile(realm);
      expect(() => readRealmUsers(file)).toThrow(`${file}: ${problem}`);
    }
    expect(() => readRealmUsers('/nonexistent/realm.json')).toThrow(
      '/nonexistent/realm.json: cannot read the realm export',
    );
  });
});
