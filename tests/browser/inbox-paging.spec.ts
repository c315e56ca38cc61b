import { expect, test } from './fixtures';
import { apiAs, expectAccessible, signIn } from './helpers';
import { baseUrl } from './system';

/** The console's page size of the long work lists (web/src/api/queries.ts PAGE_SIZE). */
const PAGE_SIZE = 50;

test('a department pages through a 待办 longer than one page, each task once, the most urgent first', async ({
  page,
  request,
}) => {
  // A department of its own, so that only this test's cases are in its inbox.
  const admin = await apiAs(request, { role: 'admin', name: '分页管理员' });
  await admin.put('/api/departments/PAGED', { name: '分页测试局' });
  await admin.put('/api/matters/PAGEDM', {
    name: '分页测试事项',
    leadDept: 'PAGED',
    coDepts: [],
    requiredMaterials: [{ code: 'app', name: '申请表' }],
    timeLimitDays: 60,
    deptReviewDays: 40,
    silencePolicy: 'escalate_only',
    fees: [],
  });
  const window = await apiAs(request, { role: 'window', dept: 'WIN', name: '分页窗口' });
  const total = PAGE_SIZE + 7;
  const caseNos: string[] = [];
  for (let i = 0; i < total; i += 6) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(6, total - i) }, (_, k) =>
        window.post('/api/cases', {
          matterCode: 'PAGEDM',
          applicant: { name: `分页申请人${i + k}` },
          materials: ['app'],
        }),
      ),
    );
    caseNos.push(...batch.map((b) => b.caseNo!));
  }

  await signIn(page, { role: 'department', dept: 'PAGED', name: '分页审查员' });
  await page.goto(baseUrl() + '/dept');
  const rows = page.locator('tbody tr.ant-table-row');
  await expect(rows).toHaveCount(PAGE_SIZE);
  await expect(page.getByText(`已显示 ${PAGE_SIZE} 条`)).toBeVisible();
  await expectAccessible(page, 'inbox, first page');

  await page.getByRole('button', { name: '加载更多' }).click();
  await expect(rows).toHaveCount(total);
  await expect(page.getByText(`共 ${total} 条`)).toBeVisible();
  await expect(page.getByRole('button', { name: '加载更多' })).toHaveCount(0);

  const shown = await rows.locator('td:first-child').allInnerTexts();
  expect(new Set(shown).size).toBe(total);
  expect([...shown].sort()).toEqual([...caseNos].sort());
  // Most urgent first: the due times read down the list never go back.
  const due = (await rows.locator('td:nth-child(8)').allInnerTexts()).map((t) => {
    const [, y, mo, d, h, mi] = /(\d+)年(\d+)月(\d+)日 (\d+):(\d+)/.exec(t)!.map(Number);
    return Date.UTC(y!, mo! - 1, d!, h!, mi!);
  });
  expect(due).toEqual([...due].sort((a, b) => a - b));
});
