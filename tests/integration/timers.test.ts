import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { recordHistory } from '../support/histories';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * Every timer path on the real Temporal dev server, with the demo clock: one working day lasts
 * DAY ms, so limits of a few days pass in seconds. The timers are Temporal's durable timers.
 */
const DAY = 1500;

describe.concurrent('durable working-day timers (demo clock)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ demoDayMs: DAY });
  });
  afterAll(async () => sys?.stop());

  const types = async (caseNo: string): Promise<string[]> => {
    const res = await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`);
    return res.body.map((e: { type: string }) => e.type);
  };
  const view = async (caseNo: string) => (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}`)).body;
  const submit = async (m: MatterSetup) => {
    const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '李四' },
      materials: m.materials.map((x) => x.code),
    });
    expect(res.status).toBe(201);
    return res.body.caseNo as string;
  };
  const opinion = (dept: string, caseNo: string, body: Record<string, unknown>) =>
    caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, body);

  it('warns a silent department, then deems its consent (视为同意) at its limit', async () => {
    const m = await seedMatter(sys, unique('D'), {
      deptReviewDays: 2,
      timeLimitDays: 10,
      silencePolicy: 'deemed_approve',
    });
    const caseNo = await submit(m);
    expect((await opinion(m.lead, caseNo, { verdict: 'approve' })).status).toBe(200);
    await eventually(
      () => types(caseNo),
      (t) => t.includes('department_warned'),
    );
    const done = await eventually(
      () => view(caseNo),
      (v) => v.status === 'deciding',
      15_000,
    );
    const silent = done.departments.filter((d: { dept: string }) => m.co.includes(d.dept));
    expect(silent.map((d: { status: string; verdict: string }) => [d.status, d.verdict])).toEqual([
      ['deemed', 'approve'],
      ['deemed', 'approve'],
    ]);
    const t = await types(caseNo);
    expect(t.filter((x) => x === 'department_overdue')).toHaveLength(2);
    expect(t.filter((x) => x === 'opinion_deemed')).toHaveLength(2);
    expect(t).toContain('review_completed');
    await recordHistory(sys, caseNo, 'deemed-consent');
  });

  it('warns a department at the start of its deadline’s last working day (one working day left)', async () => {
    const m = await seedMatter(sys, unique('Y'), { deptReviewDays: 3, timeLimitDays: 10 });
    const caseNo = await submit(m);
    const events = await eventually(
      async () => (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body,
      (e: { type: string; at: string; data: { dueAt: string } }[]) =>
        e.filter((x) => x.type === 'department_warned').length === 3,
      15_000,
    );
    for (const w of events.filter((x) => x.type === 'department_warned')) {
      const ahead = Date.parse(w.data.dueAt) - Date.parse(w.at);
      // Fired at 00:00 of the last demo day: one day (less the timer's lateness) before the 24:00 deadline.
      expect(ahead).toBeGreaterThan(0);
      expect(ahead).toBeLessThanOrEqual(DAY);
    }
    await recordHistory(sys, caseNo, 'dept-warn-last-day');
  });

  it('escalates an overdue department every working day under escalate_only, and the case at its deadline', async () => {
    const m = await seedMatter(sys, unique('E'), {
      deptReviewDays: 1,
      timeLimitDays: 2,
      warnDays: 1,
      silencePolicy: 'escalate_only',
    });
    const caseNo = await submit(m);
    await opinion(m.lead, caseNo, { verdict: 'approve' });
    await opinion(m.co[0]!, caseNo, { verdict: 'approve' });
    const t = await eventually(
      () => types(caseNo),
      (x) => x.filter((e) => e === 'escalated').length >= 4 && x.includes('case_overdue'),
      20_000,
    );
    expect(t).toContain('department_overdue');
    expect(t).toContain('case_warned');
    expect(t).not.toContain('opinion_deemed');
    const v = await view(caseNo);
    expect(v.status).toBe('in_review');
    expect(v.alert).toBe('red');
    expect(v.departments.find((d: { dept: string }) => d.dept === m.co[1]).status).toBe('pending');
    await recordHistory(sys, caseNo, 'escalate-only');
    const inbox = await caller(sys, sys.token('department', m.co[1]!)).get('/api/inbox');
    expect(
      inbox.body.some((n: { kind: string; caseNo: string }) => n.kind === 'escalation' && n.caseNo === caseNo),
    ).toBe(true);
  });

  it('suspends the clock for a supplement and moves the deadlines by the suspended working days', async () => {
    const m = await seedMatter(sys, unique('S'), { deptReviewDays: 5, timeLimitDays: 10 });
    const caseNo = await submit(m);
    const before = await view(caseNo);
    await opinion(m.lead, caseNo, { verdict: 'approve' });
    await opinion(m.co[0]!, caseNo, {
      verdict: 'request_supplement',
      materials: [{ code: 'fire-plan', name: '消防设计说明' }],
    });
    const suspended = await opinion(m.co[1]!, caseNo, {
      verdict: 'request_supplement',
      materials: [{ code: 'eia', name: '环评报告' }],
    });
    expect(suspended.body.status).toBe('suspended');
    expect(suspended.body.clock.suspended).toBe(true);
    await new Promise((r) => setTimeout(r, 2 * DAY + 100));
    const partial = await caller(sys, sys.token('window', 'WIN')).post(`/api/cases/${caseNo}/supplements`, {
      materials: ['fire-plan'],
    });
    expect(partial.body.status).toBe('suspended');
    const resumed = await caller(sys, sys.token('window', 'WIN')).post(`/api/cases/${caseNo}/supplements`, {
      materials: ['eia'],
    });
    expect(resumed.body.status).toBe('in_review');
    const moved = resumed.body.clock.suspensions[0].workingDays;
    expect(moved).toBeGreaterThanOrEqual(2);
    expect(Date.parse(resumed.body.deadline) - Date.parse(before.deadline)).toBe(moved * DAY);
    const rounds = resumed.body.departments.map((d: { dept: string; round: number; status: string }) => [
      d.dept,
      d.round,
      d.status,
    ]);
    expect(rounds).toEqual([
      [m.lead, 1, 'given'],
      [m.co[0], 2, 'pending'],
      [m.co[1], 2, 'pending'],
    ]);
    await recordHistory(sys, caseNo, 'supplement-round');
  });

  it('escalates a negative filing not reviewed within 3 working days', async () => {
    const m = await seedMatter(sys, unique('N'), { fees: [] });
    const caseNo = await submit(m);
    for (const dept of [m.lead, ...m.co]) await opinion(dept, caseNo, { verdict: 'reject', comment: '不符合规划' });
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'reject',
      reason: '不符合规划条件',
      legalBasis: '城乡规划法第四十条',
    });
    expect(decided.body.status).toBe('negative_review');
    const v = await eventually(
      () => view(caseNo),
      (x) => x.negativeReview?.overdue === true,
      20_000,
    );
    expect(v.status).toBe('negative_review');
    const inbox = await caller(sys, sys.token('supervisor')).get('/api/inbox');
    expect(
      inbox.body.some((n: { kind: string; caseNo: string }) => n.kind === 'escalation' && n.caseNo === caseNo),
    ).toBe(true);
    const confirmed = await caller(sys, sys.token('supervisor')).post(`/api/cases/${caseNo}/negative-review`, {
      outcome: 'confirm',
      note: '同意不予许可',
    });
    expect(confirmed.body.status).toBe('rejected');
    await recordHistory(sys, caseNo, 'negative-filing');
  });

  it('reminds at half the payment window and terminates the case unpaid at its end', async () => {
    const m = await seedMatter(sys, unique('P'), { paymentDays: 2 });
    const caseNo = await submit(m);
    await opinion(m.lead, caseNo, { verdict: 'approve', fees: [{ item: '规划许可费', amountCents: 20_000 }] });
    for (const dept of m.co) await opinion(dept, caseNo, { verdict: 'approve' });
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(decided.body.status).toBe('awaiting_payment');
    expect(decided.body.fees.totalCents).toBe(20_000);
    await eventually(
      () => types(caseNo),
      (t) => t.includes('payment_reminded'),
      10_000,
    );
    const v = await eventually(
      () => view(caseNo),
      (x) => x.status === 'terminated',
      15_000,
    );
    expect(v.result).toBeNull();
    const late = await caller(sys, sys.token('window', 'WIN')).post(`/api/cases/${caseNo}/payment`, {
      paymentRef: 'PAY-1',
      amountCents: 20_000,
    });
    expect(late.status).toBe(409);
    await recordHistory(sys, caseNo, 'payment-expiry');
  });

  it('extends both deadlines by the granted working days and clears the alert', async () => {
    const m = await seedMatter(sys, unique('X'), {
      timeLimitDays: 2,
      warnDays: 1,
      deptReviewDays: 1,
      silencePolicy: 'escalate_only',
    });
    const caseNo = await submit(m);
    const warned = await eventually(
      () => view(caseNo),
      (v) => v.alert !== 'none',
      10_000,
    );
    const supervisor = caller(sys, sys.token('supervisor'));
    const extended = await supervisor.post(`/api/cases/${caseNo}/extension`, { workingDays: 5, reason: '需专家论证' });
    expect(extended.status).toBe(200);
    expect(Date.parse(extended.body.deadline) - Date.parse(warned.deadline)).toBe(5 * DAY);
    expect(Date.parse(extended.body.statutoryDeadline) - Date.parse(warned.statutoryDeadline)).toBe(5 * DAY);
    expect(extended.body.alert).toBe('none');
    expect(extended.body.clock.extensionDays).toBe(5);
    const tooMuch = await supervisor.post(`/api/cases/${caseNo}/extension`, { workingDays: 11, reason: '再延' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('extension_limit');
    await recordHistory(sys, caseNo, 'extension');
  });
});

describe('timers survive a worker restart', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ demoDayMs: 1000 });
  });
  afterAll(async () => sys?.stop());

  it('fires the deadlines that passed while no worker was running', async () => {
    const m = await seedMatter(sys, unique('R'), { deptReviewDays: 1, silencePolicy: 'deemed_approve' });
    const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '王五' },
      materials: m.materials.map((x) => x.code),
    });
    const caseNo = res.body.caseNo;
    await sys.restartWorker(2500);
    const v = await eventually(
      async () => (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}`)).body,
      (x) => x.status === 'deciding',
      45_000,
    );
    expect(v.departments.every((d: { status: string }) => d.status === 'deemed')).toBe(true);
  });
});
