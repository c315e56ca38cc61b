import { expect, test, type Page } from './fixtures';
import { asUser, expectAccessible, pick } from './helpers';
import { baseUrl } from './system';

/** Waits for the case page or task page to show a status (pages poll; no reload). */
async function expectStatus(page: Page, status: string) {
  await expect(page.locator('.ant-tag', { hasText: new RegExp(`^${status}$`) }).first()).toBeVisible({
    timeout: 30_000,
  });
}

async function openTask(page: Page, caseNo: string) {
  await page.goto(`${baseUrl()}/dept`);
  const row = page.getByRole('row', { name: new RegExp(caseNo) });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.getByRole('link', { name: caseNo }).click();
  await expect(page.getByRole('heading', { name: '本部门审查意见' })).toBeVisible();
}

async function submitOpinion(page: Page) {
  await page.getByRole('button', { name: '提交审查意见' }).click();
}

test('one whole case through the browser, role by role, from the window to 办结', async ({ browser }) => {
  // ---- the window takes an incomplete application and hands over the one-time notice
  const window = await asUser(browser, { role: 'window', dept: 'WIN', name: '王窗口' });
  await window.getByRole('link', { name: '新建申请' }).first().click();
  await expect(window.getByRole('heading', { name: '新建申请（综合窗口收件）' })).toBeVisible();
  await pick(window, '申请事项', '建设工程规划许可（BUILD）');
  await window.getByRole('checkbox', { name: '建设工程规划许可申请表' }).check();
  await window.getByRole('checkbox', { name: '营业执照' }).check();
  await window.getByLabel('申请人').fill('张三建设有限公司');
  await window.getByLabel('联系电话').fill('13800000000');
  await expectAccessible(window, 'new application');
  await window.getByRole('button', { name: '提交申请' }).click();
  await expect(window.getByText('已收件，材料不齐全：请将一次性告知书交给申请人')).toBeVisible();
  const caseNo = (await window.getByTestId('new-case-no').textContent())!.trim();
  const notice = window.getByRole('article', { name: '一次性告知书' });
  await expect(notice.getByTestId('notice-materials').getByRole('listitem')).toHaveText([
    '建设工程设计方案图纸',
    '消防设计文件',
  ]);
  await expect(notice.getByTestId('query-code')).not.toBeEmpty();
  await expectAccessible(window, 'one-time notice');
  // The printed notice is the sheet alone: the page's controls are not printed.
  await window.emulateMedia({ media: 'print' });
  await expect(window.getByRole('button', { name: '打印一次性告知书' })).toBeHidden();
  await expect(notice).toBeVisible();
  await window.emulateMedia({ media: 'screen' });

  // ---- ... and registers the rest: accepted, every department gets its copy
  await window.getByRole('link', { name: '查看办件' }).click();
  await expectStatus(window, '待补齐材料');
  await window.getByRole('checkbox', { name: '建设工程设计方案图纸' }).check();
  await window.getByRole('checkbox', { name: '消防设计文件' }).check();
  await window.getByRole('button', { name: '登记补齐材料' }).click();
  await expectStatus(window, '审查中');
  await expect(window.getByTestId('lane-FIRE')).toBeVisible();

  // ---- 消防: approves with a fee; above the published standard first, refused in words
  const fire = await asUser(browser, { role: 'department', dept: 'FIRE', name: '张三' });
  await expectAccessible(fire, 'department workbench');
  await openTask(fire, caseNo);
  await expect(fire.getByText('消防设计审查费（元，最高 ¥500.00）')).toBeVisible();
  await fire.getByLabel('消防设计审查费（元，最高 ¥500.00）').fill('800');
  await expect(fire.getByText('超出公示标准：最高 ¥500.00')).toBeVisible();
  await submitOpinion(fire);
  await expect(fire.getByRole('alert').filter({ hasText: '收费超出公示标准' })).toBeVisible();
  await fire.getByLabel('消防设计审查费（元，最高 ¥500.00）').fill('300');
  await expect(fire.getByText('超出公示标准：最高 ¥500.00')).toBeHidden();
  await expectAccessible(fire, 'task page');
  await submitOpinion(fire);
  await expect(fire.getByText(/第 1 轮：已提出意见（同意）/)).toBeVisible();

  // ---- 生态环境: asks for a supplement
  const env = await asUser(browser, { role: 'department', dept: 'ENV', name: '李四' });
  await openTask(env, caseNo);
  await env.getByText('要求补正', { exact: true }).click();
  await env.getByRole('checkbox', { name: '建设工程设计方案图纸' }).check();
  await submitOpinion(env);
  await expect(env.getByText(/第 1 轮：已提出意见（要求补正）/)).toBeVisible();

  // ---- the lead (规划): approves with a condition; the round is complete, the supplement notice goes out
  const lead = await asUser(browser, { role: 'department', dept: 'PLAN', name: '赵六' });
  await openTask(lead, caseNo);
  await lead.getByText('附条件同意', { exact: true }).click();
  await lead.getByLabel('许可条件（每行一条）').fill('施工期间设置围挡');
  await submitOpinion(lead);
  await expect(lead.getByText(/第 1 轮：已提出意见（附条件同意）/)).toBeVisible();
  await expectStatus(lead, '中止计时');

  // ---- the window registers the supplement; the clock resumes and ENV reviews again
  await expectStatus(window, '中止计时');
  await window.getByRole('link', { name: '打印补正通知书' }).click();
  await expect(window.getByRole('article', { name: '补正材料通知书' })).toContainText('建设工程设计方案图纸');
  await expectAccessible(window, 'supplement notice');
  await window.getByRole('link', { name: '返回办件' }).click();
  await window.getByRole('checkbox', { name: '建设工程设计方案图纸' }).check();
  await window.getByRole('button', { name: '登记补正材料' }).click();
  await expectStatus(window, '审查中');
  await expect(window.getByTestId('suspension-span')).toHaveCount(1);

  // ---- the lead convenes a review meeting and records the minutes per department
  await expectStatus(lead, '审查中');
  await pick(lead, '会议类型', '联审会议');
  await lead.getByLabel('会议时间').click();
  await lead.getByLabel('会议时间').fill('2026-12-03 10:00');
  await lead.getByLabel('会议时间').press('Enter');
  await lead.getByRole('button', { name: '召集会议' }).click();
  await expect(lead.getByLabel('消防救援支队 意见')).toBeVisible();
  await lead.getByLabel('消防救援支队 意见').fill('消防通道宽度符合要求');
  await lead.getByLabel('生态环境局 意见').fill('补正后的图纸满足环评要求');
  await lead.getByRole('button', { name: '登记纪要' }).click();
  await expect(lead.getByText('消防救援支队：消防通道宽度符合要求', { exact: true })).toBeVisible();

  // ---- ENV approves in round 2
  await expect(env.getByText('审查意见（第 2 轮）')).toBeVisible({ timeout: 30_000 });
  await submitOpinion(env);
  await expect(env.getByText(/第 2 轮：已提出意见（同意）/)).toBeVisible();

  // ---- the lead sees the merged conditions and decides
  await expect(lead.getByTestId('merged-condition')).toHaveText(['自然资源和规划局：施工期间设置围挡'], {
    timeout: 30_000,
  });
  await expectAccessible(lead, 'lead decision');
  await lead.getByRole('button', { name: '作出决定' }).click();
  await expectStatus(lead, '待缴费');

  // ---- the window confirms the payment of the notice's amount; the case completes
  await expectStatus(window, '待缴费');
  await expect(window.getByTestId('payment-total')).toHaveText('¥300.00');
  await window.getByLabel('缴费单号').fill('PAY-2026-0001');
  await window.getByRole('button', { name: '确认缴费' }).click();
  await expectStatus(window, '已办结');

  // ---- the case page: lanes per department, the stage at 办结, the timeline ending in 办结
  await window.goto(`${baseUrl()}/cases/${caseNo}`);
  for (const dept of ['PLAN', 'FIRE', 'ENV']) await expect(window.getByTestId(`lane-${dept}`)).toBeVisible();
  await expect(window.getByTestId('lane-ENV')).toContainText('第 2 轮');
  await expect(window.getByTestId('lane-FIRE')).toContainText('消防设计审查费 ¥300.00');
  const entries = window.getByTestId('timeline-entry');
  await expect(entries.filter({ hasText: '消防救援支队 张三 提出意见：同意' })).toHaveCount(1);
  await expect(entries.last()).toContainText('办结，证照编号');
  await expect(window.locator('[aria-current="step"]')).toContainText('办结');
  await expectAccessible(window, 'case page');

  // ---- the window's list finds it by applicant, filtered to 已办结
  await window.goto(`${baseUrl()}/window?status=completed`);
  await window.getByLabel('按办件编号或申请人查找').fill('张三建设');
  await window.getByRole('button', { name: '查找' }).click();
  await expect(window.getByRole('row', { name: new RegExp(caseNo) })).toBeVisible();
});
