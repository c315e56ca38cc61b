import { expect, test } from './fixtures';
import { expectAccessible, signIn } from './helpers';
import { baseUrl } from './system';

test('the console is served at / and a window clerk signs in to the case list', async ({ page }) => {
  await page.goto(baseUrl() + '/');
  await expect(page).toHaveURL(/\/signin\?next=/);
  await expectAccessible(page, 'sign-in');
  await signIn(page, { role: 'window', dept: 'WIN', name: '王窗口' });
  await expect(page).toHaveURL(/\/window$/);
  await expect(page.getByRole('heading', { name: '办件列表' })).toBeVisible();
  await expectAccessible(page, 'case list');
});

test('an expired token returns to sign-in, and signing in again returns to the same page with the draft kept', async ({
  page,
  request,
}) => {
  const issued = await request.post(baseUrl() + '/api/dev/token', {
    data: { role: 'window', dept: 'WIN', name: '李窗口', expiresInSeconds: 20 },
  });
  expect(issued.status()).toBe(200);
  const { token } = (await issued.json()) as { token: string };
  await page.goto(`${baseUrl()}/signin?next=${encodeURIComponent('/window/new')}#token=${token}`);
  await expect(page).toHaveURL(/\/window\/new$/);
  // Half an application typed in when the sign-in runs out...
  await page.getByLabel('申请人', { exact: true }).fill('赵草稿');
  await page.getByLabel('联系电话', { exact: true }).fill('13800000000');
  await expect(page).toHaveURL(/\/signin\?next=%2Fwindow%2Fnew/, { timeout: 60_000 });
  await expect(page.getByText('登录已过期，请重新登录')).toBeVisible();
  await signIn(page, { role: 'window', dept: 'WIN', name: '李窗口' }, '/signin?next=%2Fwindow%2Fnew');
  await expect(page).toHaveURL(/\/window\/new$/);
  // ...is still there once the same person has signed in again.
  await expect(page.getByLabel('申请人', { exact: true })).toHaveValue('赵草稿');
  await expect(page.getByLabel('联系电话', { exact: true })).toHaveValue('13800000000');
});

test('a route the console does not know is answered as a page, an unknown API path as problem+json', async ({
  request,
}) => {
  const page = await request.get(baseUrl() + '/cases/NO-SUCH', { headers: { accept: 'text/html' } });
  expect(page.status()).toBe(200);
  expect(page.headers()['content-security-policy']).toContain("script-src 'self'");
  const api = await request.get(baseUrl() + '/api/no/such', { headers: { accept: 'text/html' } });
  expect(api.status()).toBe(404);
  expect(((await api.json()) as { code: string }).code).toBe('route_not_found');
});
