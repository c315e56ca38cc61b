import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from './fixtures';
import { parse } from 'csv-parse/sync';
import { apiAs, asUser, expectAccessible, signIn } from './helpers';
import { BUILD, baseUrl } from './system';

const SUPERVISOR = { role: 'supervisor' as const, name: '赵督查' };
const ADMIN = { role: 'admin' as const, name: '钱管理' };
const WINDOW = { role: 'window', dept: 'WIN', name: '王窗口' };
const FIRE = { role: 'department' as const, dept: 'FIRE', name: '孙消防' };
const PLAN = { role: 'department' as const, dept: 'PLAN', name: '周规划' };

/** A matter whose departments have one demo day and whose silence is never consent: they go overdue. */
const SLOW = {
  name: '户外广告设置许可',
  leadDept: 'PLAN',
  coDepts: ['FIRE'],
  requiredMaterials: [{ code: 'app', name: '设置申请表' }],
  timeLimitDays: 30,
  deptReviewDays: 1,
  silencePolicy: 'escalate_only',
  fees: [],
};

async function submit(request: APIRequestContext, matterCode: string, materials: string[]) {
  const window = await apiAs(request, WINDOW);
  return (await window.post('/api/cases', { matterCode, applicant: { name: '李申请' }, materials })) as {
    caseNo: string;
    queryCode: string;
  };
}

test('the supervisor finds an overdue case, urges the blocking department (seen live in its inbox) and extends the case', async ({
  browser,
  request,
}) => {
  const admin = await apiAs(request, ADMIN);
  await admin.put('/api/matters/SLOW', SLOW);
  const c = await submit(request, 'SLOW', ['app']);

  const fire = await asUser(browser, FIRE, '/dept?tab=inbox');
  await expect(fire.getByTestId('live-status')).toHaveAttribute('data-connected', 'true');

  const sup = await asUser(browser, SUPERVISOR, '/supervision');
  await expect(sup.getByRole('heading', { name: '效能监察' })).toBeVisible();
  // One demo day (6 s) of review passes: the case turns up among the red cards, held up by both departments.
  const row = sup.getByRole('row').filter({ hasText: c.caseNo });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row.getByTestId('blocking')).toContainText('消防救援支队');
  await expect(row.getByTestId('blocking')).toContainText('逾期');
  await expect(sup.getByTestId('card-overdue')).not.toContainText('—');
  await expectAccessible(sup, 'supervision dashboard');

  await row.getByRole('button', { name: `督办 ${c.caseNo}` }).click();
  const urge = sup.getByRole('dialog', { name: `督办 ${c.caseNo}` });
  await urge.getByLabel('督办意见').fill('请今日内出具消防意见');
  await urge.getByRole('button', { name: '发送督办' }).click();
  await expect(sup.getByText('已督办')).toBeVisible();

  // The department's inbox shows the urge without a reload.
  const notice = fire.getByTestId('inbox-urge').filter({ hasText: c.caseNo });
  await expect(notice).toContainText('请今日内出具消防意见', { timeout: 5_000 });
  await expectAccessible(fire, 'department inbox');

  // Extend: the cap is explained, and the deadline moves on the case page (live, no reload).
  const casePage = await asUser(browser, SUPERVISOR, `/cases/${c.caseNo}`);
  const deadline = casePage.getByText(/（30 个工作日）/);
  await expect(deadline).toBeVisible();
  const before = await deadline.textContent();
  await row.getByRole('button', { name: `延期 ${c.caseNo}` }).click();
  const extend = sup.getByRole('dialog', { name: `延期 ${c.caseNo}` });
  await expect(extend).toContainText('延期累计不得超过 15 个工作日');
  await expect(extend).toContainText('本件已延期 0 个工作日，还可延期 15 个工作日');
  await extend.getByLabel('延期工作日').fill('16');
  await extend.getByLabel('延期理由').fill('需补充专家论证');
  await extend.getByRole('button', { name: '批准延期' }).click();
  await expect(
    extend.getByRole('alert').filter({ hasText: '延期累计不得超过 15 个工作日（《行政许可法》第四十二条）' }),
  ).toBeVisible();
  // 15 demo days (90 s): the deadline shown to the minute moves.
  await extend.getByLabel('延期工作日').fill('15');
  await extend.getByRole('button', { name: '批准延期' }).click();
  await expect(sup.getByText('已延期，办结期限已顺延')).toBeVisible();
  await expect(casePage.getByText(/（30 个工作日）/)).not.toHaveText(before!, { timeout: 10_000 });
  for (const p of [fire, sup, casePage]) await p.context().close();
});

test('a rejection waits in the 否定报备 queue; the supervisor overturns it and the lead decides again', async ({
  browser,
  request,
}) => {
  const c = await submit(
    request,
    'BUILD',
    BUILD.body.requiredMaterials.map((m) => m.code),
  );
  for (const who of [FIRE, { ...FIRE, dept: 'ENV', name: '吴环保' }, PLAN])
    await (await apiAs(request, who)).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' });
  await (
    await apiAs(request, PLAN)
  ).post(`/api/cases/${c.caseNo}/decision`, { decision: 'reject', reason: '不符合控制性详细规划' });

  const sup = await asUser(browser, SUPERVISOR, '/supervision/negative-reviews');
  const row = sup.getByRole('row').filter({ hasText: c.caseNo });
  await expect(row).toContainText('不符合控制性详细规划');
  await expectAccessible(sup, 'negative review queue');
  await row.getByRole('button', { name: `审查 ${c.caseNo}` }).click();
  const dialog = sup.getByRole('dialog');
  await dialog.getByText('推翻，退回重新决定').click();
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(dialog.getByText('推翻须填写说明')).toBeVisible();
  await dialog.getByLabel('审查说明').fill('规划条件已调整，理由不成立');
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(sup.getByText('已推翻，退回牵头部门重新决定')).toBeVisible();
  await expect(sup.getByRole('row').filter({ hasText: c.caseNo })).toHaveCount(0);

  const lead = await asUser(browser, PLAN, `/dept/tasks/${c.caseNo}`);
  const form = lead.getByRole('form', { name: '汇总决定' });
  await form.getByText('准予许可').click();
  await form.getByRole('button', { name: '作出决定' }).click();
  await expect(lead.getByText(/已作出决定|待缴费|已办结/).first()).toBeVisible();
  const view = (await (await apiAs(request, SUPERVISOR)).get(`/api/cases/${c.caseNo}`)) as { status: string };
  expect(['awaiting_payment', 'completed']).toContain(view.status);
  for (const p of [sup, lead]) await p.context().close();
});

test('the admin publishes a calendar year and edits a matter: a new case uses the edit, a running one does not', async ({
  page,
  request,
}) => {
  const admin = await apiAs(request, ADMIN);
  await admin.put('/api/matters/EDITME', { ...SLOW, name: '临时建筑审批', deptReviewDays: 10 });
  const running = await submit(request, 'EDITME', ['app']);

  await signIn(page, ADMIN, '/admin/calendar');
  await expect(page.getByRole('heading', { name: '工作日历' })).toBeVisible();
  const year = new Date().getFullYear() + 1;
  // 1 January: a holiday (click until it is one — the shipped calendar may already have it).
  const newYear = page.locator(`button[data-date="${year}-01-01"]`);
  for (let i = 0; i < 3 && (await newYear.getAttribute('data-kind')) !== 'holiday'; i++) await newYear.click();
  await expect(newYear).toHaveAttribute('data-kind', 'holiday');
  const saturday = page.locator(`button.cal-weekend[data-date^="${year}-02-"]`).first();
  const satDate = (await saturday.getAttribute('data-date'))!;
  await saturday.click();
  await expect(saturday).toHaveClass(/cal-workday/);
  await expectAccessible(page, 'calendar');
  await page.getByRole('button', { name: `发布 ${year} 年` }).click();
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await expect(page.getByText(`${year} 年工作日历已发布`)).toBeVisible();
  const published = (
    (await admin.get('/api/calendar')) as { year: number; holidays: string[]; workdays: string[]; version: string }[]
  ).find((y) => y.year === year)!;
  expect(published.holidays).toContain(`${year}-01-01`);
  expect(published.workdays).toEqual([satDate]);
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: String(year) })
      .first(),
  ).toContainText(published.version);

  await page.getByRole('link', { name: '事项' }).click();
  await expect(page.getByText('办理中的办件沿用受理时的事项定义')).toBeVisible();
  await expectAccessible(page, 'matters');
  await page.getByRole('button', { name: '编辑 临时建筑审批' }).click();
  const dialog = page.getByRole('dialog', { name: '编辑事项' });
  await dialog.getByLabel('承诺时限（工作日）').fill('0');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByText('须为 1–365 的整数')).toBeVisible();
  await dialog.getByLabel('承诺时限（工作日）').fill('12');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('已保存事项“临时建筑审批”')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: '临时建筑审批' })).toContainText('12 个工作日');

  const fresh = await submit(request, 'EDITME', ['app']);
  const sup = await apiAs(request, SUPERVISOR);
  expect(
    ((await sup.get(`/api/cases/${fresh.caseNo}`)) as { clock: { timeLimitDays: number } }).clock.timeLimitDays,
  ).toBe(12);
  expect(
    ((await sup.get(`/api/cases/${running.caseNo}`)) as { clock: { timeLimitDays: number } }).clock.timeLimitDays,
  ).toBe(30);

  await page.getByRole('link', { name: '部门' }).click();
  // The matters table names departments too: read the row only once the departments page is shown.
  await expect(page).toHaveURL(/\/admin\/departments$/);
  await expect(page.getByRole('row').filter({ hasText: '消防救援支队' })).toContainText('未配置');
  await expectAccessible(page, 'departments');
});

test('the applicant follows a case on a phone-sized page from review to 办结; a wrong code looks like no case', async ({
  browser,
  request,
}) => {
  const c = await submit(
    request,
    'BUILD',
    BUILD.body.requiredMaterials.map((m) => m.code),
  );
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(`${baseUrl()}/progress?case=${c.caseNo}&code=${c.queryCode}`);
  await expect(phone.getByRole('heading', { name: '办件进度查询' })).toBeVisible();
  await expect(phone.getByTestId('progress-status')).toHaveText('审查中');
  await expect(phone.getByText('消防救援支队')).toBeVisible();
  expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  await expectAccessible(phone, 'applicant progress (360 px)');

  for (const who of [FIRE, { ...FIRE, dept: 'ENV', name: '吴环保' }, PLAN])
    await (await apiAs(request, who)).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' });
  await (await apiAs(request, PLAN)).post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' });
  await phone.getByRole('button', { name: '查询' }).click();
  await expect(phone.getByTestId('progress-status')).toHaveText(/已办结|待缴费/);
  const view = (await (await apiAs(request, SUPERVISOR)).get(`/api/cases/${c.caseNo}`)) as {
    fees: { totalCents: number };
  };
  if (view.fees.totalCents === 0) await expect(phone.getByText('证照文号')).toBeVisible();
  await phone.emulateMedia({ media: 'print' });
  await expect(phone.getByRole('button', { name: '查询' })).toBeHidden();
  await phone.emulateMedia({ media: 'screen' });

  await phone.goto(`${baseUrl()}/progress?case=${c.caseNo}&code=WRONG1`);
  const wrong = await phone.getByRole('alert').textContent();
  await phone.goto(`${baseUrl()}/progress?case=JA00000000000000&code=${c.queryCode}`);
  await expect(phone.getByRole('alert')).toHaveText(wrong!);
  expect(wrong).toContain('未查询到办件');
  await context.close();
});

test('statistics show what the cases did, and the CSV download has the same rows', async ({ page, request }) => {
  const sup = await apiAs(request, SUPERVISOR);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const from = `${today.slice(0, 8)}01`;
  const stats = (await sup.get(`/api/supervision/stats?from=${from}&to=${today}`)) as {
    dept: string;
    received: number;
    given: number;
    score: number;
  }[];
  const fire = stats.find((r) => r.dept === 'FIRE')!;
  expect(fire.received).toBeGreaterThan(0);

  await signIn(page, SUPERVISOR, `/supervision/stats?from=${from}&to=${today}`);
  await expect(page.getByRole('heading', { name: '效能考核' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: '消防救援支队' });
  await expect(row.getByRole('cell').nth(1)).toHaveText(String(fire.received));
  await expect(row.getByRole('cell').nth(2)).toHaveText(String(fire.given));
  await expect(page.getByRole('img', { name: '各部门按时率与得分柱状图' }).locator('canvas')).toBeVisible();
  await expect(page.getByRole('img', { name: '各部门按周按时率折线图' }).locator('canvas')).toBeVisible();
  await expectAccessible(page, 'statistics');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV（Excel）' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`效能考核-${from}_${today}.csv`);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(bytes.subarray(3).toString('utf8'), { record_delimiter: '\r\n' }) as string[][];
  expect(rows.slice(1).map((r) => [r[0], Number(r[2]), Number(r[3]), Number(r[11])])).toEqual(
    stats.map((r) => [r.dept, r.received, r.given, r.score]),
  );
});
