import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests against a running dev portal (started by scripts/e2e.sh): the backend serves the
 * built app on :7007. Chromium is Debian's (/usr/bin/chromium); Playwright never downloads a browser.
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  // Generous: a whole provisioning flow on a shared 2-core machine, not a performance bound.
  timeout: 300_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'node_modules/.cache/e2e-test-results',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
