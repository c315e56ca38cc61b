import { describe, it, expect } from 'vitest';
import { armedTimers, holdWindow, MIN_HOLD_LEAD_MS, nextTimer } from '../../domain/timers';
import {
  ALL_MATERIALS,
  APPROVE,
  CAL,
  DAY,
  DEMO,
  LEAD,
  SUPERVISOR,
  SYSTEM,
  TICK,
  WINDOW,
  acceptedCase,
  after,
  all,
  day,
  dayStart,
  decideCmd,
  decidingCase,
  dept,
  given,
  matter,
  one,
  opinionCmd,
  opinionGiven,
  play,
  refused,
  reject,
  sh,
  stateOf,
  submitCmd,
  types,
  when,
} from './support/given';

const PLAN = dept(LEAD);
const FIRE = dept('FIRE');
const ENV = dept('ENV');
const ESCALATE_ONLY = matter({ silencePolicy: 'escalate_only' });

// Accepted day 0 (demo): case deadline 24:00 of day 10 = dayStart(11), warning when 2 working days
// remain = dayStart(8); department limit 5 days = dayStart(6), its warning one working day before = dayStart(4).

describe('armed timers', () => {
  it('an accepted case arms the case warning and deadline and each department warning and deadline', () => {
    const timers = armedTimers(given(acceptedCase()), DEMO);
    expect(timers).toEqual(
      expect.arrayContaining([
        { at: dayStart(11), kind: 'case_overdue' },
        { at: dayStart(8), kind: 'case_warn' },
        ...['PLAN', 'FIRE', 'ENV'].flatMap((d) => [
          { at: dayStart(6), kind: 'dept_overdue', dept: d },
          { at: dayStart(4), kind: 'dept_warn', dept: d },
        ]),
      ]),
    );
    expect(timers).toHaveLength(8);
  });

  it('nextTimer gives the earliest armed timer', () => {
    expect(nextTimer(given(acceptedCase()), DEMO)).toEqual({ at: dayStart(4), kind: 'dept_warn', dept: 'PLAN' });
    const warned = after(given(acceptedCase()), TICK, SYSTEM, dayStart(4));
    expect(nextTimer(warned, DEMO)).toEqual({ at: dayStart(6), kind: 'dept_overdue', dept: 'PLAN' });
    expect(nextTimer(given(decidingCase()), DEMO)).toEqual({ at: dayStart(8), kind: 'case_warn' });
  });

  it('nextTimer is the minimum of armedTimers whatever the state', () => {
    for (const s of [
      given(acceptedCase()),
      given(decidingCase()),
      after(given(decidingCase()), TICK, SYSTEM, dayStart(11)),
    ]) {
      const min = Math.min(...armedTimers(s, DEMO).map((t) => t.at));
      expect(nextTimer(s, DEMO)!.at).toBe(min);
    }
  });

  it('nothing is armed before acceptance nor once closed', () => {
    expect(nextTimer(given([...acceptedCase()].slice(0, 1)), DEMO)).toBeUndefined();
    expect(nextTimer(after(given(decidingCase()), decideCmd('approve'), PLAN, day(3)), DEMO)).toBeUndefined();
  });
});

describe('a timer does not fire before its time', () => {
  it('a tick just before the first timer emits nothing and changes nothing', () => {
    const s = given(acceptedCase());
    const outcome = when(s, TICK, SYSTEM, dayStart(4) - 1);
    expect(outcome.events).toEqual([]);
    expect(outcome.state).toBe(s);
  });

  it('a timer that fired does not fire again', () => {
    const s = after(given(acceptedCase()), TICK, SYSTEM, dayStart(4));
    expect(when(s, TICK, SYSTEM, dayStart(4) + 1).events).toEqual([]);
    expect(when(s, TICK, SYSTEM, dayStart(6) - 1).events).toEqual([]);
  });
});

describe('department limits', () => {
  it('yellow one working day before its deadline', () => {
    const outcome = when(given(acceptedCase()), TICK, SYSTEM, dayStart(4));
    expect(all(outcome, 'department_warned')).toEqual(
      ['PLAN', 'FIRE', 'ENV'].map((d) => ({ dept: d, round: 1, dueAt: dayStart(6) })),
    );
    expect(stateOf(outcome).departments.map((t) => t.alert)).toEqual(['yellow', 'yellow', 'yellow']);
  });

  it('one working day before on the real calendar skips the weekend', () => {
    // accepted Tue 2026-03-03, 4 working days → ends with Mon 03-09; warned at 00:00 of Fri 03-06
    const s = after(
      undefined,
      submitCmd(ALL_MATERIALS, matter({ deptReviewDays: 4 })),
      WINDOW,
      sh('2026-03-03T10:00'),
      CAL,
    );
    expect(s.departments[0]!.dueAt).toBe(sh('2026-03-10'));
    expect(when(s, TICK, SYSTEM, sh('2026-03-06') - 1, CAL).events).toEqual([]);
    expect(types(when(s, TICK, SYSTEM, sh('2026-03-06'), CAL))).toEqual([
      'department_warned',
      'department_warned',
      'department_warned',
    ]);
  });

  it('deemed_approve: at the deadline the silence is recorded as 视为同意 and the round settles', () => {
    const s = given([...acceptedCase(), opinionGiven('FIRE', APPROVE, day(1)), opinionGiven('ENV', APPROVE, day(2))]);
    const warned = after(s, TICK, SYSTEM, dayStart(4));
    expect(types(when(warned, TICK, SYSTEM, dayStart(6) - 1))).toEqual([]);
    const outcome = when(warned, TICK, SYSTEM, dayStart(6));
    // at the deadline: escalation and the silence policy
    expect(types(outcome)).toEqual(['department_overdue', 'escalated', 'opinion_deemed', 'review_completed']);
    expect(one(outcome, 'department_overdue')).toEqual({ dept: 'PLAN', round: 1, dueAt: dayStart(6) });
    expect(one(outcome, 'escalated')).toMatchObject({ scope: 'department', depts: ['PLAN'] });
    expect(one(outcome, 'opinion_deemed')).toMatchObject({ dept: 'PLAN', round: 1, verdict: 'approve' });
    expect(one(outcome, 'opinion_deemed').note).toContain('视为同意');
    const r = stateOf(outcome);
    expect(r.status).toBe('deciding');
    expect(r.departments.find((t) => t.dept === 'PLAN')).toMatchObject({
      status: 'deemed',
      alert: 'red',
      overdue: true,
      opinion: { verdict: 'approve' },
    });
    // a deemed department cannot answer afterwards: the refusal says its opinion was deemed
    refused(when(r, opinionCmd(reject()), PLAN, day(6)), 409, 'opinion_deemed');
  });

  it('deemed_approve: the round is settled only when the last silent department is deemed', () => {
    const outcome = when(given(acceptedCase()), TICK, SYSTEM, dayStart(6));
    expect(all(outcome, 'opinion_deemed').map((x) => x.dept)).toEqual(['PLAN', 'FIRE', 'ENV']);
    expect(types(outcome).filter((t) => t === 'review_completed')).toHaveLength(1);
    expect(types(outcome).at(-1)).toBe('review_completed');
  });

  it('deemed_approve: a deemed department in a supplement round lets the notice go out', () => {
    const s = given([
      ...acceptedCase(),
      opinionGiven('FIRE', { verdict: 'request_supplement', materials: [{ code: 'X', name: 'x' }] }, day(1)),
      opinionGiven('ENV', APPROVE, day(1)),
    ]);
    const outcome = when(after(s, TICK, SYSTEM, dayStart(4)), TICK, SYSTEM, dayStart(6));
    expect(types(outcome)).toEqual([
      'department_overdue',
      'escalated',
      'opinion_deemed',
      'supplement_notice_issued',
      'clock_suspended',
    ]);
  });

  it('escalate_only: at the deadline escalated, the department stays pending, and is escalated again every working day', () => {
    const s = given([
      ...acceptedCase(day(0), { matter: ESCALATE_ONLY }),
      opinionGiven('FIRE', APPROVE, day(1)),
      opinionGiven('ENV', APPROVE, day(1)),
    ]);
    const warned = after(s, TICK, SYSTEM, dayStart(4));
    const outcome = when(warned, TICK, SYSTEM, dayStart(6));
    expect(outcome.events).toEqual([
      { type: 'department_overdue', data: { dept: 'PLAN', round: 1, dueAt: dayStart(6) }, effectiveAt: dayStart(6) },
      {
        type: 'escalated',
        data: { scope: 'department', depts: ['PLAN'], reason: expect.any(String) },
        effectiveAt: dayStart(6),
      },
    ]);
    const r = stateOf(outcome);
    expect(r.status).toBe('in_review');
    expect(r.departments.find((t) => t.dept === 'PLAN')).toMatchObject({
      status: 'pending',
      overdue: true,
      alert: 'red',
    });
    expect(nextTimer(r, DEMO)).toEqual({ at: dayStart(7), kind: 'dept_escalate', dept: 'PLAN' });

    expect(when(r, TICK, SYSTEM, dayStart(7) - 1).events).toEqual([]);
    const d7 = when(r, TICK, SYSTEM, dayStart(7));
    expect(d7.events).toEqual([
      {
        type: 'escalated',
        data: { scope: 'department', depts: ['PLAN'], reason: expect.any(String) },
        effectiveAt: dayStart(7),
      },
    ]);
    expect(when(stateOf(d7), TICK, SYSTEM, day(7, 18)).events).toEqual([]);
    expect(all(when(stateOf(d7), TICK, SYSTEM, dayStart(8)), 'escalated').map((e) => e.scope)).toContain('department');

    // it may still answer late; the round then settles
    expect(types(when(stateOf(d7), opinionCmd(APPROVE), PLAN, day(7)))).toEqual(['opinion_given', 'review_completed']);
  });

  it('escalate_only: escalated every working day of the real calendar, skipping the weekend', () => {
    // accepted Mon 2026-03-02, 4 working days → ends with Fri 03-06 (limit ends Sat 03-07 00:00)
    const s = play(
      undefined,
      [
        [
          submitCmd(ALL_MATERIALS, matter({ silencePolicy: 'escalate_only', deptReviewDays: 4 })),
          WINDOW,
          sh('2026-03-02T10:00'),
        ],
        [opinionCmd(APPROVE), FIRE, sh('2026-03-03T10:00')],
        [opinionCmd(APPROVE), ENV, sh('2026-03-03T10:00')],
      ],
      CAL,
    );
    const overdue = after(s, TICK, SYSTEM, sh('2026-03-07'), CAL);
    expect(overdue.departments[0]).toMatchObject({ dept: 'PLAN', overdue: true, status: 'pending' });
    expect(nextTimer(overdue, CAL)).toEqual({ at: sh('2026-03-09'), kind: 'dept_escalate', dept: 'PLAN' });
    expect(when(overdue, TICK, SYSTEM, sh('2026-03-08T12:00'), CAL).events).toEqual([]);
    expect(types(when(overdue, TICK, SYSTEM, sh('2026-03-09'), CAL))).toEqual(['escalated']);
  });

  it('no department timer runs while deciding', () => {
    expect(armedTimers(given(decidingCase()), DEMO).filter((t) => t.kind.startsWith('dept'))).toEqual([]);
  });
});

describe('case deadline', () => {
  it('yellow when the remaining working days reach the threshold', () => {
    const s = given(decidingCase());
    expect(when(s, TICK, SYSTEM, dayStart(8) - 1).events).toEqual([]);
    const outcome = when(s, TICK, SYSTEM, dayStart(8));
    expect(outcome.events).toEqual([
      { type: 'case_warned', data: { deadline: dayStart(11), remainingWorkingDays: 2 }, effectiveAt: dayStart(8) },
    ]);
    expect(stateOf(outcome)).toMatchObject({ alert: 'yellow', caseWarned: true });
  });

  it('red at the deadline, escalated to supervisors and the blocking departments; escalated again the next working day', () => {
    const warned = after(given(decidingCase()), TICK, SYSTEM, dayStart(8));
    expect(when(warned, TICK, SYSTEM, dayStart(11) - 1).events).toEqual([]);
    const outcome = when(warned, TICK, SYSTEM, dayStart(11));
    expect(outcome.events).toEqual([
      { type: 'case_overdue', data: { deadline: dayStart(11) }, effectiveAt: dayStart(11) },
      {
        type: 'escalated',
        data: { scope: 'case', depts: ['PLAN'], reason: expect.any(String) },
        effectiveAt: dayStart(11),
      },
    ]);
    const red = stateOf(outcome);
    expect(red).toMatchObject({ alert: 'red', caseOverdue: true });
    expect(nextTimer(red, DEMO)).toEqual({ at: dayStart(12), kind: 'case_escalate' });
    expect(when(red, TICK, SYSTEM, dayStart(12) - 1).events).toEqual([]);
    const again = when(red, TICK, SYSTEM, dayStart(12));
    expect(again.events).toEqual([
      {
        type: 'escalated',
        data: { scope: 'case', depts: ['PLAN'], reason: expect.any(String) },
        effectiveAt: dayStart(12),
      },
    ]);
    expect(nextTimer(stateOf(again), DEMO)).toEqual({ at: dayStart(13), kind: 'case_escalate' });
  });

  it('in review, the blocking departments are the pending ones', () => {
    const s = given([
      ...acceptedCase(day(0), { matter: matter({ silencePolicy: 'escalate_only', deptReviewDays: 15 }) }),
      opinionGiven('PLAN', APPROVE, day(1)),
    ]);
    const outcome = when(after(s, TICK, SYSTEM, dayStart(8)), TICK, SYSTEM, dayStart(11));
    expect(one(outcome, 'escalated')).toMatchObject({ scope: 'case', depts: ['FIRE', 'ENV'] });
  });

  it('a late tick catches up with one event per timer, not one per missed day', () => {
    const outcome = when(given(decidingCase()), TICK, SYSTEM, day(20));
    expect(types(outcome)).toEqual(['case_warned', 'case_overdue', 'escalated']);
  });

  it('red on the real calendar: at 24:00 of the deadline day, and again the next working day', () => {
    // accepted Thu 2026-09-24 with 6 working days → ends with Sat 2026-10-10 (make-up day)
    const s = play(
      undefined,
      [
        [submitCmd(ALL_MATERIALS, matter({ timeLimitDays: 6, deptReviewDays: 2 })), WINDOW, sh('2026-09-24T10:30')],
        [opinionCmd(APPROVE), PLAN, sh('2026-09-24T11:00')],
        [opinionCmd(APPROVE), FIRE, sh('2026-09-24T11:00')],
        [opinionCmd(APPROVE), ENV, sh('2026-09-24T11:00')],
      ],
      CAL,
    );
    expect(s.deadline).toBe(sh('2026-10-11'));
    // 2 working days before the last: Thu 10-08 00:00 (remaining: 10-09, 10-10)
    expect(nextTimer(s, CAL)).toEqual({ at: sh('2026-10-08'), kind: 'case_warn' });
    const red = play(
      s,
      [
        [TICK, SYSTEM, sh('2026-10-08')],
        [TICK, SYSTEM, sh('2026-10-11')],
      ],
      CAL,
    );
    expect(red.alert).toBe('red');
    expect(nextTimer(red, CAL)).toEqual({ at: sh('2026-10-12'), kind: 'case_escalate' });
  });
});

describe('suspension stops the timers', () => {
  const suspended = () =>
    after(given(acceptedCase()), { type: 'start_special_procedure', kind: '检验检测', reason: 'r' }, PLAN, day(2));

  it('nothing is armed and nothing fires while suspended', () => {
    const s = suspended();
    expect(armedTimers(s, DEMO)).toEqual([]);
    expect(nextTimer(s, DEMO)).toBeUndefined();
    expect(when(s, TICK, SYSTEM, day(60)).events).toEqual([]);
  });

  it('after the resume the timers are armed again at the moved instants', () => {
    const s = after(suspended(), { type: 'end_special_procedure', procedureId: 'P1', outcome: 'o' }, PLAN, day(7));
    // 5 working days lost in (2, 7]: department limits dayStart(6) → dayStart(11), case dayStart(11) → dayStart(16)
    expect(nextTimer(s, DEMO)).toEqual({ at: dayStart(9), kind: 'dept_warn', dept: 'PLAN' });
    expect(armedTimers(s, DEMO)).toEqual(
      expect.arrayContaining([
        { at: dayStart(16), kind: 'case_overdue' },
        { at: dayStart(13), kind: 'case_warn' },
      ]),
    );
    expect(when(s, TICK, SYSTEM, dayStart(9) - 1).events).toEqual([]);
  });
});

describe('negative filing review', () => {
  const filed = () => after(given(decidingCase()), decideCmd('reject', { reason: 'r' }), PLAN, day(3));

  it('a late review is escalated at its due time, then every working day; the case clock no longer alerts', () => {
    const s = filed();
    expect(armedTimers(s, DEMO)).toEqual([{ at: dayStart(7), kind: 'negative_overdue' }]);
    expect(when(s, TICK, SYSTEM, dayStart(7) - 1).events).toEqual([]);
    const outcome = when(s, TICK, SYSTEM, dayStart(7));
    expect(outcome.events).toEqual([
      {
        type: 'escalated',
        data: { scope: 'negative_review', depts: [], reason: expect.any(String) },
        effectiveAt: dayStart(7),
      },
    ]);
    expect(stateOf(outcome).negativeReview).toMatchObject({ overdue: true, lastEscalationAt: dayStart(7) });
    expect(nextTimer(stateOf(outcome), DEMO)).toEqual({ at: dayStart(8), kind: 'negative_escalate' });
    expect(types(when(stateOf(outcome), TICK, SYSTEM, dayStart(8)))).toEqual(['escalated']);
    // the promised deadline (dayStart(11)) passes without any case alert
    expect(types(when(stateOf(outcome), TICK, SYSTEM, day(11, 12)))).toEqual(['escalated']);
  });

  it('reviewed in time: nothing is escalated', () => {
    const s = after(filed(), { type: 'review_negative_filing', outcome: 'confirm', note: 'n' }, SUPERVISOR, day(4));
    expect(when(s, TICK, SYSTEM, day(30)).events).toEqual([]);
  });
});

describe('payment window', () => {
  const awaiting = () =>
    after(
      given(decidingCase({ FIRE: { ...APPROVE, fees: [{ item: 'fire_check', amountCents: 20_000 }] } })),
      decideCmd('approve'),
      PLAN,
      day(3),
    );

  it('the applicant is reminded when half the window has passed, and the case is terminated unpaid at its end', () => {
    const s = awaiting();
    expect(s.fees).toMatchObject({ remindAt: day(3) + 5 * DAY, dueAt: day(3) + 10 * DAY });
    expect(when(s, TICK, SYSTEM, day(8) - 1).events).toEqual([]);
    const reminded = when(s, TICK, SYSTEM, day(8));
    expect(reminded.events).toEqual([{ type: 'payment_reminded', data: { dueAt: day(13) }, effectiveAt: day(8) }]);
    expect(stateOf(reminded).fees.reminded).toBe(true);
    // the case deadline (dayStart(11)) is not alerted: waiting for payment is the applicant's time
    expect(when(stateOf(reminded), TICK, SYSTEM, day(13) - 1).events).toEqual([]);
    const ended = when(stateOf(reminded), TICK, SYSTEM, day(13));
    expect(ended.events).toEqual([{ type: 'terminated', data: { reason: expect.any(String) }, effectiveAt: day(13) }]);
    expect(stateOf(ended).status).toBe('terminated');
    expect(stateOf(ended).termination).toMatchObject({ at: day(13) });
    refused(
      when(stateOf(ended), { type: 'confirm_payment', paymentRef: 'late', amountCents: 20_000 }, WINDOW, day(14)),
      409,
      'not_awaiting_payment',
    );
  });

  it('paid in time: no reminder, no termination', () => {
    const s = after(awaiting(), { type: 'confirm_payment', paymentRef: 'P1', amountCents: 20_000 }, WINDOW, day(4));
    expect(armedTimers(s, DEMO)).toEqual([]);
    expect(when(s, TICK, SYSTEM, day(30)).events).toEqual([]);
  });
});

describe('deadlines decided ahead (holdWindow)', () => {
  const midnight = Date.UTC(2026, 11, 3, 16); // 24:00 in Shanghai
  const cases = Array.from({ length: 2000 }, (_, i) => `JA20261203${String(i + 1).padStart(6, '0')}`);

  it('decides a calendar deadline 1–30 minutes ahead and settles it 5 s to 30 minutes after, spread over the cases', () => {
    const windows = cases.map((c) => holdWindow(midnight, c, CAL)!);
    const leads = windows.map((w) => midnight - w.decideAt);
    const delays = windows.map((w) => w.settleAt - midnight);
    expect(Math.min(...leads)).toBeGreaterThanOrEqual(60_000);
    expect(Math.max(...leads)).toBeLessThanOrEqual(30 * 60_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5_000 + 30 * 60_000);
    // Consecutive case numbers land all over the window: no minute gets more than a few times its share.
    const perMinute = new Map<number, number>();
    for (const l of leads) perMinute.set(Math.floor(l / 60_000), (perMinute.get(Math.floor(l / 60_000)) ?? 0) + 1);
    expect(Math.max(...perMinute.values())).toBeLessThan((cases.length / 29) * 2);
  });

  it('is the same for the same case (replayed workflows hold at the same instants)', () => {
    expect(holdWindow(midnight, cases[7]!, CAL)).toEqual(holdWindow(midnight, cases[7]!, CAL));
    expect(holdWindow(midnight, cases[7]!, CAL)).not.toEqual(holdWindow(midnight, cases[8]!, CAL));
  });

  it('scales with a demo day, and fires on time when the lead would be under 2 s', () => {
    const long = { kind: 'demo' as const, epochMs: 0, dayMs: 60_000 };
    for (const c of cases.slice(0, 200)) {
      const w = holdWindow(600_000, c, long)!;
      expect(600_000 - w.decideAt).toBeGreaterThanOrEqual(6_000);
      expect(600_000 - w.decideAt).toBeLessThanOrEqual(54_000);
      expect(w.settleAt - 600_000).toBeGreaterThanOrEqual(3_000);
    }
    const short = { kind: 'demo' as const, epochMs: 0, dayMs: 1_500 };
    expect(cases.map((c) => holdWindow(15_000, c, short))).toEqual(cases.map(() => undefined));
    // A 20 s day: a tenth of it is the least lead, so every case decides ahead.
    const leads = cases.map(
      (c) => 60_000 - holdWindow(60_000, c, { kind: 'demo', epochMs: 0, dayMs: 20_000 })!.decideAt,
    );
    expect(Math.min(...leads)).toBeGreaterThanOrEqual(MIN_HOLD_LEAD_MS);
  });

  it('refuses an instant that is not finite', () => {
    expect(() => holdWindow(Number.NaN, cases[0]!, CAL)).toThrow(RangeError);
  });
});
