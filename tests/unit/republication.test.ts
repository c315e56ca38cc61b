import { describe, expect, it } from 'vitest';
import { buildCalendar, deadlineAfter, warningAt, type TimeModel } from '../../domain/calendar';
import { OFFICIAL_CALENDAR_YEARS } from '../../domain/calendar-data';
import { deadlineProvisional } from '../../domain/republication';
import { nextTimer } from '../../domain/timers';
import { CURRENT_RULES } from '../../domain/types';
import { toCaseView } from '../../domain/view';
import {
  ADMIN,
  CAL,
  SYSTEM,
  TICK,
  acceptedCase,
  after,
  given,
  matter,
  one,
  refused,
  sh,
  stateOf,
  types,
  when,
} from './support/given';

// 2027 is not published in the shipped calendar: it counts weekends only.
const Y2027 = {
  holidays: ['2027-01-01', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
  workdays: ['2027-02-20'],
};
const PUBLISHED = buildCalendar({ ...OFFICIAL_CALENDAR_YEARS, '2027': Y2027 });
const WITH_2027: TimeModel = { kind: 'calendar', calendar: PUBLISHED };
const applyCmd = (calendar = PUBLISHED) => ({ type: 'apply_calendar' as const, calendar });

// Accepted Tue 2026-12-01: promised 30 working days → weekends only 2027-01-12, statutory 45 → 2027-02-03.
const ACCEPTED = sh('2026-12-01T10:00');
const M = matter({ timeLimitDays: 30, statutoryLimitDays: 45, deptReviewDays: 5, warnDays: 2 });
const runningCase = () => given(acceptedCase(ACCEPTED, { matter: M, time: CAL, rules: CURRENT_RULES }), { time: CAL });
const TODAY = sh('2026-12-04T09:00');

describe('a new year’s calendar reaches running cases', () => {
  it('before 2027 is published, deadlines counting its days are provisional (weekends only)', () => {
    const s = runningCase();
    expect(s.deadline).toBe(sh('2027-01-13')); // 24:00 of 2027-01-12
    expect(s.statutoryDeadline).toBe(sh('2027-02-03')); // 24:00 of 2027-02-02, before any Spring Festival
    expect(deadlineProvisional(s, CAL, TODAY)).toBe(true);
    expect(toCaseView(s, TODAY, CAL).deadlineProvisional).toBe(true);
  });

  it('publishing 2027 recomputes every open deadline: an event with each before and after', () => {
    const outcome = when(runningCase(), applyCmd(), SYSTEM, TODAY, CAL);
    const data = one(outcome, 'deadlines_recomputed');
    expect(data.calendar).toBe(PUBLISHED.version);
    expect(data.previousCalendar).toBe(CAL.kind === 'calendar' ? CAL.calendar.version : '');
    expect(data.years).toEqual(['2027']);
    const byKind = Object.fromEntries(data.deadlines.map((x) => [x.dept ? `${x.kind}:${x.dept}` : x.kind, x]));
    // The same limits counted with the published holidays, as if 2027 had been known at acceptance.
    expect(byKind.case).toEqual({
      kind: 'case',
      before: sh('2027-01-13'),
      after: deadlineAfter(WITH_2027, ACCEPTED, 30),
    });
    expect(byKind.case!.after).toBe(sh('2027-01-14'));
    expect(byKind.statutory!.after).toBe(deadlineAfter(WITH_2027, ACCEPTED, 45));
    expect(byKind.statutory!.after).toBe(sh('2027-02-04')); // 1 January is a rest day
    // Every department's due time is listed too (here in 2026: unchanged).
    for (const d of ['PLAN', 'FIRE', 'ENV'])
      expect(byKind[`department:${d}`]).toEqual({
        kind: 'department',
        dept: d,
        before: sh('2026-12-09'),
        after: sh('2026-12-09'),
      });
    const s = stateOf(outcome);
    expect(s.deadline).toBe(byKind.case!.after);
    expect(s.statutoryDeadline).toBe(byKind.statutory!.after);
    expect(s.time).toEqual({ kind: 'calendar', version: PUBLISHED.version });
    expect(deadlineProvisional(s, WITH_2027, TODAY)).toBe(false);
  });

  it('timers are re-armed on the recomputed deadlines', () => {
    const deciding = after(runningCase(), TICK, SYSTEM, sh('2026-12-09'), CAL); // every department deemed
    expect(deciding.status).toBe('deciding');
    expect(nextTimer(deciding, CAL)).toEqual({ at: warningAt(CAL, sh('2027-01-13'), 2), kind: 'case_warn' });
    const s = after(deciding, applyCmd(), SYSTEM, sh('2026-12-10T09:00'), CAL);
    expect(nextTimer(s, WITH_2027)).toEqual({ at: warningAt(WITH_2027, sh('2027-01-14'), 2), kind: 'case_warn' });
    expect(warningAt(WITH_2027, sh('2027-01-14'), 2)).toBe(sh('2027-01-11'));
  });

  it('alerts are judged again: a yellow case whose deadline moved away is no longer yellow, and will be warned again', () => {
    // Promised 45 working days: weekends only, the last day is Tue 2027-02-02 and the warning 00:00 Fri 01-29.
    const m = matter({ timeLimitDays: 45, warnDays: 2 });
    const s0 = given(acceptedCase(ACCEPTED, { matter: m, time: CAL, rules: CURRENT_RULES }), { time: CAL });
    const warned = after({ ...s0, status: 'deciding' }, TICK, SYSTEM, sh('2027-01-29T08:00'), CAL);
    expect(warned.alert).toBe('yellow');
    const outcome = when(warned, applyCmd(), SYSTEM, sh('2027-01-29T09:00'), CAL);
    expect(one(outcome, 'deadlines_recomputed').alerts).toMatchObject({ case: 'none', caseWarned: false });
    const s = stateOf(outcome);
    expect(s.deadline).toBe(sh('2027-02-04')); // 1 January is a rest day: one working day more
    expect(s.alert).toBe('none');
    expect(nextTimer(s, WITH_2027)).toEqual({ at: sh('2027-02-01'), kind: 'case_warn' });
  });

  it('what already fell due stands: an overdue department is not moved, a correction of days gone moves nothing', () => {
    const s = after(runningCase(), TICK, SYSTEM, sh('2026-12-09'), CAL); // departments overdue
    const data = one(when(s, applyCmd(), SYSTEM, sh('2026-12-10T09:00'), CAL), 'deadlines_recomputed');
    expect(data.deadlines.map((x) => x.kind)).toEqual(['case', 'statutory']);
  });

  it('a correction naming a past day a rest day moves the deadlines still ahead, never to before today', () => {
    const y2026 = OFFICIAL_CALENDAR_YEARS['2026']!;
    const corrected = buildCalendar({
      ...OFFICIAL_CALENDAR_YEARS,
      '2026': { ...y2026, holidays: [...y2026.holidays, '2026-12-03'] },
    });
    const data = one(when(runningCase(), applyCmd(corrected), SYSTEM, TODAY, CAL), 'deadlines_recomputed');
    expect(data.years).toEqual(['2026']);
    // the limits never counted 3 December: each ends one working day later
    expect(data.deadlines.find((x) => x.kind === 'case')).toMatchObject({
      before: sh('2027-01-13'),
      after: sh('2027-01-14'),
    });
    expect(data.deadlines.find((x) => x.dept === 'PLAN')).toMatchObject({
      before: sh('2026-12-09'),
      after: sh('2026-12-10'),
    });
    // Removing rest days can bring a deadline forward, but never to before the end of today.
    const onlyWeekends = buildCalendar({ ...OFFICIAL_CALENDAR_YEARS, '2026': { holidays: [], workdays: [] } });
    const october = given(acceptedCase(sh('2026-09-30T10:00'), { matter: M, time: CAL }), { time: CAL });
    const forward = one(
      when(october, applyCmd(onlyWeekends), SYSTEM, sh('2026-10-09T09:00'), CAL),
      'deadlines_recomputed',
    );
    expect(forward.deadlines.find((x) => x.dept === 'PLAN')).toMatchObject({
      before: sh('2026-10-14'),
      after: sh('2026-10-10'),
    });
  });

  it('a case whose deadlines do not reach the year adopts the calendar without moving anything', () => {
    const s = given(acceptedCase(sh('2026-10-12T10:00'), { matter: matter({ statutoryLimitDays: 20 }), time: CAL }), {
      time: CAL,
    });
    const outcome = when(s, applyCmd(), SYSTEM, sh('2026-10-13T10:00'), CAL);
    expect(types(outcome)).toEqual(['calendar_adopted']);
    expect(stateOf(outcome).deadline).toBe(s.deadline);
    expect(stateOf(outcome).time).toEqual({ kind: 'calendar', version: PUBLISHED.version });
  });

  it('the same calendar again changes nothing; only the system applies a calendar', () => {
    const s = after(runningCase(), applyCmd(), SYSTEM, TODAY, CAL);
    expect(when(s, applyCmd(), SYSTEM, TODAY, WITH_2027).events).toEqual([]);
    refused(when(runningCase(), applyCmd(), ADMIN, TODAY, CAL), 403, 'forbidden_role');
  });

  it('the demo clock has no calendar to adopt', () => {
    const s = given(acceptedCase());
    expect(when(s, applyCmd(), SYSTEM, TODAY).events).toEqual([]);
  });
});
