import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from './fixtures';
import { asUser, pick } from './helpers';
import { baseUrl } from './system';

/** `npm run screenshots`: one PNG of each main screen into docs/screenshots/ (shown in the README). */
const OUT = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

async function tokenFor(request: APIRequestContext, role: string, dept: string | undefined, name: string) {
  const res = await request.post(`${baseUrl()}/api/dev/token`, { data: { role, name, ...(dept ? { dept } : {}) } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function call(request: APIRequestContext, token: string, url: string, data: unknown) {
  const res = await request.post(baseUrl() + url, { data, headers: { authorization: `Bearer ${token}` } });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return res.json() as Promise<{ caseNo: string }>;
}

async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

test('screenshots of the main screens', async ({ browser, request }) => {
  const win = await tokenFor(request, 'window', 'WIN', '王窗口');
  const fire = await tokenFor(request, 'department', 'FIRE', '张三');
  const env = await tokenFor(request, 'department', 'ENV', '李四');
  const plan = await tokenFor(request, 'department', 'PLAN', '赵六');
  const all = ['app', 'licence', 'plan', 'fire'];
  const submit = (name: string, materials = all) =>
    call(request, win, '/api/cases', { matterCode: 'BUILD', applicant: { name }, materials });

  // A completed case (its page shows every stage and the whole timeline).
  const done = await submit('华南置业有限公司');
  const opinion = (token: string, body: unknown) => call(request, token, `/api/cases/${done.caseNo}/opinions`, body);
  await opinion(fire, { verdict: 'approve', fees: [{ item: '消防设计审查费', amountCents: 30000 }] });
  await opinion(env, { verdict: 'request_supplement', materials: [{ code: 'plan', name: '建设工程设计方案图纸' }] });
  await opinion(plan, { verdict: 'approve_with_conditions', conditions: ['施工期间设置围挡'] });
  await expect
    .poll(async () => {
      const res = await request.get(`${baseUrl()}/api/cases/${done.caseNo}`, {
        headers: { authorization: `Bearer ${win}` },
      });
      return ((await res.json()) as { status: string }).status;
    })
    .toBe('suspended');
  await call(request, win, `/api/cases/${done.caseNo}/supplements`, { materials: ['plan'] });
  await opinion(env, { verdict: 'approve' });
  await call(request, plan, `/api/cases/${done.caseNo}/decision`, { decision: 'approve' });
  await call(request, win, `/api/cases/${done.caseNo}/payment`, { paymentRef: 'PAY-0001', amountCents: 30000 });

  // One in review, one waiting for the lead's decision over a rejection, one waiting for materials.
  const reviewing = await submit('城东物流园');
  await call(request, fire, `/api/cases/${reviewing.caseNo}/opinions`, { verdict: 'approve' });
  const deciding = await submit('滨江商业综合体');
  await call(request, fire, `/api/cases/${deciding.caseNo}/opinions`, {
    verdict: 'reject',
    reason: '消防车通道宽度不足',
    legalBasis: '《建筑设计防火规范》7.1.8',
  });
  await call(request, env, `/api/cases/${deciding.caseNo}/opinions`, {
    verdict: 'approve_with_conditions',
    conditions: ['夜间不得施工'],
  });
  await call(request, plan, `/api/cases/${deciding.caseNo}/opinions`, { verdict: 'approve' });
  await submit('北城小学改扩建', ['app']);

  const signInPage = await browser.newPage();
  await signInPage.goto(`${baseUrl()}/signin`);
  await expect(signInPage.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  await shot(signInPage, 'sign-in');

  const window = await asUser(browser, { role: 'window', dept: 'WIN', name: '王窗口' });
  await expect(window.getByRole('row', { name: /华南置业/ })).toBeVisible();
  await shot(window, 'window-case-list');
  await window.goto(`${baseUrl()}/window/new`);
  await pick(window, '申请事项', '建设工程规划许可（BUILD）');
  await window.getByRole('checkbox', { name: '建设工程规划许可申请表' }).check();
  await window.getByRole('checkbox', { name: '营业执照' }).check();
  await window.getByLabel('申请人').fill('张三建设有限公司');
  await shot(window, 'window-new-application');
  await window.getByRole('button', { name: '提交申请' }).click();
  await expect(window.getByRole('article', { name: '一次性告知书' })).toBeVisible();
  await shot(window, 'window-one-time-notice');

  const envPage = await asUser(browser, { role: 'department', dept: 'ENV', name: '李四' });
  await expect(envPage.getByRole('row', { name: new RegExp(reviewing.caseNo) })).toBeVisible();
  await shot(envPage, 'department-workbench');
  await envPage.goto(`${baseUrl()}/dept/tasks/${reviewing.caseNo}`);
  await envPage.getByText('附条件同意', { exact: true }).click();
  await envPage.getByLabel('许可条件（每行一条）').fill('施工扬尘须符合《大气污染防治法》要求');
  await shot(envPage, 'department-task');

  const planPage = await asUser(
    browser,
    { role: 'department', dept: 'PLAN', name: '赵六' },
    `/dept/tasks/${deciding.caseNo}`,
  );
  await expect(planPage.getByText('消防救援支队 的不予许可意见仍然有效')).toBeVisible();
  await shot(planPage, 'lead-decision');

  await window.goto(`${baseUrl()}/cases/${done.caseNo}`);
  await expect(window.getByTestId('timeline-entry').last()).toContainText('办结');
  await shot(window, 'case-page');
});
