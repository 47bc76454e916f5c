import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { guestApi, signIn, snap, suffix } from './portal';

/**
 * Day 2 in the dev portal started by scripts/e2e.sh: a component made from node-backend 1.0.0,
 * a developer's commit to its repository, then the component page offers the latest version (1.2.0) and its Upgrade
 * button starts an upgrade run that pushes a branch over the developer's commit.
 */

const systemName = `orders-${suffix}`;
const componentName = `orders-api-${suffix}`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

test('a component made from node-backend 1.0.0 is upgraded to the latest version from its page', async ({
  page,
}) => {
  const gitDir = process.env.PROVISIONHUB_E2E_GIT_DIR;
  expect(gitDir, 'scripts/e2e.sh sets PROVISIONHUB_E2E_GIT_DIR').toBeTruthy();
  await signIn(page);
  const { runStatus, provisionSystemAndComponent } = await guestApi(page);
  await provisionSystemAndComponent(systemName, {
    name: componentName,
    blueprint: 'node-backend',
    version: '1.0.0',
  });

  // A developer commits to the component's repository.
  const bare = path.join(gitDir!, systemName, `${componentName}.git`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'provisionhub-e2e-dev-'));
  try {
    git(os.tmpdir(), 'clone', '--quiet', bare, work);
    fs.writeFileSync(path.join(work, 'CONTRIBUTING.md'), 'Be kind.\n');
    git(work, 'add', '--all');
    git(
      work,
      '-c',
      'user.name=Dev',
      '-c',
      'user.email=dev@example.com',
      'commit',
      '--quiet',
      '-m',
      'Contributing guide',
    );
    git(work, 'push', '--quiet', 'origin', 'HEAD');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const developerHead = git(bare, 'rev-parse', 'main');

  await page.goto(`/provisionhub/components/${componentName}`);
  await expect(page.getByText('1.0.0 → 1.2.0 available')).toBeVisible();
  await snap(page, 'component-upgrade-available');

  await page.getByRole('button', { name: 'Upgrade to 1.2.0' }).click();
  await expect(page).toHaveURL(/\/provisionhub\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split('/').pop()!;
  await expect
    .poll(async () => (await runStatus(runId)).status, { timeout: 120_000 })
    .toBe('succeeded');
  // The page follows the run without a reload.
  await expect(
    page.getByRole('heading', { name: 'Succeeded', exact: true }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(
    page.getByText('provisionhub/upgrade-1.2.0').first(),
  ).toBeVisible();
  await snap(page, 'run-upgrade');

  const branch = 'provisionhub/upgrade-1.2.0';
  expect(git(bare, 'rev-parse', 'main')).toBe(developerHead);
  expect(git(bare, 'rev-parse', `${branch}^`)).toBe(developerHead);
  expect(git(bare, 'ls-tree', '--name-only', branch)).toContain(
    'CONTRIBUTING.md',
  );
});
