import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { appendAndProjectIn } from '../../db/repositories/case-projection';
import { caseState } from '../../db/repositories/cases';
import { clearSettledBatches, holdBatch, recordDueBatches, settleHeldBatch } from '../../db/repositories/held-batches';
import { applyCommand } from '../../domain/apply';
import type { CaseEvent } from '../../domain/events';
import { SYSTEM_ACTOR, type CaseState } from '../../domain/types';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * The held batches' one rule (db/repositories/held-batches.ts): a batch held for its deadline ends
 * exactly once — recorded (by a sweeper or its case) or withdrawn — and every settlement after
 * reads that outcome. Against the real database, with real cases' deadline events.
 */
describe('timer events held for their deadline', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  beforeAll(async () => {
    sys = await startSystem();
    m = await seedMatter(sys, unique('HB'), { deptReviewDays: 5, timeLimitDays: 10, silencePolicy: 'deemed_approve' });
  });
  afterAll(async () => sys?.stop());

  /** A real case, and the events its departments' limit will record (decided as of that limit). */
  async function deadlineBatch(): Promise<{ caseNo: string; events: CaseEvent[]; after: CaseState }> {
    const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '钱七' },
      materials: m.materials.map((x) => x.code),
    });
    expect(res.status).toBe(201);
    const caseNo = res.body.caseNo as string;
    const state = (await caseState(sys.db, caseNo))!;
    const due = state.departments[0]!.dueAt;
    const time = await resolveTimeModel(sys.db, state.time);
    const { events, state: after } = applyCommand({ type: 'tick' }, state, caseNo, {
      now: due,
      time,
      actor: SYSTEM_ACTOR,
      legalTimes: true,
    });
    expect(events.map((e) => e.type)).toContain('department_overdue');
    return { caseNo, events, after: after! };
  }
  const storedTypes = async (caseNo: string) =>
    (await sys.db.selectFrom('case_events').select('type').where('case_no', '=', caseNo).orderBy('seq').execute()).map(
      (r) => r.type,
    );
  const stateOf = async (id: string) =>
    (await sys.db.selectFrom('held_batches').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

  it('records a due batch once, whoever settles it, and every later settlement reads that outcome', async () => {
    const { caseNo, events, after: decided } = await deadlineBatch();
    const before = await storedTypes(caseNo);
    const id = unique('hold-');
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() - 1_000, events });
    // Its write was compiled when held, for the sweeper to run as it is.
    const prepared = await sys.db
      .selectFrom('held_batches')
      .select('prepared')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(prepared.prepared).toMatchObject({ afterSeq: events[0]!.seq - 1 });
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() - 1_000, events }); // a retried hold
    // The sweeper running beside this test may take it first; either way it is recorded once.
    await recordDueBatches(sys.db, 50);
    await eventually(
      () => stateOf(id),
      (s) => s === 'recorded',
    );
    const after = await storedTypes(caseNo);
    expect(after.length).toBe(before.length + events.length);
    expect(after.filter((t) => t === 'department_overdue')).toHaveLength(3);
    const again = await settleHeldBatch(sys.db, id, 'record');
    const late = await settleHeldBatch(sys.db, id, 'withdraw');
    expect(again.recorded).toBe(true);
    expect(late.recorded).toBe(true);
    expect(await storedTypes(caseNo)).toEqual(after);
    // The projection took them: the supervisors see each silent department's consent deemed.
    const view = (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}`)).body;
    expect(view.departments.map((d: { status: string }) => d.status)).toEqual(['deemed', 'deemed', 'deemed']);
    expect(await caseState(sys.db, caseNo)).toEqual(decided);
  });

  it('a batch withdrawn before its deadline is never recorded, and a retried hold does not bring it back', async () => {
    const { caseNo, events } = await deadlineBatch();
    const before = await storedTypes(caseNo);
    const id = unique('hold-');
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() + 60_000, events });
    expect(await settleHeldBatch(sys.db, id, 'withdraw')).toEqual({ recorded: false, webhooks: [] });
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() - 1_000, events });
    await sys.db
      .updateTable('held_batches')
      .set({ due_at: new Date(Date.now() - 1_000) })
      .where('id', '=', id)
      .execute();
    await recordDueBatches(sys.db, 50);
    expect(await stateOf(id)).toBe('withdrawn');
    expect((await settleHeldBatch(sys.db, id, 'record')).recorded).toBe(false);
    expect(await storedTypes(caseNo)).toEqual(before);
  });

  it('a withdrawal racing the recording waits for it and learns the batch was recorded', async () => {
    const { caseNo, events } = await deadlineBatch();
    const id = unique('hold-');
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() + 60_000, events });
    let withdrawal: Promise<{ recorded: boolean }> | undefined;
    await sys.db.transaction().execute(async (trx) => {
      // A sweeper's transaction: the row taken, the events being recorded…
      await trx.selectFrom('held_batches').select('id').where('id', '=', id).forUpdate().execute();
      withdrawal = settleHeldBatch(sys.db, id, 'withdraw');
      await new Promise((r) => setTimeout(r, 300));
      const webhooks = await appendAndProjectIn(trx, caseNo, events);
      await trx
        .updateTable('held_batches')
        .set({ state: 'recorded', settled_at: new Date(), webhooks: JSON.stringify(webhooks) })
        .where('id', '=', id)
        .execute();
    });
    // …so the act that came meanwhile is judged after them.
    expect((await withdrawal!).recorded).toBe(true);
    expect(await stateOf(id)).toBe('recorded');
    expect((await storedTypes(caseNo)).filter((t) => t === 'department_overdue')).toHaveLength(3);
  });

  /** A department's opinion over HTTP: the case takes an event the held batch was not decided after. */
  async function moveOn(caseNo: string): Promise<void> {
    const given = await caller(sys, sys.token('department', m.co[0]!)).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
    });
    expect(given.status, JSON.stringify(given.body)).toBe(200);
  }
  const heldRow = (id: string) =>
    sys.db.selectFrom('held_batches').select(['state', 'settled_at']).where('id', '=', id).executeTakeFirstOrThrow();

  it('the sweeper withdraws a batch whose case took events since it was held, writing nothing', async () => {
    const { caseNo, events } = await deadlineBatch();
    const id = unique('hold-');
    // Held (its write compiled against the case as it was) for later, so no sweeper takes it yet.
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() + 60_000, events });
    await moveOn(caseNo);
    const before = await storedTypes(caseNo);
    const seen = await caseState(sys.db, caseNo);
    await sys.db
      .updateTable('held_batches')
      .set({ due_at: new Date(Date.now() - 1_000) })
      .where('id', '=', id)
      .execute();
    // This sweep or the worker's own beside it: either way the batch no longer follows the case.
    await recordDueBatches(sys.db, 50);
    await eventually(
      () => heldRow(id),
      (r) => r.state === 'withdrawn',
    );
    expect((await heldRow(id)).settled_at).not.toBeNull();
    expect(await storedTypes(caseNo)).toEqual(before);
    expect(before).not.toContain('department_overdue');
    expect(await caseState(sys.db, caseNo)).toEqual(seen);
    const view = (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}`)).body;
    const byDept = new Map(view.departments.map((d: { dept: string; status: string }) => [d.dept, d.status]));
    expect(Object.fromEntries(byDept)).toEqual({ [m.lead]: 'pending', [m.co[0]!]: 'given', [m.co[1]!]: 'pending' });
    // Settled for good: the case settling it later reads the withdrawal.
    expect(await settleHeldBatch(sys.db, id, 'record')).toEqual({ recorded: false, webhooks: [] });
    expect(await storedTypes(caseNo)).toEqual(before);
  });

  it('a batch held after its case had moved on (nothing compiled) is withdrawn by the sweeper too', async () => {
    const { caseNo, events } = await deadlineBatch();
    await moveOn(caseNo);
    const before = await storedTypes(caseNo);
    const id = unique('hold-');
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() - 1_000, events });
    expect(
      (await sys.db.selectFrom('held_batches').select('prepared').where('id', '=', id).executeTakeFirstOrThrow())
        .prepared,
    ).toBeNull();
    await recordDueBatches(sys.db, 50);
    await eventually(
      () => heldRow(id),
      (r) => r.state === 'withdrawn',
    );
    expect(await storedTypes(caseNo)).toEqual(before);
  });

  it("a case's own 'record' of a batch its case moved on from withdraws it: nothing written, not recorded", async () => {
    const { caseNo, events } = await deadlineBatch();
    const id = unique('hold-');
    await holdBatch(sys.db, { id, caseNo, dueAt: Date.now() + 60_000, events });
    await moveOn(caseNo);
    const before = await storedTypes(caseNo);
    const seen = await caseState(sys.db, caseNo);
    expect(await settleHeldBatch(sys.db, id, 'record')).toEqual({ recorded: false, webhooks: [] });
    expect((await heldRow(id)).state).toBe('withdrawn');
    expect(await storedTypes(caseNo)).toEqual(before);
    expect(await caseState(sys.db, caseNo)).toEqual(seen);
    // Every later settlement reads the same outcome, and no sweep brings it back.
    expect(await settleHeldBatch(sys.db, id, 'record')).toEqual({ recorded: false, webhooks: [] });
    expect(await settleHeldBatch(sys.db, id, 'withdraw')).toEqual({ recorded: false, webhooks: [] });
    await recordDueBatches(sys.db, 50);
    expect(await storedTypes(caseNo)).toEqual(before);
  });

  it('of two batches held on the same case as it was, the first recorded moves the case on and the other is withdrawn', async () => {
    const { caseNo, events } = await deadlineBatch();
    const before = await storedTypes(caseNo);
    const [first, second] = [unique('hold-'), unique('hold-')];
    await holdBatch(sys.db, { id: first, caseNo, dueAt: Date.now() - 2_000, events });
    await holdBatch(sys.db, { id: second, caseNo, dueAt: Date.now() - 1_000, events });
    // One sweep takes both (the second after the first in its transaction), or the worker's takes them.
    await recordDueBatches(sys.db, 50);
    const states = await eventually(
      async () => [(await heldRow(first)).state, (await heldRow(second)).state],
      (s) => s.every((x) => x !== 'held'),
    );
    expect(states).toEqual(['recorded', 'withdrawn']);
    const after = await storedTypes(caseNo);
    expect(after.length).toBe(before.length + events.length);
    expect(after.filter((t) => t === 'department_overdue')).toHaveLength(3);
  });

  it('clears settled batches once they are old, never a held one', async () => {
    const { caseNo, events } = await deadlineBatch();
    const [settled, waiting] = [unique('hold-'), unique('hold-')];
    await holdBatch(sys.db, { id: settled, caseNo, dueAt: Date.now() + 60_000, events });
    await settleHeldBatch(sys.db, settled, 'withdraw');
    await holdBatch(sys.db, { id: waiting, caseNo, dueAt: Date.now() + 60_000, events });
    await sys.db
      .updateTable('held_batches')
      .set({ settled_at: new Date(Date.now() - 3_600_000) })
      .where('id', 'in', [settled, waiting])
      .execute();
    expect(await clearSettledBatches(sys.db, 1_800_000)).toBeGreaterThanOrEqual(1);
    const left = await sys.db.selectFrom('held_batches').select('id').where('id', 'in', [settled, waiting]).execute();
    expect(left.map((r) => r.id)).toEqual([waiting]);
    await settleHeldBatch(sys.db, waiting, 'withdraw');
  });
});
