import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { guestApi, signIn, snap, suffix } from './portal';

/**
 * Environments in the dev portal started by scripts/e2e.sh (GitOps repository `platform/gitops`,
 * development automatic, staging and production reviewed): a node-backend component is deployed
 * to development by its run, its page lists the three environments, and Promote to Staging
 * starts a promotion that proposes the staging overlay on a branch of the GitOps repository.
 */

const systemName = `stock-${suffix}`;
const componentName = `stock-api-${suffix}`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

test('a component page lists its environments and promotes development to staging', async ({
  page,
}) => {
  const gitDir = process.env.PROVISIONHUB_E2E_GIT_DIR;
  expect(gitDir, 'scripts/e2e.sh sets PROVISIONHUB_E2E_GIT_DIR').toBeTruthy();
  await signIn(page);
  const { runStatus, provisionSystemAndComponent } = await guestApi(page);
  await provisionSystemAndComponent(systemName, {
    name: componentName,
    blueprint: 'node-backend',
  });
  const version = git(
    path.join(gitDir!, systemName, `${componentName}.git`),
    'rev-parse',
    '--short=8',
    'main',
  );

  await page.goto(`/provisionhub/components/${componentName}`);
  const table = page.getByRole('table', { name: 'Environments' });
  await expect(table).toBeVisible();
  // A row is found by its first cell: the environment's title.
  const row = (title: string) =>
    table.getByRole('row').filter({
      has: page.getByRole('cell', { name: title, exact: true }),
    });
  await expect(row('Development')).toContainText(version);
  await expect(row('Development')).toContainText('committed');
  await expect(row('Staging')).toContainText('not deployed');
  await expect(row('Production')).toContainText('not deployed');
  await snap(page, 'component-environments');

  await row('Development')
    .getByRole('button', { name: 'Promote to Staging' })
    .click();
  await expect(page).toHaveURL(/\/provisionhub\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split('/').pop()!;
  await expect
    .poll(async () => (await runStatus(runId)).status, { timeout: 120_000 })
    .toBe('succeeded');
  const run = await runStatus(runId);
  expect(run).toMatchObject({
    kind: 'promote',
    promotion: { from: 'development', to: 'staging', version },
  });

  const gitops = path.join(gitDir!, 'platform', 'gitops.git');
  const branch = run.outputs.branch as string;
  expect(
    git(gitops, 'diff', '--name-only', `main..${branch}`)
      .split('\n')
      .every(file =>
        file.startsWith(`${systemName}/${componentName}/overlays/staging/`),
      ),
  ).toBe(true);

  await page.goto(`/provisionhub/components/${componentName}`);
  await expect(row('Staging')).toContainText('proposed');
  await expect(row('Staging')).toContainText(version);
  await snap(page, 'component-environments-promoted');
});
