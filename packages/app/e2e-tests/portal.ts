import { expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** What the end-to-end tests do in the dev portal, shared by every test file. */

const screenshots = path.resolve(__dirname, '../../../docs/screenshots');

/** A suffix that makes names unique per test run. */
export const suffix = Date.now().toString(36);

/** Signs in as the guest of the dev portal. */
export async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible({ timeout: 60_000 });
  await enter.click();
  await expect(page.getByRole('link', { name: 'ProvisionHub' })).toBeVisible();
}

/**
 * The signed-in guest's REST session: its bearer headers, a run's current state, and a request
 * that must be accepted and then succeed.
 */
export async function guestApi(page: Page) {
  const session = await page.request.get('/api/auth/guest/refresh');
  const token = (await session.json()).backstageIdentity.token as string;
  const headers = { Authorization: `Bearer ${token}` };
  const runStatus = async (id: string) =>
    (
      await page.request.get(`/api/provisionhub/runs/${id}`, { headers })
    ).json();
  const provision = async (data: object) => {
    const created = await page.request.post('/api/provisionhub/runs', {
      headers,
      data,
    });
    expect(created.status()).toBe(202);
    const { id } = await created.json();
    await expect
      .poll(async () => (await runStatus(id)).status, { timeout: 120_000 })
      .toBe('succeeded');
  };
  /** A system of the payments team, and a component of it. */
  const provisionSystemAndComponent = async (
    system: string,
    component: { name: string; blueprint: string; version?: string },
  ) => {
    await provision({
      kind: 'system',
      name: system,
      owner: 'group:default/payments-team',
      blueprint: 'system',
      values: {},
    });
    await provision({
      kind: 'component',
      owner: 'group:default/payments-team',
      system,
      values: {},
      ...component,
    });
  };
  return { headers, runStatus, provision, provisionSystemAndComponent };
}

export async function snap(page: Page, name: string) {
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({
    path: path.join(screenshots, `${name}.png`),
    fullPage: true,
  });
}

/** Walks the create wizard: blueprint → details → review (dry run) → submit; returns the run id. */
export async function createWith(
  page: Page,
  options: {
    blueprintTitle: RegExp;
    name: string;
    screenshots?: { details: string; review: string };
    /** The policy explanation the review step must show. */
    policy?: RegExp;
  },
) {
  await page.getByRole('radio', { name: options.blueprintTitle }).check();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Name', { exact: true }).fill(options.name);
  const owner = page.getByLabel('Owner', { exact: true });
  await owner.fill('group:default/payments-team');
  if (options.screenshots) {
    await snap(page, options.screenshots.details);
  }
  await page.getByRole('button', { name: 'Next' }).click();

  // The review step lists the files a dry run would create.
  await expect(page.getByText('catalog-info.yaml').first()).toBeVisible();
  if (options.policy) {
    await expect(page.getByTestId('policy-explanation')).toHaveText(
      options.policy,
    );
  }
  if (options.screenshots) {
    await snap(page, options.screenshots.review);
  }
  await page
    .getByRole('button', {
      name: /^(Create (system|component)|Request (system|component) for approval)$/,
    })
    .click();

  await page.waitForURL(/\/provisionhub\/runs\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

export async function expectRunSucceeded(page: Page) {
  // No reload: the page follows the run through signals (or polling) until it ends. The run's
  // status is the content header; a step's "Succeeded" says nothing about the run.
  await expect(
    page.getByRole('heading', { name: 'Succeeded', exact: true }),
  ).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.getByText('Report result').first()).toBeVisible();
}
