import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/** 好差评 over HTTP on the real servers (demo clock, a working day = DAY ms; REMEDIATION_DAYS = 2). */
const DAY = 1500;

describe.concurrent('好差评: the applicant rates the service', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  beforeAll(async () => {
    sys = await startSystem({ demoDayMs: DAY, env: { REMEDIATION_DAYS: '2' } });
    m = await seedMatter(sys, unique('G'), { timeLimitDays: 20, deptReviewDays: 10 });
  });
  afterAll(async () => sys?.stop());

  const as = (dept: string) => caller(sys, sys.token('department', dept));
  const completedCase = async () => {
    const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '赵六' },
      materials: m.materials.map((x) => x.code),
    });
    const caseNo = res.body.caseNo as string;
    for (const d of [...m.co, m.lead]) await as(d).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    const done = await as(m.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    expect(done.body.status).toBe('completed');
    return { caseNo, code: res.body.queryCode as string };
  };
  const rate = (c: { caseNo: string; code: string }, body: unknown, code = c.code) =>
    caller(sys).post(`/api/public/cases/${c.caseNo}/rating?code=${code}`, body);

  it('rates an ended case once; not before it ends; a wrong code is like an unknown case', async () => {
    const c = await completedCase();
    expect((await rate(c, { level: 5 }, '00000000')).status).toBe(404);
    const ok = await rate(c, { level: 4, dimensions: { 服务态度: 5, 办事效率: 4 }, comment: '顺利' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ caseNo: c.caseNo, level: 4, remediation: null });
    const again = await rate(c, { level: 5 });
    expect([again.status, again.body.code]).toEqual([409, 'already_rated']);
    const v = (await caller(sys, sys.token('supervisor')).get(`/api/cases/${c.caseNo}`)).body;
    expect(v.rating).toMatchObject({ level: 4 });
    const running = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '钱七' },
      materials: m.materials.map((x) => x.code),
    });
    const early = await rate({ caseNo: running.body.caseNo, code: running.body.queryCode }, { level: 5 });
    expect([early.status, early.body.code]).toEqual([409, 'case_not_ended']);
  });

  it('a bad review opens a remediation for the lead; late it is escalated; the department records it with 回访', async () => {
    const c = await completedCase();
    const bad = await rate(c, { level: 1, comment: '多次往返' });
    expect(bad.status).toBe(201);
    expect(bad.body.remediation).toMatchObject({ dept: m.lead });
    const open = await as(m.lead).get('/api/remediations?state=open');
    expect(open.body.map((r: { caseNo: string }) => r.caseNo)).toContain(c.caseNo);
    expect(
      (await as(m.co[0]!).get('/api/remediations?state=open')).body.map((r: { caseNo: string }) => r.caseNo),
    ).not.toContain(c.caseNo);
    await eventually(
      async () => (await caller(sys, sys.token('supervisor')).get(`/api/cases/${c.caseNo}/events`)).body,
      (e: { type: string; data: { scope?: string } }[]) =>
        e.some((x) => x.type === 'escalated' && x.data.scope === 'remediation'),
      20_000,
    );
    const done = await as(m.lead).post(`/api/cases/${c.caseNo}/remediation`, {
      action: '优化材料清单，一次告知',
      contactedApplicant: true,
      note: '已电话回访',
    });
    expect(done.status).toBe(200);
    expect(done.body.remediation).toMatchObject({ onTime: false, contactedApplicant: true, overdue: true });
    expect(
      (await as(m.lead).get('/api/remediations?state=done')).body.map((r: { caseNo: string }) => r.caseNo),
    ).toContain(c.caseNo);
  });
});
