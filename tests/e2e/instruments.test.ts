import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/** 容缺受理 and 告知承诺制 over HTTP on the real servers, with the demo clock (a working day = DAY ms). */
const DAY = 1500;
const PROMISE = { text: '本人承诺在规定期限内提交营业执照原件', signedBy: '张三' };

describe.concurrent('newer instruments of acceptance', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  /** The same matter with a roomy deferral limit, for the path where the material does come. */
  let roomy: MatterSetup;
  const definition = (deferredDays: number) => ({
    requiredMaterials: [
      { code: 'application', name: '申请表' },
      { code: 'drawings', name: '设计图纸', commitmentAllowed: true },
      { code: 'license', name: '营业执照', deferrable: true, deferredForm: '原件' },
    ],
    timeLimitDays: 20,
    deptReviewDays: 10,
    deferredDays,
    verifyDays: 2,
  });
  beforeAll(async () => {
    sys = await startSystem({ demoDayMs: DAY });
    m = await seedMatter(sys, unique('I'), definition(3));
    roomy = await seedMatter(sys, unique('R'), definition(40));
  });
  afterAll(async () => sys?.stop());

  const window = () => caller(sys, sys.token('window', 'WIN'));
  const as = (dept: string) => caller(sys, sys.token('department', dept));
  const view = async (caseNo: string) => (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}`)).body;
  const events = async (caseNo: string) =>
    (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body as {
      type: string;
      data: any;
    }[];
  const submit = (body: Record<string, unknown>, matter = m) =>
    window().post('/api/cases', { matterCode: matter.matterCode, applicant: { name: '张三' }, ...body });
  const allApprove = async (caseNo: string, matter = m) => {
    for (const d of [...matter.co, matter.lead])
      expect((await as(d).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' })).status).toBe(200);
  };

  it('容缺受理: accepted at once with the one notice; no approval while outstanding; registering clears it', async () => {
    const res = await submit(
      { materials: ['application', 'drawings'], deferredMaterials: ['license'], promise: PROMISE },
      roomy,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'accepted', missingMaterials: [] });
    const caseNo = res.body.caseNo as string;
    const v = await view(caseNo);
    expect(v.status).toBe('in_review');
    expect(v.deferredMaterials).toEqual([
      { code: 'license', name: '营业执照', form: '原件', dueAt: expect.any(String), suppliedAt: null },
    ]);
    const notice = (await events(caseNo)).find((e) => e.type === 'deferral_accepted')!.data;
    expect(notice).toMatchObject({
      materials: [{ code: 'license', name: '营业执照', form: '原件', dueAt: v.deferredMaterials[0].dueAt }],
      promise: PROMISE,
      consequence: expect.stringContaining('deferred_materials_not_supplied'),
    });
    await allApprove(caseNo, roomy);
    const refused = await as(roomy.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('deferred_materials_outstanding');
    const supplied = await window().post(`/api/cases/${caseNo}/materials`, { materials: ['license'] });
    expect(supplied.status).toBe(200);
    expect((await view(caseNo)).deferredMaterials[0].suppliedAt).not.toBeNull();
    const approved = await as(roomy.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('completed');
  });

  it('容缺受理: a deferred material missing at its due time terminates the case, and the applicant is told', async () => {
    const res = await submit({
      materials: ['application', 'drawings'],
      deferredMaterials: ['license'],
      promise: PROMISE,
    });
    const caseNo = res.body.caseNo as string;
    const done = await eventually(
      () => view(caseNo),
      (x) => x.status === 'terminated',
      20_000,
    );
    expect(done.termination).toMatchObject({ code: 'deferred_materials_not_supplied' });
    const pub = await caller(sys).get(`/api/public/cases/${caseNo}?code=${res.body.queryCode}`);
    expect(pub.body).toMatchObject({ status: 'terminated', termination: { code: 'deferred_materials_not_supplied' } });
    const told = await sys.db
      .selectFrom('notifications')
      .select('kind')
      .where('case_no', '=', caseNo)
      .where('dept', '=', '_applicant')
      .execute();
    expect(told.map((n) => n.kind).sort()).toEqual(['deferral_notice', 'termination']);
  });

  it('容缺受理 only for deferrable materials and applicants the credit system does not restrict', async () => {
    const notDeferrable = await submit({
      materials: ['drawings', 'license'],
      deferredMaterials: ['application'],
      promise: PROMISE,
    });
    expect([notDeferrable.status, notDeferrable.body.code]).toEqual([422, 'deferral_not_allowed']);
    const restricted = await window().post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '李四', creditRestricted: true },
      materials: ['application', 'drawings'],
      deferredMaterials: ['license'],
      promise: PROMISE,
    });
    expect([restricted.status, restricted.body.code]).toEqual([422, 'deferral_not_allowed']);
  });

  it('告知承诺制: a commitment replaces the proof; a false one found after approval revokes it', async () => {
    const res = await submit({ materials: ['application', 'license'], commitments: ['drawings'] });
    expect(res.body.status).toBe('accepted');
    const caseNo = res.body.caseNo as string;
    expect((await view(caseNo)).commitments).toEqual([
      { code: 'drawings', name: '设计图纸', committedAt: expect.any(String) },
    ]);
    await allApprove(caseNo);
    const approved = await as(m.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    expect(approved.body.status).toBe('completed');
    expect(approved.body.verification).toMatchObject({ dept: m.lead, outcome: null });
    const notVerifying = await as(m.co[0]!).post(`/api/cases/${caseNo}/verification`, {
      outcome: 'confirmed',
      note: '',
    });
    expect([notVerifying.status, notVerifying.body.code]).toEqual([403, 'not_verifying_department']);
    const revoked = await as(m.lead).post(`/api/cases/${caseNo}/verification`, {
      outcome: 'false_commitment',
      note: '图纸与现场不符',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const revocation = (await events(caseNo)).find((e) => e.type === 'approval_revoked')!.data;
    expect(revocation.creditRecord).toMatchObject({
      applicantName: '张三',
      materials: [{ code: 'drawings', name: '设计图纸' }],
    });
    const pub = await caller(sys).get(`/api/public/cases/${caseNo}?code=${res.body.queryCode}`);
    expect(pub.body.status).toBe('revoked');
  });

  it('告知承诺制: a late check is escalated; confirming it later closes the case as completed', async () => {
    const res = await submit({ materials: ['application', 'license'], commitments: ['drawings'] });
    const caseNo = res.body.caseNo as string;
    await allApprove(caseNo);
    await as(m.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    await eventually(
      () => events(caseNo),
      (e) => e.some((x) => x.type === 'escalated' && x.data.scope === 'verification'),
      20_000,
    );
    const confirmed = await as(m.lead).post(`/api/cases/${caseNo}/verification`, {
      outcome: 'confirmed',
      note: '属实',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'completed',
      verification: { outcome: 'confirmed', overdue: true },
    });
    const again = await as(m.lead).post(`/api/cases/${caseNo}/verification`, { outcome: 'confirmed', note: '属实' });
    expect([again.status, again.body.code]).toEqual([409, 'already_verified']);
  });
});
