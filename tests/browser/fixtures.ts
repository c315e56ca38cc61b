import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';
export type { APIRequestContext, Page } from '@playwright/test';

/**
 * The browser tests' `test`: each test closes the browser contexts it opened (every person's tab
 * from `asUser`, a phone-sized context). The browser outlives a test, so without this their pages
 * stayed open for the rest of the run, each still holding its live-updates stream and refetching
 * — later tests ran beside dozens of idle consoles. Closing records their traces and failure
 * screenshots first (Playwright does that on close).
 */
export const test = base.extend<{ closesItsContexts: void }>({
  closesItsContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      await Promise.all(
        browser
          .contexts()
          .filter((c) => !before.has(c))
          .map((c) => c.close()),
      );
    },
    { auto: true },
  ],
});
