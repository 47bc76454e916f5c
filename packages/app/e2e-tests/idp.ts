import { APIRequestContext, expect, Page } from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';

/**
 * The development identity provider started by scripts/e2e.sh (packages/dev-idp): its URL, its
 * users' password, its machine client and its signing key file.
 */
export const idp = {
  url: process.env.PROVISIONHUB_E2E_IDP_URL ?? 'http://localhost:7030',
  password: process.env.PROVISIONHUB_IDP_PASSWORD || 'dev-password',
  keyFile: process.env.PROVISIONHUB_E2E_IDP_KEY_FILE,
  ci: { id: 'provisionhub-ci', secret: 'dev-secret' },
  title: 'ProvisionHub dev identity provider',
};

/** Signs in on the portal's sign-in page through the provider's login page (a popup). */
export async function signInWithOidc(
  page: Page,
  username: string,
  options: { screenshot?: (popup: Page) => Promise<void> } = {},
) {
  await page.goto('/');
  const card = page.locator('li', { hasText: idp.title });
  const signIn = card.getByRole('button', { name: 'Sign In', exact: true });
  await expect(signIn).toBeVisible({ timeout: 60_000 });
  const popupOpened = page.waitForEvent('popup');
  await signIn.click();
  const popup = await popupOpened;
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(idp.password);
  await options.screenshot?.(popup);
  await popup.getByRole('button', { name: 'Sign in' }).click();
}

/** An access token of the machine client, from the provider's client_credentials grant. */
export async function machineToken(request: APIRequestContext) {
  const response = await request.post(`${idp.url}/token`, {
    form: { grant_type: 'client_credentials' },
    headers: {
      Authorization: `Basic ${Buffer.from(
        `${idp.ci.id}:${idp.ci.secret}`,
      ).toString('base64')}`,
    },
  });
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.token_type).toBe('Bearer');
  return body.access_token as string;
}

const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed with `key` (RS256): the tests forge expired and foreign tokens with it. */
export function signJwt(
  claims: Record<string, unknown>,
  key: crypto.KeyObject,
  kid: string,
) {
  const input = `${base64url({
    alg: 'RS256',
    typ: 'at+jwt',
    kid,
  })}.${base64url(claims)}`;
  return `${input}.${crypto
    .sign('sha256', Buffer.from(input), key)
    .toString('base64url')}`;
}

/** The provider's own signing key (the file it keeps it in). */
export function providerKey() {
  if (!idp.keyFile) {
    throw new Error(
      'PROVISIONHUB_E2E_IDP_KEY_FILE is not set: run the tests through scripts/e2e.sh',
    );
  }
  const jwk = JSON.parse(fs.readFileSync(idp.keyFile, 'utf8'));
  return {
    key: crypto.createPrivateKey({ key: jwk, format: 'jwk' }),
    kid: jwk.kid as string,
  };
}

/** The claims of a JWT (not verified: the portal does that). */
export function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}
