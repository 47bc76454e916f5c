import path from 'node:path';
import { devIdpClients, provisionHubApi } from './clients';
import { startDevIdp } from './createDevIdp';
import { readRealmUsers } from './realmUsers';
import { loadOrCreateSigningKey } from './signingKeys';

/** The password of every user unless `PROVISIONHUB_IDP_PASSWORD` says otherwise. */
export const DEFAULT_DEV_PASSWORD = 'dev-password';

function portFrom(env: NodeJS.ProcessEnv) {
  const raw = env.PROVISIONHUB_IDP_PORT ?? '7030';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `PROVISIONHUB_IDP_PORT=${raw} is not a port number; use e.g. 7030`,
    );
  }
  return port;
}

function portalUrlsFrom(env: NodeJS.ProcessEnv) {
  const urls = (env.PROVISIONHUB_IDP_PORTAL_URLS ?? 'http://localhost:7007')
    .split(/[\s,]+/)
    .filter(Boolean);
  for (const url of urls) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) {
      throw new Error(
        `PROVISIONHUB_IDP_PORTAL_URLS: '${url}' is not a backend base URL such as http://localhost:7007`,
      );
    }
  }
  return urls;
}

/**
 * `provisionhub-dev-idp` (`scripts/yarn start:idp`): the development identity provider, configured
 * from the environment:
 *
 * - `PROVISIONHUB_IDP_PORT` (7030), `PROVISIONHUB_IDP_HOST` (127.0.0.1);
 * - `PROVISIONHUB_IDP_PORTAL_URLS` (http://localhost:7007): backend base URLs allowed to sign in;
 * - `PROVISIONHUB_IDP_PASSWORD` (dev-password): every user's password;
 * - `PROVISIONHUB_IDP_REALM` (deployments/keycloak/realm.json): where the users come from;
 * - `PROVISIONHUB_IDP_KEY_FILE` (.provisionhub/idp/signing-key.json): the signing key.
 *
 * Relative paths are relative to the working directory, the repository root.
 *
 * Resolves when SIGINT or SIGTERM stopped it.
 * @public
 */
export async function main(env: NodeJS.ProcessEnv = process.env) {
  const log = (line: string) =>
    process.stdout.write(`${new Date().toISOString()} [idp] ${line}\n`);
  // Like the worker, it runs from the repository root (scripts/yarn start:idp).
  const realm =
    env.PROVISIONHUB_IDP_REALM ??
    path.resolve('deployments/keycloak/realm.json');
  const users = readRealmUsers(realm);
  const password = env.PROVISIONHUB_IDP_PASSWORD || DEFAULT_DEV_PASSWORD;
  const keyFile =
    env.PROVISIONHUB_IDP_KEY_FILE ??
    path.resolve('.provisionhub/idp/signing-key.json');
  const port = portFrom(env);
  const idp = await startDevIdp({
    port,
    host: env.PROVISIONHUB_IDP_HOST,
    users,
    password,
    loginHint: `Development identity provider. Users: ${users
      .map(u => u.username)
      .join(', ')}. ${
      password === DEFAULT_DEV_PASSWORD
        ? `Password: ${DEFAULT_DEV_PASSWORD}.`
        : 'Password: PROVISIONHUB_IDP_PASSWORD.'
    }`,
    signingKey: loadOrCreateSigningKey(keyFile),
    portalUrls: portalUrlsFrom(env),
    log,
  });
  log(`issuer ${idp.issuer} (development only)`);
  log(
    `users from ${path.relative(process.cwd(), realm)}: ${users
      .map(u => `${u.username} [${u.groups.join(', ')}]`)
      .join(', ')}`,
  );
  log(
    `portal client ${devIdpClients.portal.id}; machine client ${devIdpClients.ci.id} ` +
      `(client_credentials, audience ${provisionHubApi.audience}): ` +
      `curl -u ${devIdpClients.ci.id}:${devIdpClients.ci.secret} -d grant_type=client_credentials ${idp.issuer}/token`,
  );
  await new Promise<void>(resolve => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  log('stopping');
  await idp.close();
}
