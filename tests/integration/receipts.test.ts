import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseState } from '../../db/repositories/cases';
import { commandUpdate } from '../../workflows/definitions';
import { caller, eventually, seedMatter } from '../support/http';
import { recordHistory } from '../support/histories';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * The case workflow judges an act as of its receipt (patch i8-receipt-times): an opinion whose
 * receipt time is before the department's limit, delivered after the limit's deemed consent was
 * applied (as after an outage), replaces the deemed one. Recorded as a history, so the patched path
 * replays too (the older histories replay the unpatched one).
 */
const DAY = 2000;

describe('receipt times in the case workflow (demo clock)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ demoDayMs: DAY });
  });
  afterAll(async () => sys?.stop());

  const events = async (caseNo: string) =>
    (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body as {
      seq: number;
      type: string;
      at: string;
      receivedAt?: string;
      effectiveAt?: string;
      data: any;
    }[];

  it('an opinion received before the limit, delivered after the deemed consent, replaces it; the fee follows', async () => {
    const m = await seedMatter(sys, unique('RC'), {
      deptReviewDays: 2,
      timeLimitDays: 30,
      silencePolicy: 'deemed_approve',
    });
    const submitted = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '王五' },
      materials: m.materials.map((x) => x.code),
    });
    const caseNo = submitted.body.caseNo as string;
    for (const dept of [m.lead, m.co[1]!])
      expect(
        (await caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' }))
          .status,
      ).toBe(200);
    const silent = m.co[0]!;
    const deemed = await eventually(
      () => events(caseNo),
      (t) => t.some((e) => e.type === 'opinion_deemed'),
      40_000,
    );
    const deemedEvent = deemed.find((e) => e.type === 'opinion_deemed')!;
    expect(Date.parse(deemedEvent.effectiveAt!)).toBeLessThanOrEqual(Date.parse(deemedEvent.at));
    const dueAt = Date.parse(deemedEvent.effectiveAt!);

    // The opinion the API received 300 ms before the limit arrives now (the update a receipt carries).
    const version = await sys.client.workflow.getHandle(caseNo).executeUpdate(commandUpdate, {
      args: [
        {
          command: {
            type: 'give_opinion',
            opinion: { verdict: 'approve', fees: [{ item: '消防审核费', amountCents: 4_200 }] },
          },
          actor: { sub: 'fire-officer', role: 'department', dept: silent },
          receivedAt: dueAt - 300,
        },
      ],
    });
    const state = await caseState(sys.db, caseNo);
    expect(state!.seq).toBeGreaterThanOrEqual(version.seq);
    expect(state!.departments.find((t) => t.dept === silent)).toMatchObject({ status: 'given', givenAt: dueAt - 300 });
    const trail = await events(caseNo);
    const given = trail.find((e) => e.type === 'opinion_given' && e.data.dept === silent)!;
    expect(given.data.supersedes).toMatchObject({ seq: deemedEvent.seq, type: 'opinion_deemed' });
    expect(Date.parse(given.receivedAt!)).toBe(dueAt - 300);

    // The task counts as on time in the department figures, and its fee is collected.
    const task = await sys.db
      .selectFrom('case_tasks')
      .select(['status', 'deemed', 'late_working_days'])
      .where('case_no', '=', caseNo)
      .where('dept', '=', silent)
      .executeTakeFirstOrThrow();
    expect(task).toEqual({ status: 'given', deemed: false, late_working_days: 0 });
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'awaiting_payment', fees: { totalCents: 4_200 } });

    // Past the decision a new opinion is refused for the case's state.
    const again = await caller(sys, sys.token('department', silent)).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'reject',
      comment: 'x',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('case_not_in_review');
    await recordHistory(sys, caseNo, 'receipt-supersedes-deemed');
  });

  it('past a decision taken on the deemed opinion: 409 deadline_passed_unavailable, recorded for the supervisors', async () => {
    const m = await seedMatter(sys, unique('RD'), {
      deptReviewDays: 2,
      timeLimitDays: 30,
      silencePolicy: 'deemed_approve',
    });
    const caseNo = (
      await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: '赵六' },
        materials: m.materials.map((x) => x.code),
      })
    ).body.caseNo as string;
    for (const dept of [m.lead, m.co[1]!])
      await caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    const trail = await eventually(
      () => events(caseNo),
      (t) => t.some((e) => e.type === 'review_completed'),
      40_000,
    );
    const dueAt = Date.parse(trail.find((e) => e.type === 'opinion_deemed')!.effectiveAt!);
    // A decision (with fees none) on the deemed opinion: the case completes and its workflow closes.
    expect(
      (
        await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
          decision: 'approve',
        })
      ).body.status,
    ).toBe('completed');
    const handle = sys.client.workflow.getHandle(caseNo);
    await handle.result();
    // The receipt applier's path for a closed case: the receipt is applied through the API service.
    const answer = await sys.app.cases.command(
      'opinions',
      caseNo,
      { type: 'give_opinion', opinion: { verdict: 'reject', comment: '不符合消防要求' } },
      { sub: 'fire-officer', role: 'department', dept: m.co[0]! },
      {
        scope: 'department:x:fire-officer',
        key: unique('late-'),
        keyFromHeader: true,
        fingerprint: 'f',
        receivedAt: dueAt - 300,
      },
    );
    expect(answer.status).toBe(409);
    expect((answer.body as { code: string }).code).toBe('deadline_passed_unavailable');
    const notice = await sys.db
      .selectFrom('notifications')
      .select(['kind', 'dept'])
      .where('case_no', '=', caseNo)
      .where('kind', '=', 'late_act_refused')
      .execute();
    expect(notice).toEqual([{ kind: 'late_act_refused', dept: '_supervisors' }]);
  });
});
