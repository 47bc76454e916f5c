import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createWith,
  expectRunSucceeded,
  guestApi,
  signIn,
  snap,
  suffix,
} from './portal';

/**
 * The whole product through the browser, against the dev portal started by scripts/e2e.sh (real
 * backend, RabbitMQ, worker and local Git): sign in, create a system, create a component from a
 * blueprint, watch its run reach `succeeded` without reloading, open the catalog entity's
 * Provisioning tab. Screenshots of each page go to docs/screenshots/.
 */

const systemName = `shop-${suffix}`;
const componentName = `checkout-${suffix}`;

test('a developer provisions a system and a component and finds them in the catalog', async ({
  page,
}) => {
  await signIn(page);

  await page.goto('/provisionhub');
  await expect(
    page.getByRole('button', { name: 'Create system' }).first(),
  ).toBeVisible();
  await snap(page, 'home');

  // A system from the `system` blueprint.
  await page.getByRole('button', { name: 'Create system' }).first().click();
  await createWith(page, { blueprintTitle: /^System/, name: systemName });
  await expectRunSucceeded(page);

  // A component of that system from the `node-backend` blueprint.
  await page.goto(`/provisionhub/systems/${systemName}`);
  await page.getByRole('button', { name: 'Create component' }).first().click();
  const runId = await createWith(page, {
    blueprintTitle: /Node\.js backend service/,
    name: componentName,
    screenshots: { details: 'create-component', review: 'create-review' },
  });
  await expect(page.getByText(`Run ${runId}`)).toBeVisible();
  await expectRunSucceeded(page);
  await expect(
    page.getByText(/pushed [0-9a-f]{12} to main/).first(),
  ).toBeVisible();
  await snap(page, 'run');

  // The pushed repository is real: clone it.
  const gitDir = process.env.PROVISIONHUB_E2E_GIT_DIR;
  if (gitDir) {
    const clone = fs.mkdtempSync(
      path.join(os.tmpdir(), 'provisionhub-e2e-clone-'),
    );
    execFileSync('git', [
      'clone',
      '--quiet',
      path.join(gitDir, systemName, `${componentName}.git`),
      clone,
    ]);
    expect(fs.existsSync(path.join(clone, 'catalog-info.yaml'))).toBe(true);
    fs.rmSync(clone, { recursive: true, force: true });
  }

  await page.goto(`/provisionhub/systems/${systemName}`);
  await expect(page.getByText(componentName).first()).toBeVisible();
  await snap(page, 'system');

  // The catalog shows the component with its Provisioning tab.
  await expect(async () => {
    await page.goto(`/catalog/default/component/${componentName}/provisioning`);
    await expect(page.getByText(runId).first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await snap(page, 'entity-provisioning');
});

test('a database waits for the platform team: the requester can neither approve it nor skip approval by cancel and retry', async ({
  page,
}) => {
  await signIn(page);
  const system = `ledger-${suffix}`;
  await page.goto('/provisionhub');
  await page.getByRole('button', { name: 'Create system' }).first().click();
  await createWith(page, { blueprintTitle: /^System/, name: system });
  await expectRunSucceeded(page);

  await page.goto(`/provisionhub/systems/${system}`);
  await page.getByRole('button', { name: 'Create component' }).first().click();
  const runId = await createWith(page, {
    blueprintTitle: /PostgreSQL database/,
    name: `ledger-db-${suffix}`,
    policy:
      /needs 1 approval from group:default\/platform-team because rule databases-need-platform-approval: databases hold data the platform team backs up and operates/,
    screenshots: {
      details: 'create-database',
      review: 'create-review-policy',
    },
  });
  await expect(page.getByText('Awaiting approval').first()).toBeVisible();
  const approve = page.getByRole('button', { name: 'Approve' });
  await expect(approve).toBeDisabled();
  await expect(approve.locator('xpath=..')).toHaveAttribute(
    'title',
    /you requested run .*, so you cannot approve it/,
  );
  await snap(page, 'run-approval');

  // The same guest through the REST API: 403 on approve; cancel then retry waits again.
  const { headers } = await guestApi(page);
  const api = (action: string) =>
    page.request.post(`/api/provisionhub/runs/${runId}/${action}`, {
      headers,
      data: {},
    });
  const self = await api('approve');
  expect(self.status()).toBe(403);
  expect((await self.json()).error.message).toMatch(
    /you requested run .*, so you cannot approve it/,
  );
  expect((await (await api('cancel')).json()).status).toBe('cancelled');
  const retried = await api('retry');
  expect(retried.status()).toBe(202);
  expect((await retried.json()).status).toBe('awaiting_approval');
});
