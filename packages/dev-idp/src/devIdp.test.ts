import { ProgramProcess, spawnProgram } from '@provisionhub/test-utils';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `provisionhub-dev-idp` as `scripts/yarn start:idp` runs it, driven over HTTP like the portal's
 * OIDC client and a CI job would.
 */

// Each test starts a Node process that compiles the provider's TypeScript: seconds on a busy
// 2-core machine, more than jest's 5 s default.
jest.setTimeout(60_000);

const BIN = path.resolve(__dirname, '../bin/provisionhub-dev-idp');
const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');
const PORTAL = 'http://localhost:7007';
const REDIRECT = `${PORTAL}/api/auth/oidc/handler/frame`;
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A user agent with a cookie jar that follows redirects within the provider. */
class Agent {
  readonly #cookies = new Map<string, string>();
  constructor(private readonly issuer: string) {}

  async request(url: string, init: RequestInit = {}) {
    const response = await fetch(new URL(url, this.issuer), {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair.split('=');
      this.#cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects until one leaves the provider (returned) or a page answers. */
  async follow(url: string, init?: RequestInit): Promise<Response | URL> {
    let response = await this.request(url, init);
    while (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location')!, this.issuer);
      if (next.origin !== new URL(this.issuer).origin) {
        return next;
      }
      response = await this.request(next.href);
    }
    return response;
  }
}

function verifyJwt(token: string, jwks: { keys: crypto.JsonWebKey[] }) {
  const [header, payload, signature] = token.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString());
  const jwk = jwks.keys.find(k => (k as { kid?: string }).kid === kid);
  expect({ alg, found: Boolean(jwk) }).toEqual({ alg: 'RS256', found: true });
  const valid = crypto.verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    crypto.createPublicKey({ key: jwk!, format: 'jwk' }),
    Buffer.from(signature, 'base64url'),
  );
  expect(valid).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString());
}

describe('provisionhub-dev-idp', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-idp-'));
  let idp: ProgramProcess;
  let issuer: string;

  beforeAll(async () => {
    idp = spawnProgram(BIN, [], {
      name: 'dev identity provider',
      cwd: REPOSITORY_ROOT,
      env: {
        NODE_ENV: 'development',
        PROVISIONHUB_IDP_PORT: '0',
        PROVISIONHUB_IDP_PORTAL_URLS: PORTAL,
        PROVISIONHUB_IDP_KEY_FILE: path.join(dir, 'key.json'),
      },
    });
    [, issuer] = await idp.waitForOutput(/issuer (http:\/\/localhost:\d+)/);
  });

  afterAll(async () => {
    await idp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the CI client a signed JWT for the ProvisionHub API (secret in basic auth or in the form)', async () => {
    const jwks = await (await fetch(`${issuer}/jwks`)).json();
    for (const init of [
      {
        headers: { authorization: basic('provisionhub-ci', 'dev-secret') },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      },
      {
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'provisionhub-ci',
          client_secret: 'dev-secret',
        }),
      },
    ]) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        ...init,
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
      const claims = verifyJwt(body.access_token, jwks);
      expect(claims).toMatchObject({
        iss: issuer,
        aud: 'provisionhub',
        sub: 'provisionhub-ci',
      });
      expect(claims.exp - claims.iat).toBe(600);
    }
    expect(fs.statSync(path.join(dir, 'key.json')).isFile()).toBe(true);
  });

  it('refuses a wrong client secret and logs why', async () => {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { authorization: basic('provisionhub-ci', 'guess') },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error).toBe('invalid_client');
    await idp.waitForOutput(
      /token request of client provisionhub-ci refused: invalid_client/,
    );
  });

  it('signs a user in on its login page and gives the portal their groups', async () => {
    const agent = new Agent(issuer);
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto
      .createHash('sha256')
      .update(verifier)
      .digest('base64url');
    const loginPage = await agent.follow(
      `/auth?${new URLSearchParams({
        client_id: 'provisionhub-portal',
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'openid profile email',
        state: 'state-1',
        nonce: 'nonce-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
    );
    expect(loginPage).toBeInstanceOf(Response);
    const page = loginPage as Response;
    const html = await page.text();
    expect(html).toContain('to continue to the ProvisionHub portal');
    expect(html).toContain('Users: ada, grace, linus, margaret, hedy');
    const action = /action="([^"]+)"/.exec(html)![1];

    const wrong = await agent.request(action, {
      method: 'POST',
      body: new URLSearchParams({ username: 'grace', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Unknown user or wrong password.');
    const stranger = await agent.request(action, {
      method: 'POST',
      body: new URLSearchParams({
        username: 'mallory',
        password: 'dev-password',
      }),
    });
    expect(stranger.status).toBe(401);

    const back = await agent.follow(action, {
      method: 'POST',
      body: new URLSearchParams({
        username: 'grace',
        password: 'dev-password',
      }),
    });
    expect(back).toBeInstanceOf(URL);
    const redirect = back as URL;
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('state-1');

    const tokens = await (
      await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: basic('provisionhub-portal', 'dev-portal-secret'),
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: redirect.searchParams.get('code')!,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        }),
      })
    ).json();
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      id_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const userinfo = await (
      await fetch(`${issuer}/me`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
    ).json();
    expect(userinfo).toEqual({
      sub: 'grace',
      preferred_username: 'grace',
      email: 'grace@example.com',
      email_verified: true,
      name: 'Grace Hopper',
      given_name: 'Grace',
      family_name: 'Hopper',
      groups: ['payments-team'],
    });

    // The portal refreshes its session on every page load.
    const refreshed = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic('provisionhub-portal', 'dev-portal-secret'),
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      }),
    });
    expect(refreshed.status).toBe(200);
    await idp.waitForOutput(/grace signed in \(groups: payments-team\)/);
  });

  it('only redirects to the portal URLs it was given', async () => {
    const response = await fetch(
      `${issuer}/auth?${new URLSearchParams({
        client_id: 'provisionhub-portal',
        redirect_uri: 'http://evil.example.com/api/auth/oidc/handler/frame',
        response_type: 'code',
        scope: 'openid',
      })}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('redirect_uri did not match');
  });
});

describe('provisionhub-dev-idp configuration', () => {
  it.each([
    [
      { PROVISIONHUB_IDP_PORT: 'seven' },
      'PROVISIONHUB_IDP_PORT=seven is not a port number; use e.g. 7030',
    ],
    [
      {
        PROVISIONHUB_IDP_PORT: '0',
        PROVISIONHUB_IDP_PORTAL_URLS: 'localhost:7007',
      },
      "PROVISIONHUB_IDP_PORTAL_URLS: 'localhost:7007' is not a backend base URL such as http://localhost:7007",
    ],
  ])(
    'stops with a message that names the setting: %j',
    async (env, message) => {
      const idp = spawnProgram(BIN, [], { name: 'dev identity provider', env });
      expect((await idp.exited).code).toBe(1);
      expect(idp.output()).toContain(`provisionhub-dev-idp: ${message}`);
    },
  );
});
