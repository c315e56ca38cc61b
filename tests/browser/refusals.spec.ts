import { expect, test } from './fixtures';
import { asUser, pick } from './helpers';

test('an opinion after the deadline was deemed is refused in words, with the form kept', async ({ browser }) => {
  const window = await asUser(browser, { role: 'window', dept: 'WIN', name: '王窗口' });
  await window.goto(window.url().replace(/\/window.*$/, '/window/new'));
  await pick(window, '申请事项', '临时占用道路许可（QUICK）');
  await window.getByRole('checkbox', { name: '占道申请表' }).check();
  await window.getByLabel('申请人').fill('李四');
  await window.getByRole('button', { name: '提交申请' }).click();
  await expect(window.getByText('申请已受理')).toBeVisible();
  const caseNo = (await window.getByTestId('new-case-no').textContent())!.trim();

  // 消防 opens its task in time and starts writing …
  const fire = await asUser(browser, { role: 'department', dept: 'FIRE', name: '张三' }, `/dept/tasks/${caseNo}`);
  await expect(fire.getByText('审查意见（第 1 轮）')).toBeVisible();
  await fire.getByLabel('审查说明').fill('同意占道');
  // … the one (demo) working day passes: silence is deemed consent
  await expect(fire.getByTestId('lane-FIRE')).toContainText('视为同意', { timeout: 60_000 });
  await expect(fire.getByText(/审查期限已过，系统已按“视为同意”记录/)).toBeVisible();
  await fire.getByRole('button', { name: '提交审查意见' }).click();
  await expect(
    fire.getByRole('alert').filter({ hasText: /审查期限已过，本部门意见已按“视为同意”处理|本部门本轮已提出意见/ }),
  ).toBeVisible();
  await expect(fire.getByLabel('审查说明')).toHaveValue('同意占道');
});

test('approving over a standing rejection asks for the overrule reason and says why', async ({ browser }) => {
  const window = await asUser(browser, { role: 'window', dept: 'WIN', name: '王窗口' });
  await window.goto(window.url().replace(/\/window.*$/, '/window/new'));
  await pick(window, '申请事项', '建设工程规划许可（BUILD）');
  for (const m of ['建设工程规划许可申请表', '营业执照', '建设工程设计方案图纸', '消防设计文件'])
    await window.getByRole('checkbox', { name: m }).check();
  await window.getByLabel('申请人').fill('王五');
  await window.getByRole('button', { name: '提交申请' }).click();
  const caseNo = (await window.getByTestId('new-case-no').textContent())!.trim();

  const fire = await asUser(browser, { role: 'department', dept: 'FIRE', name: '张三' }, `/dept/tasks/${caseNo}`);
  await fire.getByText('不予许可', { exact: true }).click();
  await fire.getByLabel('不予许可理由').fill('消防车通道不满足要求');
  await fire.getByLabel('法律依据').fill('《中华人民共和国消防法》第十一条');
  await fire.getByRole('button', { name: '提交审查意见' }).click();
  await expect(fire.getByText(/已提出意见（不予许可）/)).toBeVisible();
  for (const [dept, name] of [
    ['ENV', '李四'],
    ['PLAN', '赵六'],
  ] as const) {
    const page = await asUser(browser, { role: 'department', dept, name }, `/dept/tasks/${caseNo}`);
    await page.getByRole('button', { name: '提交审查意见' }).click();
    await expect(page.getByText(/已提出意见（同意）/)).toBeVisible();
    if (dept !== 'PLAN') continue;
    await expect(page.getByText('消防救援支队 的不予许可意见仍然有效')).toBeVisible({ timeout: 30_000 });
    await page.getByText('准予许可', { exact: true }).click();
    await page.getByRole('button', { name: '作出决定' }).click();
    await expect(page.getByText('批准须写明否决不予许可意见的理由')).toBeVisible();
    await page.getByLabel('否决理由').fill('经联审会议论证，消防车通道可在施工期间临时调整');
    await page.getByRole('button', { name: '作出决定' }).click();
    await expect(
      page.getByTestId('timeline-entry').filter({ hasText: '否决不予许可意见，理由：经联审会议论证' }),
    ).toHaveCount(1, { timeout: 30_000 });
  }
});
