import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdWindow, type HoldWindow } from '../../domain/timers';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { recordHistory } from '../support/histories';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * Deadlines decided ahead (issue 14): a while before a department's limit ends, its case decides
 * what the limit will do and holds those events; the worker's sweeper records them at the deadline,
 * and the case settles them after. Demo days long enough (16 s) that a case's lead is over 2 s.
 */
const DAY = 16_000;

describe.concurrent('deadlines decided ahead and held for their boundary (demo clock)', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  const epochMs = Date.now() - DAY / 2;
  beforeAll(async () => {
    sys = await startSystem({ demoDayMs: DAY, demoEpochMs: epochMs });
    m = await seedMatter(sys, unique('HD'), { deptReviewDays: 1, timeLimitDays: 10, silencePolicy: 'deemed_approve' });
  });
  afterAll(async () => sys?.stop());

  const view = async (caseNo: string) => (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}`)).body;
  const opinion = (dept: string, caseNo: string, body: Record<string, unknown>) =>
    caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, body);
  /** The batches held for a case's limit (its department warnings are held too, a day before). */
  const held = (caseNo: string, due: number) =>
    sys.db
      .selectFrom('held_batches')
      .select(['id', 'state', 'due_at', 'events'])
      .where('case_no', '=', caseNo)
      .where('due_at', '=', new Date(due))
      .orderBy('held_at')
      .execute();
  const recorded = async (caseNo: string, type: string) =>
    (
      await sql<{ seq: number; data: { dept: string }; at: number; recorded: number }>`
        select seq, data, (extract(epoch from occurred_at) * 1000)::float8 as at, (extract(epoch from recorded_at) * 1000)::float8 as recorded
        from case_events where case_no = ${caseNo} and type = ${type} order by seq`.execute(sys.db)
    ).rows;

  /** A case accepted now, its departments' common limit, and when it is decided ahead and settled. */
  async function acceptCase(minLeadMs: number): Promise<{ caseNo: string; due: number; window: HoldWindow }> {
    for (let tries = 0; tries < 8; tries++) {
      const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: '赵六' },
        materials: m.materials.map((x) => x.code),
      });
      expect(res.status).toBe(201);
      const caseNo = res.body.caseNo as string;
      const due = Date.parse((await view(caseNo)).departments[0].dueAt);
      const window = holdWindow(due, caseNo, { kind: 'demo', epochMs, dayMs: DAY });
      // A case's lead is fixed by its number; take one whose lead leaves time for the scenario.
      if (window && due - window.decideAt >= minLeadMs) return { caseNo, due, window };
    }
    throw new Error('no case with a long enough lead in 8 tries');
  }

  /** Waits until the case's limit is decided ahead (a batch held for it), still before its due time. */
  async function heldAhead(caseNo: string, due: number): Promise<void> {
    await eventually(
      () => held(caseNo, due),
      (rows) => rows.some((r) => r.state === 'held'),
      DAY * 3,
    );
    expect(Date.now()).toBeLessThan(due);
  }

  /** Every department deemed once the limits are settled; the lead's decision then completes the case. */
  async function expectDeemedThenCompleted(caseNo: string): Promise<void> {
    const deemed = await eventually(
      () => view(caseNo),
      (v) => v.status === 'deciding',
      DAY * 2,
    );
    expect(deemed.departments.map((d: { status: string }) => d.status)).toEqual(['deemed', 'deemed', 'deemed']);
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('completed');
  }

  it("records a silent department's limit at its deadline from the events held for it, and the case goes on", async () => {
    const { caseNo, due, window } = await acceptCase(2_000);
    const rows = await eventually(
      () => held(caseNo, due),
      (r) => r.length > 0,
      DAY * 3,
    );
    expect(rows[0]!.state).toBe('held');
    expect((rows[0]!.events as { type: string }[]).map((e) => e.type)).toContain('department_overdue');
    // Decided, not yet recorded: nothing shows before the deadline.
    if (Date.now() < due - 300) expect(await recorded(caseNo, 'department_overdue')).toEqual([]);

    const overdue = await eventually(
      () => recorded(caseNo, 'department_overdue'),
      (r) => r.length === 3,
      DAY * 3,
    );
    // Stamped at the deadline, and written by the sweeper before the case itself would settle it.
    for (const e of overdue) {
      expect(e.at).toBe(due);
      expect(e.recorded).toBeGreaterThanOrEqual(due);
      expect(e.recorded).toBeLessThan(window.settleAt);
    }
    expect((await held(caseNo, due))[0]!.state).toBe('recorded');
    // The case settled its held events and takes the lead department's decision.
    await expectDeemedThenCompleted(caseNo);
    expect((await recorded(caseNo, 'department_overdue')).length).toBe(3);
    await recordHistory(sys, caseNo, 'held-deadline');
  });

  it('an opinion arriving after the limit was decided ahead withdraws the held events and counts in time', async () => {
    const { caseNo, due } = await acceptCase(5_000);
    await heldAhead(caseNo, due);
    const given = await opinion(m.co[0]!, caseNo, { verdict: 'approve' });
    expect(given.status).toBe(200);
    const rows = await held(caseNo, due);
    expect(rows[0]!.state).toBe('withdrawn');
    // Decided again without that department, and recorded at the deadline for the other two.
    const overdue = await eventually(
      () => recorded(caseNo, 'department_overdue'),
      (r) => r.length === 2,
      DAY * 3,
    );
    expect(overdue.map((e) => e.data.dept).sort()).toEqual([m.co[1]!, m.lead].sort());
    for (const e of overdue) expect(e.at).toBe(due);
    const final = await eventually(
      () => view(caseNo),
      (v) => v.status === 'deciding',
      DAY * 2,
    );
    const byDept = new Map(final.departments.map((d: { dept: string; status: string }) => [d.dept, d.status]));
    expect(byDept.get(m.co[0]!)).toBe('given');
    expect(byDept.get(m.co[1]!)).toBe('deemed');
    expect((await recorded(caseNo, 'opinion_given')).length).toBe(1);
    const states = (await held(caseNo, due)).map((r) => r.state);
    expect(states[0]).toBe('withdrawn');
    expect(states).toContain('recorded');
    await recordHistory(sys, caseNo, 'held-deadline-withdrawn');
  });

  // A refusal reads the store first (lost-task-adoption.test.ts): the refusing handler settles the
  // held events as any command does, and the deadline is still recorded at its due time.
  it('a command refused while a deadline is held is refused with its code, and the deadline is recorded at its due time all the same', async () => {
    const { caseNo, due } = await acceptCase(5_000);
    await heldAhead(caseNo, due);

    // The lead decides before the opinions are in: refused, as before, with the domain's code.
    const refused = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('opinions_pending');

    // The deadline still does what it must, at its due time, once.
    const overdue = await eventually(
      async () =>
        (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body.filter(
          (e: { type: string }) => e.type === 'department_overdue',
        ) as { at: string }[],
      (rows) => rows.length === 3,
      DAY * 3,
    );
    for (const e of overdue) expect(Date.parse(e.at)).toBe(due);
    await expectDeemedThenCompleted(caseNo);
  });
});
