import { REFUSAL_STATUS } from '../../api/refusal-status';
import { describe, expect, it } from 'vitest';
import { lateActRefusal } from '../../domain/decide';
import { taskFigures } from '../../domain/lateness';
import {
  acceptedCase,
  after,
  APPROVE,
  dayStart,
  day,
  decideCmd,
  DEMO,
  dept,
  given,
  matter,
  one,
  opinionCmd,
  opinionGiven,
  refused,
  reject,
  stateOf,
  succeeded,
  SYSTEM,
  supplement,
  TICK,
  types,
  when,
} from './support/given';

/**
 * The legal time of an act is when the API received it (domain.md, "Acts, receipts and outages").
 * PLAN's limit in these cases ends at dayStart(6) (24:00 of day 5); FIRE and ENV answered on day 1.
 */
const PLAN = dept('PLAN');
const LIMIT = dayStart(6);
const JUST_BEFORE = LIMIT - 1_000; // 23:59:59 of the limit's last day

/** PLAN silent; the midnight tick has applied deemed consent (applied late, as after an outage). */
function deemedAfterOutage(m = matter()) {
  const s = given([
    ...acceptedCase(day(0), { matter: m }),
    opinionGiven('FIRE', APPROVE, day(1)),
    opinionGiven('ENV', APPROVE, day(1)),
  ]);
  return after(s, TICK, SYSTEM, LIMIT + 90_000); // the timer was applied 90 s after its due time
}

describe('timer-driven events carry the instant their rule took effect', () => {
  it('given a tick applied 90 s late, then every event it emits has effectiveAt = the due time', () => {
    const s = given([
      ...acceptedCase(),
      opinionGiven('FIRE', APPROVE, day(1)),
      opinionGiven('ENV', supplement('X'), day(1)),
    ]);
    const outcome = when(s, TICK, SYSTEM, LIMIT + 90_000);
    expect(types(outcome)).toEqual([
      'department_warned',
      'department_overdue',
      'escalated',
      'opinion_deemed',
      'supplement_notice_issued',
      'clock_suspended',
    ]);
    // The warning was due one working day before the limit, the rest at the limit.
    expect(outcome.events.map((e) => e.effectiveAt)).toEqual([dayStart(4), LIMIT, LIMIT, LIMIT, LIMIT, LIMIT]);
    // The clock stopped when the rule took effect, not when the backlog got to it.
    expect(one(outcome, 'clock_suspended').from).toBe(LIMIT);
    expect(outcome.envelopes.every((e) => e.at === LIMIT + 90_000)).toBe(true);
  });

  it('a deemed task counts from its limit: givenAt is the due time', () => {
    const plan = deemedAfterOutage().departments.find((t) => t.dept === 'PLAN')!;
    expect(plan).toMatchObject({ status: 'deemed', givenAt: LIMIT });
  });
});

describe('commands carry their receipt time', () => {
  it('given an opinion received at 23:59:59 and applied later, then its events keep receivedAt and it counts as on time', () => {
    const s = given([...acceptedCase(), opinionGiven('FIRE', APPROVE, day(1)), opinionGiven('ENV', APPROVE, day(1))]);
    const outcome = when(s, opinionCmd(APPROVE), PLAN, LIMIT + 5_000, DEMO, { receivedAt: JUST_BEFORE });
    expect(types(outcome)).toEqual(['opinion_given', 'review_completed']);
    expect(outcome.envelopes.map((e) => [e.receivedAt, e.at])).toEqual([
      [JUST_BEFORE, LIMIT + 5_000],
      [JUST_BEFORE, LIMIT + 5_000],
    ]);
    const plan = stateOf(outcome).departments.find((t) => t.dept === 'PLAN')!;
    expect(plan.givenAt).toBe(JUST_BEFORE);
    expect(taskFigures(plan, DEMO)).toEqual({ late: 0, toOpinion: 5 });
  });

  it('a decision received before the case deadline but applied after the overdue tick finishes on time', () => {
    const s = given([
      ...acceptedCase(),
      ...['PLAN', 'FIRE', 'ENV'].map((d) => opinionGiven(d, APPROVE, day(2))),
      { type: 'review_completed', data: { round: 1 }, at: day(2) },
    ]);
    const red = after(s, TICK, SYSTEM, dayStart(11) + 60_000);
    expect(red.alert).toBe('red');
    const outcome = when(red, decideCmd('approve'), PLAN, dayStart(11) + 120_000, DEMO, {
      receivedAt: dayStart(11) - 1_000,
    });
    expect(one(outcome, 'completed')).toMatchObject({ onTime: true, lateWorkingDays: 0 });
  });
});

describe('an opinion received in time replaces a deemed one applied after its receipt', () => {
  it('given deemed consent applied after the receipt, then the opinion is recorded as given, superseding the deemed one', () => {
    const deemed = deemedAfterOutage();
    expect(deemed.status).toBe('deciding');
    const deemedSeq = deemed.departments.find((t) => t.dept === 'PLAN')!.deemedSeq!;
    const outcome = when(deemed, opinionCmd(APPROVE), PLAN, LIMIT + 120_000, DEMO, { receivedAt: JUST_BEFORE });
    expect(types(outcome)).toEqual(['opinion_given']); // the round had already settled: no second review_completed
    const given = one(outcome, 'opinion_given');
    expect(given.supersedes).toMatchObject({ seq: deemedSeq, type: 'opinion_deemed' });
    expect(given.supersedes!.reason).toContain('before the limit');
    const plan = stateOf(outcome).departments.find((t) => t.dept === 'PLAN')!;
    expect(plan).toMatchObject({ status: 'given', givenAt: JUST_BEFORE, overdue: false, supersededSeq: deemedSeq });
    // Figures follow: an opinion on time, not a deemed one.
    expect(taskFigures(plan, DEMO)).toEqual({ late: 0, toOpinion: 5 });
  });

  it('a rejection received in time replaces the deemed consent: approving now needs an overrule', () => {
    // Without a receipt time it would be refused: the deemed consent stands.
    refused(when(deemedAfterOutage(), opinionCmd(reject('不符合规划')), PLAN, LIMIT + 120_000), 409, 'opinion_deemed');
    const replaced = stateOf(
      when(deemedAfterOutage(), opinionCmd(reject('不符合规划')), PLAN, LIMIT + 120_000, DEMO, {
        receivedAt: JUST_BEFORE,
      }),
    );
    refused(when(replaced, decideCmd('approve'), PLAN, LIMIT + 200_000), 422, 'rejecting_opinion_stands');
  });

  it('fees assessed in the replacing opinion are collected: the decision issues the payment notice', () => {
    const opinion = { verdict: 'approve' as const, fees: [{ item: 'plan_fee', amountCents: 80_000 }] };
    const replaced = stateOf(
      when(deemedAfterOutage(), opinionCmd(opinion), PLAN, LIMIT + 120_000, DEMO, { receivedAt: JUST_BEFORE }),
    );
    const decided = when(replaced, decideCmd('approve'), PLAN, LIMIT + 200_000);
    expect(one(decided, 'payment_notice_issued')).toMatchObject({
      items: [{ dept: 'PLAN', item: 'plan_fee', amountCents: 80_000 }],
      totalCents: 80_000,
    });
  });

  it('a request for supplement received in time reopens the settled round: one notice, the clock stops', () => {
    const outcome = when(deemedAfterOutage(), opinionCmd(supplement('B')), PLAN, LIMIT + 120_000, DEMO, {
      receivedAt: JUST_BEFORE,
    });
    expect(types(outcome)).toEqual(['opinion_given', 'supplement_notice_issued', 'clock_suspended']);
    expect(stateOf(outcome).status).toBe('suspended');
  });

  it('received after the limit: 409 opinion_deemed (not opinion_already_given), nothing recorded', () => {
    refused(
      when(deemedAfterOutage(), opinionCmd(APPROVE), PLAN, LIMIT + 120_000, DEMO, { receivedAt: LIMIT + 1 }),
      409,
      'opinion_deemed',
    );
    refused(when(deemedAfterOutage(), opinionCmd(APPROVE), PLAN, LIMIT + 120_000), 409, 'opinion_deemed');
  });

  it("the department's own earlier opinion still answers opinion_already_given, whatever its receipt time", () => {
    const s = given([...acceptedCase(), opinionGiven('PLAN', APPROVE, day(1))]);
    refused(when(s, opinionCmd(reject()), PLAN, day(2), DEMO, { receivedAt: day(1) }), 409, 'opinion_already_given');
  });

  it('past a decision taken on the deemed opinion: refused as deadline_passed_unavailable and recorded for the supervisors', () => {
    const decided = after(deemedAfterOutage(), decideCmd('approve'), PLAN, LIMIT + 100_000);
    expect(decided.status).toBe('completed');
    const outcome = when(decided, opinionCmd(reject('r')), PLAN, LIMIT + 120_000, DEMO, { receivedAt: JUST_BEFORE });
    expect(types(succeeded(outcome))).toEqual(['late_act_refused']);
    const record = one(outcome, 'late_act_refused');
    expect(record).toMatchObject({ dept: 'PLAN', code: 'deadline_passed_unavailable', receivedAt: JUST_BEFORE });
    expect(record.reason).toContain('decision');
    const refusal = lateActRefusal(outcome.events[0] as Parameters<typeof lateActRefusal>[0]);
    expect({ status: REFUSAL_STATUS[refusal.code], code: refusal.code }).toEqual({
      status: 409,
      code: 'deadline_passed_unavailable',
    });
    // The decided case is untouched.
    expect(stateOf(outcome).departments.find((t) => t.dept === 'PLAN')?.status).toBe('deemed');
  });

  it('an invalid opinion is refused as such even when received in time (nothing recorded)', () => {
    refused(
      when(
        deemedAfterOutage(),
        opinionCmd({ verdict: 'approve', fees: [{ item: 'nope', amountCents: 1 }] }),
        PLAN,
        LIMIT + 120_000,
        DEMO,
        { receivedAt: JUST_BEFORE },
      ),
      422,
      'unknown_fee_item',
    );
  });
});

describe('escalate_only: an opinion received in time is not late though the overdue tick came first', () => {
  it('records which department_overdue it supersedes, and the task counts as on time', () => {
    const m = matter({ silencePolicy: 'escalate_only' });
    const s = given([
      ...acceptedCase(day(0), { matter: m }),
      opinionGiven('FIRE', APPROVE, day(1)),
      opinionGiven('ENV', APPROVE, day(1)),
    ]);
    const overdue = after(s, TICK, SYSTEM, LIMIT + 90_000);
    const task = overdue.departments.find((t) => t.dept === 'PLAN')!;
    expect(task).toMatchObject({ status: 'pending', overdue: true });
    const outcome = when(overdue, opinionCmd(APPROVE), PLAN, LIMIT + 120_000, DEMO, { receivedAt: JUST_BEFORE });
    expect(types(outcome)).toEqual(['opinion_given', 'review_completed']);
    expect(one(outcome, 'opinion_given').supersedes).toMatchObject({
      seq: task.overdueSeq,
      type: 'department_overdue',
    });
    const plan = stateOf(outcome).departments.find((t) => t.dept === 'PLAN')!;
    expect(taskFigures(plan, DEMO).late).toBe(0);
    // Received after the limit, the same opinion is late by a working day.
    const late = stateOf(when(overdue, opinionCmd(APPROVE), PLAN, day(6), DEMO, { receivedAt: day(6) }));
    expect(
      taskFigures(
        late.departments.find((t) => t.dept === 'PLAN')!,
        DEMO,
      ).late,
    ).toBe(1);
  });
});
