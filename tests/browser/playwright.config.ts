import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './chromium';

/**
 * Browser tests: Playwright driving the system's Chromium against the real system (global-setup
 * starts it). `npm run test:browser` runs the `browser` project; `npm run screenshots` the
 * `screenshots` project, which writes docs/screenshots/*.png.
 */
export default defineConfig({
  testDir: __dirname,
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 20_000 },
  outputDir: path.join(__dirname, '..', '..', 'test-results'),
  reporter: [['list'], [path.join(__dirname, 'counts-reporter.ts'), { name: 'browser' }]],
  use: {
    browserName: 'chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'browser', testMatch: /.*\.spec\.ts$/, testIgnore: /screenshots\.spec\.ts$/ },
    { name: 'screenshots', testMatch: /screenshots\.spec\.ts$/ },
  ],
});
