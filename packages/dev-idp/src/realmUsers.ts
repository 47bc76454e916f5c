import fs from 'node:fs';

/**
 * A person the development identity provider signs in, with the claims it issues for them.
 * @public
 */
export interface DevIdpUser {
  /** The login name and the `sub` and `preferred_username` claims. */
  username: string;
  email: string;
  givenName: string;
  familyName: string;
  /** Group names, the `groups` claim (Keycloak's group membership mapper without full paths). */
  groups: string[];
}

function fail(file: string, where: string, problem: string): never {
  throw new Error(
    `${file}: ${where} ${problem}; the dev identity provider reads its users from this Keycloak realm export`,
  );
}

function text(file: string, where: string, value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) {
    fail(file, where, 'must be a non-empty string');
  }
  return value;
}

/**
 * Reads the users of a Keycloak realm export (`deployments/keycloak/realm.json`), so the local
 * provider and the production one know the same people. Group paths become their last segment,
 * like Keycloak's group membership mapper with `full.path: false`. Disabled users are left out.
 * @public
 */
export function readRealmUsers(file: string): DevIdpUser[] {
  let realm: unknown;
  try {
    realm = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file}: cannot read the realm export (${
        (error as Error).message
      }); run from the repository root or set PROVISIONHUB_IDP_REALM`,
    );
  }
  const users = (realm as { users?: unknown })?.users;
  if (!Array.isArray(users) || users.length === 0) {
    fail(file, '"users"', 'must be a non-empty list');
  }
  const seen = new Set<string>();
  return users.flatMap((user: Record<string, unknown>, index) => {
    const at = `users[${index}]`;
    if (typeof user !== 'object' || user === null) {
      fail(file, at, 'must be an object');
    }
    if (user.enabled === false) {
      return [];
    }
    const username = text(file, `${at}.username`, user.username);
    if (seen.has(username)) {
      fail(file, `${at}.username`, `'${username}' is listed twice`);
    }
    seen.add(username);
    const groups = user.groups ?? [];
    if (!Array.isArray(groups)) {
      fail(file, `${at}.groups`, 'must be a list of group paths');
    }
    return [
      {
        username,
        email: text(file, `${at}.email`, user.email),
        givenName: text(file, `${at}.firstName`, user.firstName),
        familyName: text(file, `${at}.lastName`, user.lastName),
        groups: groups.map((group, i) => {
          const name = text(file, `${at}.groups[${i}]`, group)
            .split('/')
            .filter(Boolean)
            .pop();
          return name ?? fail(file, `${at}.groups[${i}]`, 'names no group');
        }),
      },
    ];
  });
}
