import { expect, test } from './fixtures';
import { asUser, expectAccessible, pick } from './helpers';
import { baseUrl } from './system';

test('the window refuses an incomplete application and withdraws another at the applicant’s request', async ({
  browser,
}) => {
  const window = await asUser(browser, { role: 'window', dept: 'WIN', name: '王窗口' }, '/window/new');
  const submit = async (applicant: string, materials: string[]) => {
    await window.goto(`${baseUrl()}/window/new`);
    await pick(window, '申请事项', '建设工程规划许可（BUILD）');
    for (const m of materials) await window.getByRole('checkbox', { name: m }).check();
    await window.getByLabel('申请人').fill(applicant);
    await window.getByLabel('绿色通道').click();
    await window.getByRole('button', { name: '提交申请' }).click();
    const caseNo = (await window.getByTestId('new-case-no').textContent())!.trim();
    await window.getByRole('link', { name: '查看办件' }).click();
    return caseNo;
  };

  await submit('不予受理申请人', ['营业执照']);
  await expect(window.getByText('绿色通道', { exact: true })).toBeVisible();
  await window.getByRole('button', { name: '不予受理' }).click();
  await window.getByRole('dialog').getByLabel('理由').fill('申请事项不属于本中心受理范围');
  await window.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await expect(window.locator('.ant-tag', { hasText: /^不予受理$/ })).toBeVisible();
  await expect(window.getByTestId('timeline-entry').last()).toContainText('不予受理：申请事项不属于本中心受理范围');

  const all = ['建设工程规划许可申请表', '营业执照', '建设工程设计方案图纸', '消防设计文件'];
  const withdrawn = await submit('撤回申请人', all);
  await window.getByRole('button', { name: '撤回申请' }).click();
  await expectAccessible(window, 'withdraw dialog');
  await window.getByRole('dialog').getByLabel('理由').fill('申请人书面申请撤回');
  await window.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await expect(window.locator('.ant-tag', { hasText: /^已撤回$/ })).toBeVisible();

  // The list filters by status and finds by case number.
  await window.goto(`${baseUrl()}/window?status=withdrawn`);
  await window.getByLabel('按办件编号或申请人查找').fill(withdrawn);
  await window.getByRole('button', { name: '查找' }).click();
  await expect(window.getByRole('row', { name: new RegExp(withdrawn) })).toBeVisible();
  await expect(window.getByRole('row')).toHaveCount(2);
});

test('the lead starts a special procedure (the clock stops) and ends it (the clock resumes)', async ({ browser }) => {
  const window = await asUser(browser, { role: 'window', dept: 'WIN', name: '王窗口' }, '/window/new');
  await pick(window, '申请事项', '建设工程规划许可（BUILD）');
  for (const m of ['建设工程规划许可申请表', '营业执照', '建设工程设计方案图纸', '消防设计文件'])
    await window.getByRole('checkbox', { name: m }).check();
  await window.getByLabel('申请人').fill('听证申请人');
  await window.getByRole('button', { name: '提交申请' }).click();
  const caseNo = (await window.getByTestId('new-case-no').textContent())!.trim();

  const lead = await asUser(browser, { role: 'department', dept: 'PLAN', name: '赵六' }, `/dept/tasks/${caseNo}`);
  await lead.getByLabel('程序类型').fill('听证');
  await lead.getByLabel('启动理由').fill('涉及相邻权利人重大利益，依申请举行听证');
  await lead.getByRole('button', { name: '启动特别程序' }).click();
  await expect(lead.locator('.ant-tag', { hasText: /^中止计时$/ }).first()).toBeVisible();
  await lead.getByLabel('结论').fill('听证结束，相邻权利人无异议');
  await lead.getByRole('button', { name: '结束特别程序' }).click();
  await expect(lead.locator('.ant-tag', { hasText: /^审查中$/ }).first()).toBeVisible();
  await expect(lead.getByTestId('timeline-entry').filter({ hasText: '特别程序结束：听证结束' })).toHaveCount(1);
  await expect(lead.getByTestId('suspension-span')).toHaveCount(1);
});
