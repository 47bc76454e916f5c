import { Browser, expect, Page, test } from '@playwright/test';
import crypto from 'node:crypto';
import { createWith, expectRunSucceeded, snap, suffix } from './portal';
import {
  claimsOf,
  idp,
  machineToken,
  providerKey,
  signInWithOidc,
  signJwt,
} from './idp';

/**
 * Sign-in and API tokens through an OpenID Connect provider (the development provider, started
 * by scripts/e2e.sh with app-config.oidc.yaml): people sign in on its login page and their
 * provider groups reach approvals; a machine client calls the API with a client_credentials
 * token; expired, foreign and missing tokens get 401.
 */

async function personIn(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithOidc(page, username);
  await expect(page.getByRole('link', { name: 'ProvisionHub' })).toBeVisible();
  return page;
}

/** The signed-in person's Backstage identity, as the portal's OIDC session gives it. */
async function identityOf(page: Page) {
  const response = await page.request.get(
    '/api/auth/oidc/refresh?optional=&env=development&scope=openid%20profile%20email',
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(response.status()).toBe(200);
  return (await response.json()).backstageIdentity as {
    token: string;
    identity: { userEntityRef: string; ownershipEntityRefs: string[] };
  };
}

test('a payments-team member requests a database through the provider; only the platform team may approve it', async ({
  browser,
}) => {
  // Three people sign in and two runs go through the worker: more than one test's usual time.
  test.setTimeout(360_000);
  const grace = await browser.newPage();
  await signInWithOidc(grace, 'grace', {
    screenshot: popup => snap(popup, 'oidc-sign-in'),
  });
  await expect(grace.getByRole('link', { name: 'ProvisionHub' })).toBeVisible();
  expect((await identityOf(grace)).identity).toEqual({
    type: 'user',
    userEntityRef: 'user:default/grace',
    ownershipEntityRefs: ['user:default/grace', 'group:default/payments-team'],
  });

  const system = `vault-${suffix}`;
  await grace.goto('/provisionhub');
  await grace.getByRole('button', { name: 'Create system' }).first().click();
  await createWith(grace, { blueprintTitle: /^System/, name: system });
  await expectRunSucceeded(grace);

  await grace.goto(`/provisionhub/systems/${system}`);
  await grace.getByRole('button', { name: 'Create component' }).first().click();
  const runId = await createWith(grace, {
    blueprintTitle: /PostgreSQL database/,
    name: `vault-db-${suffix}`,
    policy: /needs 1 approval from group:default\/platform-team/,
  });
  await expect(grace.getByText('Awaiting approval').first()).toBeVisible();
  const graceApprove = grace.getByRole('button', { name: 'Approve' });
  await expect(graceApprove).toBeDisabled();
  await expect(graceApprove.locator('xpath=..')).toHaveAttribute(
    'title',
    /you requested run .*, so you cannot approve it/,
  );

  // Linus (web team) may not approve either.
  const linus = await personIn(browser, 'linus');
  await linus.goto(`/provisionhub/runs/${runId}`);
  const linusApprove = linus.getByRole('button', { name: 'Approve' });
  await expect(linusApprove).toBeDisabled();
  await expect(linusApprove.locator('xpath=..')).toHaveAttribute(
    'title',
    /needs a member of group:default\/platform-team; you are not a member/,
  );

  // Margaret is in the platform team at the provider only (the catalog lists no groups for
  // her): the provider's groups claim makes her an approver.
  const margaret = await personIn(browser, 'margaret');
  const { identity, token } = await identityOf(margaret);
  expect(identity.ownershipEntityRefs).toEqual([
    'user:default/margaret',
    'group:default/platform-team',
  ]);
  await margaret.goto(`/provisionhub/runs/${runId}`);
  await margaret.getByRole('button', { name: 'Approve' }).click();
  await margaret.getByRole('button', { name: 'Approve run' }).click();
  await expectRunSucceeded(margaret);

  const run = await (
    await margaret.request.get(`/api/provisionhub/runs/${runId}`, {
      headers: { Authorization: `Bearer ${token}` },
    })
  ).json();
  expect(run.requestedBy).toBe('user:default/grace');
  expect(run.approvals.map((a: { approver: string }) => a.approver)).toEqual([
    'user:default/margaret',
  ]);
});

test('a person the provider knows but the catalog does not is told why sign-in failed', async ({
  page,
}) => {
  await signInWithOidc(page, 'hedy');
  await expect(
    page.getByText(
      /no User entity in the catalog has spec\.profile\.email hedy@example\.com\. Ask a portal administrator to add you to the catalog/,
    ),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'ProvisionHub' })).toHaveCount(0);
  await snap(page, 'oidc-sign-in-refused');
});

test('a machine client creates runs with a client_credentials token, within its permissions', async ({
  request,
}) => {
  const token = await machineToken(request);
  const claims = claimsOf(token);
  expect(claims).toMatchObject({
    iss: idp.url,
    aud: 'provisionhub',
    sub: idp.ci.id,
  });
  const as = (t?: string) => ({
    headers: t ? { Authorization: `Bearer ${t}` } : {},
  });
  const api = (p: string) => `/api/provisionhub${p}`;

  expect((await request.get(api('/runs'), as(token))).status()).toBe(200);

  // A system, then a database in it: policy holds the database for the platform team.
  const system = `ci-${suffix}`;
  const created = await request.post(api('/runs'), {
    ...as(token),
    data: {
      kind: 'system',
      name: system,
      owner: 'group:default/web-team',
      blueprint: 'system',
      values: {},
    },
  });
  expect(created.status(), await created.text()).toBe(202);
  const systemRun = await created.json();
  expect(systemRun.requestedBy).toBe(`external:oidc:${idp.ci.id}`);
  await expect
    .poll(
      async () =>
        (
          await (
            await request.get(api(`/runs/${systemRun.id}`), as(token))
          ).json()
        ).status,
      { timeout: 120_000 },
    )
    .toBe('succeeded');

  const databaseRequest = {
    kind: 'component',
    name: `ci-db-${suffix}`,
    owner: 'group:default/web-team',
    system,
    blueprint: 'postgres-database',
    values: {},
  };
  const database = await request.post(api('/runs'), {
    ...as(token),
    data: databaseRequest,
  });
  expect(database.status(), await database.text()).toBe(202);
  const held = await database.json();
  expect(held.status).toBe('awaiting_approval');

  // Granted: reading blueprints, systems and policy previews.
  expect((await request.get(api('/blueprints'), as(token))).status()).toBe(200);
  expect(
    (await request.get(api(`/systems/${system}`), as(token))).status(),
  ).toBe(200);
  const preview = await request.post(api('/policy/evaluate'), {
    ...as(token),
    data: { ...databaseRequest, name: `ci-db2-${suffix}` },
  });
  expect(preview.status(), await preview.text()).toBe(200);
  expect((await preview.json()).decision).toBe('require-approval');

  // Not granted to the client: approving, rejecting, cancelling, retrying, other plugins.
  for (const [action, permission, data] of [
    ['approve', 'run.approve', {}],
    ['reject', 'run.approve', { reason: 'no' }],
    ['cancel', 'run.cancel', {}],
    ['retry', 'run.retry', {}],
  ] as const) {
    const refused = await request.post(api(`/runs/${held.id}/${action}`), {
      ...as(token),
      data,
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.message).toBe(
      `you lack the permission provisionhub.${permission} for run ${held.id}`,
    );
  }
  expect(
    (await request.get('/api/catalog/entities?limit=1', as(token))).status(),
  ).toBe(403);
});

test('an expired, foreign or missing token gets 401', async ({ request }) => {
  const get = (token?: string) =>
    request.get('/api/provisionhub/runs', {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: idp.url,
    aud: 'provisionhub',
    sub: idp.ci.id,
    client_id: idp.ci.id,
    iat: now - 60,
    exp: now + 600,
  };
  const { key, kid } = providerKey();
  // Control: the same forgery with valid claims passes, so the refusals below are about the
  // one claim or key that differs.
  expect((await get(signJwt(claims, key, kid))).status()).toBe(200);

  const refused = async (token: string | undefined) =>
    expect((await get(token)).status()).toBe(401);
  await refused(undefined);
  await refused(
    signJwt({ ...claims, iat: now - 1200, exp: now - 600 }, key, kid),
  );
  const foreign = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  await refused(signJwt(claims, foreign.privateKey, kid));
  await refused(
    signJwt({ ...claims, iss: 'https://idp.example.com' }, key, kid),
  );
  await refused(signJwt({ ...claims, aud: 'another-api' }, key, kid));
  await refused('not-a-token');
});
