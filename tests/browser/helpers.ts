import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { baseUrl } from './system';

export type Role = 'window' | 'department' | 'supervisor' | 'admin';
const ROLE_LABELS: Record<Role, string> = {
  window: '综合窗口',
  department: '审批部门',
  supervisor: '效能监察',
  admin: '系统管理员',
};

/** Signs in through the dev sign-in page, as a person would. */
export async function signIn(page: Page, who: { role: Role; dept?: string; name: string }, path = '/'): Promise<void> {
  await page.goto(baseUrl() + path);
  await expect(page.getByRole('heading', { name: '并联审批工作台' })).toBeVisible();
  await pick(page, '角色', ROLE_LABELS[who.role]);
  if (who.dept) {
    const dept = page.getByLabel('部门', { exact: true });
    await dept.fill(who.dept);
    await page.keyboard.press('Escape');
  }
  await page.getByLabel('姓名').fill(who.name);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByTestId('who')).toContainText(who.name);
}

/** A new tab of its own (its own session) signed in as someone. */
export async function asUser(browser: Browser, who: { role: Role; dept?: string; name: string }, path = '/') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who, path);
  return page;
}

/** Chooses an option of an Ant Design select by its label. */
export async function pick(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

/** The page's own view of its animations and loading marks (the tests' TypeScript has no DOM library). */
interface AnimatedPage {
  document: {
    getAnimations(): { playState: string; effect: { getComputedTiming(): { endTime?: number | string } } | null }[];
    querySelector(selector: string): unknown;
  };
  requestAnimationFrame(callback: () => void): number;
}

/**
 * Whether the page is still settling, looked at after two frames so that a render already under way
 * has had its styles applied (run in the page, so no string eval under the CSP): a finite animation
 * or transition running, or something loading — a spinner, or content dimmed beneath one.
 */
async function settling(): Promise<boolean> {
  const win = globalThis as unknown as AnimatedPage;
  for (let frame = 0; frame < 2; frame++) await new Promise<void>((resolve) => win.requestAnimationFrame(resolve));
  if (win.document.querySelector('.ant-spin-spinning, .ant-spin-blur') !== null) return true;
  return win.document
    .getAnimations()
    .some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity);
}

/** How long a page must stay settled before it is judged: longer than any of the console's motions (0.3 s). */
const AT_REST_MS = 400;

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Judge the page at rest, as a user reads it. Mid-transition (a menu item turning selected)
  // colours are neither the old nor the new ones, and a list still loading sits dimmed beneath its
  // spinner: axe would measure contrasts no user ever reads. A render still to come (the route's
  // menu item selected a moment after sign-in) starts its transition later, so rest must last.
  // Endless animations (the live indicator's pulse, a spinner's dots) never come to rest and are
  // left out; a spinner itself is not.
  let restingSince: number | undefined;
  await expect
    .poll(
      async () => {
        if (await page.evaluate(settling)) restingSince = undefined;
        else restingSince ??= Date.now();
        return restingSince !== undefined && Date.now() - restingSince >= AT_REST_MS;
      },
      { message: `${screen}: the page comes to rest`, intervals: [50] },
    )
    .toBe(true);
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.help} — ` +
        // Each node with what axe measured there (for a contrast: both colours and the ratio).
        v.nodes.map((n) => `${n.target.join(' ')}${n.any[0] ? ` (${n.any[0].message})` : ''}`).join(', '),
    ),
  ).toEqual([]);
}

/** The API as a given person (dev tokens), for what a scenario needs before the browser takes over. */
export async function apiAs(request: APIRequestContext, who: { role: string; dept?: string; name: string }) {
  const issued = await request.post(`${baseUrl()}/api/dev/token`, { data: who });
  expect(issued.status()).toBe(200);
  const { token } = (await issued.json()) as { token: string };
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown) => {
    const res = await request.fetch(baseUrl() + url, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(data === undefined ? {} : { data }),
    });
    const body = res.headers()['content-type']?.includes('json') ? await res.json() : await res.text();
    if (res.status() >= 300) throw new Error(`${method} ${url}: ${res.status()} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, data: unknown) => call('POST', url, data),
    put: (url: string, data: unknown) => call('PUT', url, data),
  };
}
