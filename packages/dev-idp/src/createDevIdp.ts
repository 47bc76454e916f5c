import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { Configuration, errors } from 'oidc-provider';
import { devIdpClients, provisionHubApi } from './clients';
import { createInteractionHandler } from './interactions';
import type { DevIdpUser } from './realmUsers';
import type { PrivateJwk } from './signingKeys';

/** @public */
export interface DevIdpOptions {
  /** 0 picks a free port. */
  port: number;
  /** Address to listen on; default 127.0.0.1 (the provider is for this machine only). */
  host?: string;
  users: DevIdpUser[];
  /** Every user's password. */
  password: string;
  /** Shown under the login form, e.g. who can sign in. */
  loginHint?: string;
  signingKey: PrivateJwk;
  /**
   * Base URLs of the portal backends that may sign users in (`backend.baseUrl`); each gets the
   * redirect URI `<url>/api/auth/oidc/handler/frame`.
   */
  portalUrls: string[];
  /** Lifetime of the machine client's access tokens, in seconds (default 600). */
  machineTokenTtlSeconds?: number;
  log?: (line: string) => void;
}

/** @public */
export interface DevIdp {
  /** `http://localhost:<port>`; the discovery document is under `/.well-known/openid-configuration`. */
  issuer: string;
  port: number;
  close(): Promise<void>;
}

const HOUR = 3600;

function configuration(options: DevIdpOptions): Configuration {
  const { users } = options;
  return {
    clients: [
      {
        client_id: devIdpClients.portal.id,
        client_secret: devIdpClients.portal.secret,
        client_name: 'the ProvisionHub portal',
        redirect_uris: options.portalUrls.map(
          url => `${url.replace(/\/+$/, '')}/api/auth/oidc/handler/frame`,
        ),
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: devIdpClients.ci.id,
        client_secret: devIdpClients.ci.secret,
        client_name: 'ProvisionHub CI',
        redirect_uris: [],
        grant_types: ['client_credentials'],
        response_types: [],
      },
    ],
    // Like a Keycloak client with a group membership mapper: `groups` comes with `profile`.
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: [
        'name',
        'given_name',
        'family_name',
        'preferred_username',
        'groups',
      ],
    },
    async findAccount(_ctx, id) {
      const user = users.find(u => u.username === id);
      if (!user) {
        return undefined;
      }
      return {
        accountId: user.username,
        async claims() {
          return {
            sub: user.username,
            preferred_username: user.username,
            email: user.email,
            email_verified: true,
            name: `${user.givenName} ${user.familyName}`,
            given_name: user.givenName,
            family_name: user.familyName,
            groups: user.groups,
          };
        },
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Machine clients get JWT access tokens for the ProvisionHub API without asking for
        // it; the portal's sign-in keeps opaque tokens, which the userinfo endpoint accepts.
        async defaultResource(ctx, client, oneOf) {
          if (oneOf) {
            return oneOf;
          }
          return client.grantTypeAllowed('client_credentials') &&
            ctx.oidc.route === 'token'
            ? provisionHubApi.resource
            : undefined!;
        },
        async useGrantedResource() {
          return true;
        },
        async getResourceServerInfo(_ctx, resource) {
          if (resource !== provisionHubApi.resource) {
            throw new errors.InvalidTarget(
              `unknown resource ${resource}; this provider issues tokens for ${provisionHubApi.resource}`,
            );
          }
          return {
            scope: 'provisionhub',
            audience: provisionHubApi.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.machineTokenTtlSeconds ?? 600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // The portal refreshes its session with refresh tokens (on every page load).
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    // Sessions live in memory, so a key per process is enough.
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    jwks: { keys: [options.signingKey] },
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      ClientCredentials: options.machineTokenTtlSeconds ?? 600,
      Grant: 8 * HOUR,
      IdToken: HOUR,
      Interaction: 600,
      RefreshToken: 8 * HOUR,
      Session: 8 * HOUR,
    },
  };
}

/**
 * Starts an OpenID Connect provider for development and tests: the given users sign in on its
 * login page (the portal client, authorization code flow) and machine clients get access tokens
 * for the ProvisionHub API (client credentials). Built on `oidc-provider`; state is in memory.
 * @public
 */
export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const log = options.log ?? (() => {});
  let handler: http.RequestListener = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${options.port} on ${host} is in use: stop what listens there or choose another port`,
            )
          : error,
      );
    server.once('error', failed);
    server.listen(options.port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://localhost:${port}`;

  const provider = new Provider(issuer, configuration(options));
  provider.on('server_error', (_ctx, error) =>
    log(`server error: ${error.message}`),
  );
  provider.on('grant.error', (ctx, error) =>
    log(
      `token request of client ${ctx.oidc.client?.clientId ?? '?'} refused: ${
        error.message
      }${'error_description' in error ? ` (${error.error_description})` : ''}`,
    ),
  );
  provider.on('grant.success', ctx =>
    log(
      `issued tokens to client ${ctx.oidc.client?.clientId} (${ctx.oidc.params?.grant_type})`,
    ),
  );
  const interactions = createInteractionHandler({
    provider,
    users: options.users,
    password: options.password,
    hint: options.loginHint ?? '',
    log,
  });
  const oidc = provider.callback();
  handler = (req, res) => {
    interactions(req, res).then(
      handled => {
        if (!handled) {
          oidc(req, res);
        }
      },
      error => {
        log(`request failed: ${error.message}`);
        res.writeHead(500).end();
      },
    );
  };

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
