import { defineConfig } from '@playwright/test';

/**
 * Two suites against a simulated station: `web` drives Debian's Chromium against the headless
 * server, `electron` drives the desktop app and skips loudly when the Electron binary is absent.
 * Browsers are never downloaded; Chromium comes from apt (apt-get install -y chromium).
 */
export default defineConfig({
  globalSetup: './global-setup.ts',
  outputDir: '../test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  // Two cores on the build machines; each worker starts its own station.
  workers: 2,
  reporter: process.env['CI'] ? [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]] : 'list',
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'web',
      testDir: './web',
      use: {
        browserName: 'chromium',
        viewport: { width: 1100, height: 800 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    {
      name: 'electron',
      testDir: './electron',
    },
  ],
});
