import { createVerifier } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { caller, seedMatter } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

describe('console sign-in: the dev-only token endpoint', () => {
  let dev: TestSystem;
  let plain: TestSystem;
  beforeAll(async () => {
    dev = await startSystem({ env: { DEV_LOGIN: '1' } });
    plain = await startSystem();
  });
  afterAll(async () => {
    await dev?.stop();
    await plain?.stop();
  });

  it('issues a token for the chosen role, department and name, signed with the JWT secret and expiring', async () => {
    await caller(dev, dev.token('admin')).put('/api/departments/FIRE', { name: '消防救援支队' });
    const before = Math.floor(Date.now() / 1000);
    const res = await caller(dev).post('/api/dev/token', { role: 'department', dept: 'FIRE', name: '张三' });
    expect(res.status).toBe(200);
    const claims = createVerifier({ key: dev.config.jwtSecret, algorithms: ['HS256'] })(res.body.token);
    expect(claims).toMatchObject({ role: 'department', dept: 'FIRE', name: '张三' });
    expect(claims.exp).toBeGreaterThanOrEqual(before + 8 * 3600);
    expect(claims.exp).toBeLessThanOrEqual(before + 8 * 3600 + 5);
    expect(new Date(res.body.expiresAt).getTime()).toBe(claims.exp * 1000);
    // The token works on the API like any other.
    const tasks = await caller(dev, res.body.token).get('/api/tasks');
    expect(tasks.body.code ?? 'ok').toBe('ok');
    expect(tasks.status).toBe(200);
  });

  it('refuses a window or department token without a department, and unknown roles', async () => {
    const noDept = await caller(dev).post('/api/dev/token', { role: 'window', name: '李四' });
    expect(noDept.status).toBe(422);
    expect(noDept.body.code).toBe('dept_required');
    const badRole = await caller(dev).post('/api/dev/token', { role: 'root', name: 'x' });
    expect(badRole.status).toBe(400);
    const unknown = await caller(dev).post('/api/dev/token', { role: 'department', dept: 'NOPE', name: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('unknown_department');
  });

  it('tells the sign-in page whether dev sign-in is on, with the catalog departments only then', async () => {
    await seedMatter(dev, unique('S'));
    const on = await caller(dev).get('/api/public/sign-in-options');
    expect(on.body.devLogin).toBe(true);
    expect(on.body.departments.length).toBeGreaterThan(0);
    const off = await caller(plain).get('/api/public/sign-in-options');
    expect(off.body).toEqual({ devLogin: false, departments: [] });
  });

  it('does not exist without DEV_LOGIN, and DEV_LOGIN is refused in production', async () => {
    const res = await caller(plain).post('/api/dev/token', { role: 'admin', name: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DEV_LOGIN: '1' })).toThrow(
      ConfigError,
    );
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).devLogin).toBe(false);
  });
});

describe('case list search (the window finds a case by number or applicant)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => sys?.stop());

  it('finds by the beginning of the case number or part of the applicant name, % and _ taken literally', async () => {
    const m = await seedMatter(sys, unique('Q'));
    const window = caller(sys, sys.token('window', 'WIN'));
    const name = `检索${unique('')}`;
    const a = await window.post('/api/cases', { matterCode: m.matterCode, applicant: { name }, materials: [] });
    const b = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '别人100%_' },
      materials: [],
    });
    const byName = await window.get(`/api/cases?q=${encodeURIComponent(name.slice(2))}`);
    expect(byName.body.items.map((c: { caseNo: string }) => c.caseNo)).toEqual([a.body.caseNo]);
    const byNumber = await window.get(`/api/cases?q=${encodeURIComponent(b.body.caseNo)}`);
    expect(byNumber.body.items.map((c: { caseNo: string }) => c.caseNo)).toEqual([b.body.caseNo]);
    const literal = await window.get(`/api/cases?q=${encodeURIComponent('0%_')}&matterCode=${m.matterCode}`);
    expect(literal.body.items.map((c: { caseNo: string }) => c.caseNo)).toEqual([b.body.caseNo]);
    const none = await window.get(`/api/cases?q=${encodeURIComponent('%%')}&matterCode=${m.matterCode}`);
    expect(none.body.items).toEqual([]);
  });

  it("names the acting person in the case's events (the timeline says who acted)", async () => {
    const m = await seedMatter(sys, unique('N'));
    const window = caller(sys, sys.token('window', 'WIN', '窗口王五'));
    const c = await window.post('/api/cases', { matterCode: m.matterCode, applicant: { name: '甲' }, materials: [] });
    const events = await window.get(`/api/cases/${c.body.caseNo}/events`);
    expect(events.body[0].actor).toEqual({ sub: '窗口王五', role: 'window', dept: 'WIN', name: '窗口王五' });
  });

  it("lists a department's 待办 with working days left and names, and its 已办 with the verdict", async () => {
    const m = await seedMatter(sys, unique('T'));
    const window = caller(sys, sys.token('window', 'WIN'));
    const c = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '待办申请人' },
      materials: m.materials.map((x) => x.code),
    });
    const co = caller(sys, sys.token('department', m.co[0]));
    const pending = await co.get('/api/tasks?state=pending');
    const task = pending.body.find((t: { caseNo: string }) => t.caseNo === c.body.caseNo);
    expect(task).toMatchObject({
      applicantName: '待办申请人',
      role: 'co',
      caseStatus: 'in_review',
      verdict: null,
      givenAt: null,
    });
    expect(task.matterName.length).toBeGreaterThan(0);
    expect(task.remainingWorkingDays).toBeGreaterThan(0);
    expect((await co.post(`/api/cases/${c.body.caseNo}/opinions`, { verdict: 'approve' })).status).toBe(200);
    const done = await co.get('/api/tasks?state=done');
    const answered = done.body.find((t: { caseNo: string }) => t.caseNo === c.body.caseNo);
    expect(answered).toMatchObject({ status: 'given', verdict: 'approve', remainingWorkingDays: null });
    expect(answered.givenAt).toMatch(/\+08:00$/);
  });
});
