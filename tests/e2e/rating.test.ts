import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toShanghaiIso } from '../../domain/calendar';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * 好差评 over HTTP on the real servers (demo clock, a working day = DAY ms; REMEDIATION_DAYS = 2;
 * the assessment takes 1 point off per bad review: ASSESSMENT_PER_BAD_REVIEW = 1).
 */
const DAY = 1500;

describe.concurrent('好差评: the applicant rates the service', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let rated: MatterSetup;
  beforeAll(async () => {
    sys = await startSystem({
      listen: true,
      demoDayMs: DAY,
      env: { REMEDIATION_DAYS: '2', ASSESSMENT_PER_BAD_REVIEW: '1' },
    });
    m = await seedMatter(sys, unique('G'), { timeLimitDays: 20, deptReviewDays: 10 });
    rated = await seedMatter(sys, unique('H'), { timeLimitDays: 20, deptReviewDays: 10 });
  });
  afterAll(async () => sys?.stop());

  const as = (dept: string) => caller(sys, sys.token('department', dept));
  const completedCase = async (matter = m) => {
    const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: matter.matterCode,
      applicant: { name: '赵六' },
      materials: matter.materials.map((x) => x.code),
    });
    const caseNo = res.body.caseNo as string;
    for (const d of [...matter.co, matter.lead])
      await as(d).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    const done = await as(matter.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
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
    const progress = await caller(sys).get(`/api/public/cases/${c.caseNo}?code=${c.code}`);
    expect(progress.body.rating).toMatchObject({ level: 4 });
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
    const stats = (await caller(sys, sys.token('supervisor')).get('/api/supervision/stats')).body as {
      dept: string;
      ratings: number;
      badReviews: number;
      satisfactionRate: number | null;
    }[];
    const lead = stats.find((r) => r.dept === m.lead)!;
    expect(lead.badReviews).toBeGreaterThanOrEqual(1);
    expect(lead.ratings).toBeGreaterThanOrEqual(lead.badReviews);
    expect(lead.satisfactionRate).not.toBeNull();
    expect(
      (await as(m.lead).get('/api/remediations?state=done')).body.map((r: { caseNo: string }) => r.caseNo),
    ).toContain(c.caseNo);
  });

  it('statistics per matter and per department: count, satisfaction rate, bad reviews, remediated on time; CSV for Excel; the score weighs bad reviews as configured', async () => {
    const cases = await Promise.all([completedCase(rated), completedCase(rated), completedCase(rated)]);
    for (const [c, level] of cases.map((c, i) => [c, [5, 4, 1][i]!] as const))
      expect((await rate(c, { level })).status).toBe(201);
    const remediated = await as(rated.lead).post(`/api/cases/${cases[2]!.caseNo}/remediation`, {
      action: '补充告知材料要求',
      contactedApplicant: true,
      note: '已回访',
    });
    expect(remediated.status).toBe(200);
    const onTime = remediated.body.remediation.onTime ? 1 : 0;
    const supervisor = caller(sys, sys.token('supervisor'));
    const today = toShanghaiIso(Date.now()).slice(0, 10);
    const period = `from=${today.slice(0, 8)}01&to=${today}`;

    const matters = await supervisor.get(`/api/supervision/stats/matters?${period}`);
    expect(matters.status).toBe(200);
    expect(matters.body.find((r: { matterCode: string }) => r.matterCode === rated.matterCode)).toEqual({
      matterCode: rated.matterCode,
      matterName: '建设工程并联审批',
      ratings: 3,
      satisfactionRate: 2 / 3,
      badReviews: 1,
      remediatedOnTime: onTime,
    });
    const depts = await supervisor.get(`/api/supervision/stats?${period}`);
    const lead = depts.body.find((r: { dept: string }) => r.dept === rated.lead);
    expect(lead).toMatchObject({ ratings: 3, satisfactionRate: 2 / 3, badReviews: 1, remediatedOnTime: onTime });
    expect(lead.score).toBe(Math.max(0, 10 - lead.lateWorkingDays - 1));
    expect(depts.body.find((r: { dept: string }) => r.dept === rated.co[0])).toMatchObject({
      ratings: 0,
      satisfactionRate: null,
      badReviews: 0,
    });

    const csv = await fetch(`${sys.baseUrl}/api/supervision/stats/matters.csv?${period}`, {
      headers: { authorization: `Bearer ${sys.token('supervisor')}` },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1), {
      record_delimiter: '\r\n',
    }) as string[][];
    expect(header).toEqual(['事项编码', '事项名称', '评价数', '满意率', '差评数', '按时整改']);
    expect(rows.find((r) => r[0] === rated.matterCode)).toEqual([
      rated.matterCode,
      '建设工程并联审批',
      '3',
      '66.67%',
      '1',
      String(onTime),
    ]);
  });
});
