import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHistory } from '../support/histories';
import { caller, seedMatter } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

describe('the whole joint-approval process over HTTP', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ listen: true });
  });
  afterAll(async () => sys?.stop());

  const events = async (caseNo: string) =>
    (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body as {
      seq: number;
      type: string;
      data: any;
    }[];

  it('happy path: one-time notice, materials, parallel review, meeting, special procedure, overrule, unified fee, completion', async () => {
    const m = await seedMatter(sys, unique('H'));
    const window = caller(sys, sys.token('window', 'WIN'));
    const lead = caller(sys, sys.token('department', m.lead));
    const fire = caller(sys, sys.token('department', m.co[0]));
    const env = caller(sys, sys.token('department', m.co[1]));

    const created = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '某公司', phone: '13800000000' },
      materials: ['application'],
      priority: 'green_channel',
      idempotencyKey: unique('k'),
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('awaiting_materials');
    expect(created.body.missingMaterials.map((x: { code: string }) => x.code)).toEqual(['drawings', 'license']);
    const { caseNo, queryCode } = created.body;

    const early = await fire.post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    expect(early.status).toBe(409); // a reviewing department, but the case is not in review yet
    expect(early.body.code).toBe('case_not_in_review');

    const still = await window.post(`/api/cases/${caseNo}/materials`, { materials: ['drawings'] });
    expect(still.body).toEqual({
      status: 'awaiting_materials',
      missingMaterials: [{ code: 'license', name: '营业执照' }],
    });
    const accepted = await window.post(`/api/cases/${caseNo}/materials`, { materials: ['license'] });
    expect(accepted.body).toEqual({ status: 'accepted', missingMaterials: [] });

    const tasks = await fire.get('/api/tasks?state=pending');
    expect(tasks.body.some((t: { caseNo: string }) => t.caseNo === caseNo)).toBe(true);

    const meeting = await lead.post(`/api/cases/${caseNo}/meetings`, {
      kind: 'review_meeting',
      scheduledAt: '2026-12-01T09:30:00+08:00',
      departments: [m.co[0], m.co[1]],
    });
    expect(meeting.status).toBe(200);
    const notLead = await fire.post(`/api/cases/${caseNo}/meetings`, {
      kind: 'site_inspection',
      scheduledAt: '2026-12-01T09:30:00+08:00',
      departments: [m.lead],
    });
    expect(notLead.status).toBe(403);
    expect(notLead.body.code).toBe('not_lead_department');
    const minutes = await lead.post(`/api/cases/${caseNo}/meetings/${meeting.body.meetingId}/minutes`, {
      findings: [
        { dept: m.co[0], text: '消防通道宽度满足要求' },
        { dept: m.co[1], text: '需补充噪声评估' },
      ],
    });
    expect(minutes.body.meetings[0].findings).toHaveLength(2);

    const procedure = await lead.post(`/api/cases/${caseNo}/special-procedures`, {
      kind: 'expert_review',
      reason: '专家评审',
    });
    expect(procedure.status).toBe(200);
    const during = await fire.post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    expect(during.status).toBe(409);
    expect(during.body.code).toBe('case_not_in_review');
    const ended = await lead.post(`/api/cases/${caseNo}/special-procedures/${procedure.body.procedureId}/complete`, {
      outcome: '专家同意',
    });
    expect(ended.body.status).toBe('in_review');
    expect(ended.body.clock.suspensions).toHaveLength(1);

    const tooMuch = await fire.post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
      fees: [{ item: '消防审核费', amountCents: 50_001 }],
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('fee_above_standard');
    const notPublished = await env.post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
      fees: [{ item: '消防审核费', amountCents: 1 }],
    });
    expect(notPublished.status).toBe(422);
    expect(notPublished.body.code).toBe('unknown_fee_item');

    expect(
      (
        await fire.post(`/api/cases/${caseNo}/opinions`, {
          verdict: 'approve_with_conditions',
          conditions: ['竣工后消防验收'],
          fees: [{ item: '消防审核费', amountCents: 30_000 }],
        })
      ).status,
    ).toBe(200);
    expect((await env.post(`/api/cases/${caseNo}/opinions`, { verdict: 'reject', comment: '噪声超标' })).status).toBe(
      200,
    );
    const last = await lead.post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
      fees: [{ item: '规划许可费', amountCents: 70_000 }],
    });
    expect(last.body.status).toBe('deciding');

    const noOverrule = await lead.post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    expect(noOverrule.status).toBe(422);
    expect(noOverrule.body.code).toBe('rejecting_opinion_stands');
    const decided = await lead.post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
      overruleReason: '噪声问题已由降噪方案解决，牵头部门承担责任',
    });
    expect(decided.body.status).toBe('awaiting_payment');
    expect(decided.body.decision).toMatchObject({
      decision: 'approve',
      overruled: [m.co[1]],
      conditions: ['竣工后消防验收'],
    });
    expect(decided.body.fees.totalCents).toBe(100_000);
    const supervisorInbox = await caller(sys, sys.token('supervisor')).get('/api/inbox');
    expect(
      supervisorInbox.body.some((n: { kind: string; caseNo: string }) => n.kind === 'overrule' && n.caseNo === caseNo),
    ).toBe(true);

    const wrongAmount = await window.post(`/api/cases/${caseNo}/payment`, { paymentRef: 'PAY-1', amountCents: 99_999 });
    expect(wrongAmount.status).toBe(409);
    expect(wrongAmount.body.code).toBe('amount_mismatch');
    const paid = await window.post(`/api/cases/${caseNo}/payment`, { paymentRef: 'PAY-1', amountCents: 100_000 });
    expect(paid.body.status).toBe('completed');
    expect(paid.body.fees.split).toEqual(
      expect.arrayContaining([
        { dept: m.co[0], amountCents: 30_000 },
        { dept: m.lead, amountCents: 70_000 },
      ]),
    );
    const again = await window.post(`/api/cases/${caseNo}/payment`, { paymentRef: 'PAY-1', amountCents: 100_000 });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('completed');
    const other = await window.post(`/api/cases/${caseNo}/payment`, { paymentRef: 'PAY-2', amountCents: 100_000 });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('not_awaiting_payment');

    const trail = await events(caseNo);
    expect(trail.filter((e) => e.type === 'payment_confirmed')).toHaveLength(1);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(trail.at(-1)!.type).toBe('completed');

    const publicView = await caller(sys).get(`/api/public/cases/${caseNo}?code=${queryCode}`);
    expect(publicView.status).toBe(200);
    expect(publicView.body).toMatchObject({ caseNo, status: 'completed', decision: 'approved' });
    expect(JSON.stringify(publicView.body)).not.toMatch(/噪声|消防验收|overrule|comment/);
    const wrongCode = await caller(sys).get(`/api/public/cases/${caseNo}?code=00000000`);
    const unknownCase = await caller(sys).get(`/api/public/cases/JA00000000000000?code=00000000`);
    expect(wrongCode.status).toBe(404);
    expect(wrongCode.body).toEqual(unknownCase.body);
  });

  it('supplement round: two requests become one notice, the clock stops, the askers review again', async () => {
    const m = await seedMatter(sys, unique('U'));
    const window = caller(sys, sys.token('window', 'WIN'));
    const created = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '赵六' },
      materials: m.materials.map((x) => x.code),
    });
    const caseNo = created.body.caseNo;
    const dept = (code: string) => caller(sys, sys.token('department', code));

    await dept(m.co[0]!).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'request_supplement',
      materials: [{ code: 'fire-plan', name: '消防设计专篇' }],
    });
    const waiting = await dept(m.co[1]!).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'request_supplement',
      materials: [
        { code: 'eia', name: '环评报告表' },
        { code: 'fire-plan', name: '消防设计专篇' },
      ],
    });
    expect(waiting.body.status).toBe('in_review'); // the lead has not answered yet: no notice
    const suspended = await dept(m.lead).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve_with_conditions',
      conditions: ['按图施工'],
    });
    expect(suspended.body.status).toBe('suspended');
    expect(suspended.body.supplement.requests).toHaveLength(2);
    let trail = await events(caseNo);
    expect(trail.filter((e) => e.type === 'supplement_notice_issued')).toHaveLength(1);
    expect(
      trail.find((e) => e.type === 'supplement_notice_issued')!.data.materials.map((x: { code: string }) => x.code),
    ).toEqual(['fire-plan', 'eia']);

    const wrong = await window.post(`/api/cases/${caseNo}/supplements`, { materials: ['license'] });
    expect(wrong.status).toBe(422);
    const publicView = await caller(sys).get(`/api/public/cases/${caseNo}?code=${created.body.queryCode}`);
    expect(publicView.body.supplementRequested.map((x: { code: string }) => x.code)).toEqual([
      'fire-plan',
      'eia',
      'fire-plan',
    ]);

    const resumed = await window.post(`/api/cases/${caseNo}/supplements`, { materials: ['fire-plan', 'eia'] });
    expect(resumed.body.status).toBe('in_review');
    expect(resumed.body.clock.suspended).toBe(false);
    const byDept = Object.fromEntries(resumed.body.departments.map((d: { dept: string }) => [d.dept, d]));
    expect(byDept[m.lead]).toMatchObject({ round: 1, status: 'given', verdict: 'approve_with_conditions' });
    expect(byDept[m.co[0]!]).toMatchObject({ round: 2, status: 'pending' });
    expect(byDept[m.co[1]!]).toMatchObject({ round: 2, status: 'pending' });

    await dept(m.co[0]!).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    const done = await dept(m.co[1]!).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    expect(done.body.status).toBe('deciding');
    const decided = await dept(m.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    expect(decided.body.status).toBe('completed');
    expect(decided.body.decision.conditions).toEqual(['按图施工']);
    trail = await events(caseNo);
    expect(trail.map((e) => e.type)).toEqual(
      expect.arrayContaining(['clock_suspended', 'supplement_registered', 'clock_resumed', 'completed']),
    );
    await recordHistory(sys, caseNo, 'supplement-round-http');
  });

  it('withdrawal before the decision cancels the case; later commands are refused with 409', async () => {
    const m = await seedMatter(sys, unique('W'));
    const window = caller(sys, sys.token('window', 'WIN'));
    const created = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '孙七' },
      materials: m.materials.map((x) => x.code),
    });
    const caseNo = created.body.caseNo;
    const withdrawn = await window.post(`/api/cases/${caseNo}/withdraw`, { reason: '申请人主动撤回' });
    expect(withdrawn.body.status).toBe('withdrawn');
    const late = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
    });
    expect(late.status).toBe(409);
    const again = await window.post(`/api/cases/${caseNo}/withdraw`, { reason: '再撤' });
    expect(again.status).toBe(409);
    const tasks = await caller(sys, sys.token('department', m.lead)).get('/api/tasks?state=pending');
    expect(tasks.body.some((t: { caseNo: string }) => t.caseNo === caseNo)).toBe(false);
    const wf = await sys.client.workflow.getHandle(caseNo).describe();
    expect(wf.status.name).toBe('COMPLETED');
  });

  it('refuses (不予受理) an application before acceptance only', async () => {
    const m = await seedMatter(sys, unique('F'));
    const window = caller(sys, sys.token('window', 'WIN'));
    const created = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '周八' },
      materials: [],
    });
    const refused = await window.post(`/api/cases/${created.body.caseNo}/refuse`, { reason: '不属于本中心受理范围' });
    expect(refused.body.status).toBe('refused');
    const accepted = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '周八' },
      materials: m.materials.map((x) => x.code),
    });
    const tooLate = await window.post(`/api/cases/${accepted.body.caseNo}/refuse`, { reason: '晚了' });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.code).toBe('case_already_accepted');
  });
});
