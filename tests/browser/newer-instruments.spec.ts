import { expect, test, type APIRequestContext } from './fixtures';
import { apiAs, asUser, expectAccessible, pick } from './helpers';
import { baseUrl } from './system';

const WINDOW = { role: 'window' as const, dept: 'WIN', name: '王窗口' };
const FIRE = { role: 'department' as const, dept: 'FIRE', name: '孙消防' };
const PLAN = { role: 'department' as const, dept: 'PLAN', name: '周规划' };

/** 容缺 and 告知承诺 allowed, limits long enough on the demo clock (a working day = 10 s). */
const FOOD = {
  code: 'FOOD',
  body: {
    name: '食品经营许可',
    leadDept: 'PLAN',
    coDepts: ['FIRE'],
    requiredMaterials: [
      { code: 'app', name: '食品经营许可申请书' },
      { code: 'licence', name: '营业执照副本', deferrable: true, deferredForm: '原件' },
      { code: 'site', name: '经营场所使用证明', commitmentAllowed: true },
    ],
    timeLimitDays: 40,
    deptReviewDays: 30,
    deferredDays: 30,
    verifyDays: 30,
    silencePolicy: 'deemed_approve',
    fees: [],
  },
};

test.beforeAll(async ({ request }) => {
  await (await apiAs(request, { role: 'admin', name: '钱管理' })).put(`/api/matters/${FOOD.code}`, FOOD.body);
});

async function allApprove(request: APIRequestContext, caseNo: string) {
  for (const who of [FIRE, PLAN])
    await (await apiAs(request, who)).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
}

async function submit(request: APIRequestContext, body: Record<string, unknown>) {
  return (await apiAs(request, WINDOW)).post('/api/cases', {
    matterCode: FOOD.code,
    applicant: { name: '食品申请人' },
    ...body,
  }) as Promise<{ caseNo: string; queryCode: string }>;
}

test('容缺受理 in the console: accepted with a deferred material, the lead told why it cannot approve, the window registers it', async ({
  browser,
  request,
}) => {
  const window = await asUser(browser, WINDOW, '/window/new');
  await pick(window, '申请事项', '食品经营许可（FOOD）');
  await window.getByRole('checkbox', { name: '食品经营许可申请书' }).check();
  await window.getByRole('checkbox', { name: '经营场所使用证明', exact: true }).check();
  await window.getByRole('checkbox', { name: /营业执照副本（容缺/ }).check();
  await window.getByLabel('容缺承诺书内容').fill('本人承诺在期限内补交营业执照副本原件，逾期未补交的同意终止办理');
  await window.getByLabel('承诺签署人').fill('食品申请人');
  await window.getByLabel('申请人').fill('容缺申请人');
  await expectAccessible(window, 'new application with 容缺');
  await window.getByRole('button', { name: '提交申请' }).click();
  const caseNo = (await window.getByTestId('new-case-no').textContent())!.trim();
  await window.getByRole('link', { name: '查看办件' }).click();
  const deferred = window.getByTestId('deferred-materials');
  await expect(deferred.getByRole('row', { name: /营业执照副本.*原件.*待补交/ })).toBeVisible();
  await expect(deferred).toContainText('本人承诺在期限内补交营业执照副本原件');

  await allApprove(request, caseNo);
  const lead = await asUser(browser, PLAN, `/dept/tasks/${caseNo}`);
  await expect(lead.getByTestId('deferred-outstanding')).toContainText('营业执照副本');
  await lead.getByRole('button', { name: '作出决定' }).click();
  await expect(lead.getByRole('alert').filter({ hasText: '仍有容缺材料未补齐，暂不能批准。' })).toBeVisible();
  await expectAccessible(lead, 'lead decision with a deferred material outstanding');

  await window.reload();
  await deferred.getByRole('checkbox', { name: '营业执照副本' }).check();
  await deferred.getByRole('button', { name: '登记容缺补交材料' }).click();
  await expect(deferred.getByRole('row', { name: /营业执照副本.*已补交/ })).toBeVisible();
  await expectAccessible(window, 'case page with 容缺 materials');

  await lead.reload();
  await expect(lead.getByTestId('deferred-outstanding')).toHaveCount(0);
  await lead.getByRole('button', { name: '作出决定' }).click();
  await expect(lead.locator('.ant-tag', { hasText: /^已办结$/ }).first()).toBeVisible();
});

test('告知承诺: the verifying department records its check — confirmed, and a false commitment revokes the approval', async ({
  browser,
  request,
}) => {
  const approved = async () => {
    const c = await submit(request, { materials: ['app', 'licence'], commitments: ['site'] });
    await allApprove(request, c.caseNo);
    await (await apiAs(request, PLAN)).post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' });
    return c.caseNo;
  };
  const [kept, revoked] = [await approved(), await approved()];
  const lead = await asUser(browser, PLAN, `/cases/${kept}`);
  const card = lead.getByTestId('commitments');
  await expect(card).toContainText('经营场所使用证明：以书面承诺代替证明');
  await expect(lead.getByTestId('verification-outcome')).toHaveText('待核查');
  await card.getByRole('radio', { name: '承诺属实' }).check();
  await card.getByLabel('核查说明').fill('现场核查，场所使用证明与承诺一致');
  await expectAccessible(lead, 'case page with a commitment to verify');
  await card.getByRole('button', { name: '登记核查结果' }).click();
  await expect(lead.getByTestId('verification-outcome')).toContainText('承诺属实');
  await expect(card.getByRole('button', { name: '登记核查结果' })).toHaveCount(0);

  await lead.goto(`${baseUrl()}/cases/${revoked}`);
  await card.getByRole('radio', { name: /虚假承诺/ }).check();
  await expect(card).toContainText('认定虚假承诺将撤销审批决定');
  await card.getByLabel('核查说明').fill('场所为他人所有，未取得使用授权');
  await card.getByRole('button', { name: '登记核查结果' }).click();
  await expect(lead.locator('.ant-tag', { hasText: /^已撤销$/ }).first()).toBeVisible();
  await expect(lead.getByTestId('verification-outcome')).toContainText('虚假承诺');
});

test('好差评: a bad rating on the applicant page opens a remediation the department records with its 回访; statistics show it', async ({
  browser,
  request,
}) => {
  const c = await submit(request, { materials: ['app', 'licence', 'site'] });
  await allApprove(request, c.caseNo);
  await (await apiAs(request, PLAN)).post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' });

  const applicant = await (await browser.newContext()).newPage();
  await applicant.goto(`${baseUrl()}/progress?case=${c.caseNo}&code=${c.queryCode}`);
  await expect(applicant.getByTestId('progress-status')).toHaveText('已办结');
  await applicant.getByRole('radio', { name: '1 星 · 非常不满意' }).check();
  await applicant.getByLabel('意见建议（选填）').fill('材料要求前后不一致，多跑了两趟');
  await expectAccessible(applicant, 'applicant rating form');
  await applicant.getByRole('button', { name: '提交评价' }).click();
  await expect(applicant.getByTestId('rated')).toContainText('1 星 · 非常不满意');
  await expect(applicant.getByTestId('rated')).toContainText('责任部门整改');

  const lead = await asUser(browser, PLAN, '/dept?tab=remediation');
  const row = lead.getByRole('row', { name: new RegExp(c.caseNo) });
  await expect(row).toContainText('待整改');
  await expectAccessible(lead, 'remediation tasks');
  await row.getByRole('link', { name: c.caseNo }).click();
  const panel = lead.getByTestId('rating');
  await expect(panel).toContainText('1 星 · 非常不满意');
  await panel.getByLabel('整改措施').fill('统一材料清单，实行一次性告知');
  await panel.getByRole('checkbox', { name: '已回访申请人' }).check();
  await panel.getByLabel('回访情况').fill('已电话回访，申请人表示认可');
  await expectAccessible(lead, 'case page with a remediation to record');
  await panel.getByRole('button', { name: '登记整改情况' }).click();
  await expect(lead.getByTestId('remediation-state')).toContainText('已按时整改');
  await expect(panel).toContainText('已回访申请人');

  const supervisor = await asUser(browser, { role: 'supervisor', name: '赵督查' }, '/supervision/stats');
  await expect(supervisor.getByRole('columnheader', { name: '满意率' }).first()).toBeVisible();
  const matterRow = supervisor.getByRole('row', { name: /食品经营许可（FOOD）/ });
  await expect(matterRow).toBeVisible();
  await expectAccessible(supervisor, 'statistics with ratings');
});
