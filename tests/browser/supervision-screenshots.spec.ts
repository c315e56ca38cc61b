import path from 'node:path';
import { expect, test, type Page } from './fixtures';
import { asUser } from './helpers';
import { baseUrl } from './system';

/** `npm run screenshots` (part 2): the supervisor's, administrator's and applicant's screens into docs/screenshots/. */
const OUT = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

test('screenshots of the supervision, administration and applicant screens', async ({ browser, request }) => {
  const issued = await request.post(`${baseUrl()}/api/dev/token`, {
    data: { role: 'window', dept: 'WIN', name: '王窗口' },
  });
  const { token } = (await issued.json()) as { token: string };
  const created = await request.post(`${baseUrl()}/api/cases`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      matterCode: 'BUILD',
      applicant: { name: '华南置业有限公司' },
      materials: ['app', 'licence', 'plan', 'fire'],
    },
  });
  const c = (await created.json()) as { caseNo: string; queryCode: string };

  const sup = await asUser(browser, { role: 'supervisor', name: '赵督查' }, '/supervision?filter=stuck&stalledHours=0');
  await expect(sup.getByRole('row').filter({ hasText: c.caseNo })).toBeVisible();
  await shot(sup, 'supervision-dashboard');
  await sup.goto(`${baseUrl()}/supervision/negative-reviews`);
  await expect(sup.getByRole('heading', { name: '否定报备审查' })).toBeVisible();
  await shot(sup, 'negative-review-queue');
  await sup.goto(`${baseUrl()}/supervision/stats`);
  await expect(sup.locator('canvas').first()).toBeVisible();
  await shot(sup, 'statistics');

  const admin = await asUser(browser, { role: 'admin', name: '钱管理' }, '/admin/departments');
  await expect(admin.getByRole('row').filter({ hasText: '消防救援支队' })).toBeVisible();
  await shot(admin, 'admin-departments');
  await admin.goto(`${baseUrl()}/admin/matters`);
  await admin.getByRole('button', { name: '编辑 建设工程规划许可' }).click();
  await expect(admin.getByRole('dialog')).toBeVisible();
  await shot(admin, 'admin-matter-editor');
  await admin.goto(`${baseUrl()}/admin/calendar`);
  await expect(admin.locator('button.cal-day').first()).toBeVisible();
  await shot(admin, 'admin-calendar');

  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const phone = await context.newPage();
  await phone.goto(`${baseUrl()}/progress?case=${c.caseNo}&code=${c.queryCode}`);
  await expect(phone.getByTestId('progress-status')).toBeVisible();
  await shot(phone, 'applicant-progress-phone');
  for (const p of [sup, admin]) await p.context().close();
  await context.close();
});
