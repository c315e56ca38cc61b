import { describe, it, expect } from 'vitest';
import type { CaseCommand } from '../../domain/commands';
import { latenessAtDecision } from '../../domain/lateness';
import {
  ALL_MATERIALS,
  APPROVE,
  CAL,
  LEAD,
  SUPERVISOR,
  WINDOW,
  after,
  decideCmd,
  dept,
  matter,
  one,
  opinionCmd,
  play,
  reject,
  sh,
  stateOf,
  submitCmd,
  supplement,
  when,
} from './support/given';

const PLAN = dept(LEAD);
const FIRE = dept('FIRE');
const ENV = dept('ENV');

/**
 * Real calendar, the domain.md example: accepted Thu 2026-09-24 with a promised limit of 6 working
 * days → ends with Sat 2026-10-10 (make-up day). 09-25..27 Mid-Autumn, 10-01..07 National Day.
 */
const M = matter({ timeLimitDays: 6, statutoryLimitDays: 8, deptReviewDays: 3 });
const ACCEPTED = sh('2026-09-24T10:30');
const reviewed = (opinions: { PLAN?: typeof APPROVE; FIRE?: typeof APPROVE } = {}) =>
  play(
    undefined,
    [
      [submitCmd(ALL_MATERIALS, M), WINDOW, ACCEPTED],
      [opinionCmd(opinions.PLAN ?? APPROVE), PLAN, sh('2026-09-28T10:00')],
      [opinionCmd(opinions.FIRE ?? APPROVE), FIRE, sh('2026-09-28T10:00')],
      [opinionCmd(APPROVE), ENV, sh('2026-09-28T10:00')],
    ],
    CAL,
  );

describe('completion (办结): on time or late by how many working days', () => {
  it('the example deadline', () => {
    const s = reviewed();
    expect(s.deadline).toBe(sh('2026-10-11'));
    // statutory 8: ... 10-10 (6), 10-12 (7), 10-13 (8)
    expect(s.statutoryDeadline).toBe(sh('2026-10-14'));
  });

  it('decided on the last day (a Saturday make-up day) → on time, lateWorkingDays 0', () => {
    const outcome = when(reviewed(), decideCmd('approve'), PLAN, sh('2026-10-10T17:00'), CAL);
    expect(one(outcome, 'completed')).toMatchObject({ onTime: true, lateWorkingDays: 0, statutoryLateWorkingDays: 0 });
    expect(stateOf(outcome).lateWorkingDays).toBe(0);
  });

  it('decided on the Sunday after → still 0: no working day in (deadline day, decision day]', () => {
    expect(one(when(reviewed(), decideCmd('approve'), PLAN, sh('2026-10-11T10:00'), CAL), 'completed')).toMatchObject({
      onTime: true,
      lateWorkingDays: 0,
    });
  });

  it('decided Tue 2026-10-13 → late by 2 working days (10-12, 10-13); the statutory limit (10-13) is still met', () => {
    const outcome = when(reviewed(), decideCmd('approve'), PLAN, sh('2026-10-13T10:00'), CAL);
    expect(one(outcome, 'completed')).toMatchObject({ onTime: false, lateWorkingDays: 2, statutoryLateWorkingDays: 0 });
    expect(stateOf(outcome)).toMatchObject({ lateWorkingDays: 2, statutoryLateWorkingDays: 0 });
  });

  it('decided Thu 2026-10-15 → late by 4 against the promised limit, 2 against the statutory one', () => {
    expect(one(when(reviewed(), decideCmd('approve'), PLAN, sh('2026-10-15T10:00'), CAL), 'completed')).toMatchObject({
      lateWorkingDays: 4,
      statutoryLateWorkingDays: 2,
    });
  });

  it('working days used = working days in (acceptance day, decision day]', () => {
    // (09-24, 10-13]: 09-28, 09-29, 09-30, 10-08, 10-09, 10-10, 10-12, 10-13
    expect(
      one(when(reviewed(), decideCmd('approve'), PLAN, sh('2026-10-13T10:00'), CAL), 'completed').usedWorkingDays,
    ).toBe(8);
  });

  it('suspended days are not counted in usedWorkingDays and move the deadline', () => {
    const s = play(
      undefined,
      [
        [submitCmd(ALL_MATERIALS, M), WINDOW, ACCEPTED],
        [opinionCmd(supplement('X')), FIRE, sh('2026-09-28T10:00')],
        [opinionCmd(APPROVE), PLAN, sh('2026-09-28T10:00')],
        [opinionCmd(APPROVE), ENV, sh('2026-09-28T11:00')],
        // suspended Mon 09-28 → resumed Wed 09-30: (28, 30] = 2 working days
        [{ type: 'register_supplement', materials: ['X'] }, WINDOW, sh('2026-09-30T09:00')],
        [opinionCmd(APPROVE), FIRE, sh('2026-10-09T09:00')],
      ],
      CAL,
    );
    expect(s.suspensions).toEqual([expect.objectContaining({ kind: 'supplement', workingDays: 2 })]);
    expect(s.deadline).toBe(sh('2026-10-14')); // 10-10 + 2 → 10-12, 10-13
    const outcome = when(s, decideCmd('approve'), PLAN, sh('2026-10-13T10:00'), CAL);
    expect(one(outcome, 'completed')).toMatchObject({ onTime: true, lateWorkingDays: 0, usedWorkingDays: 6 });
  });

  it("payment time is the applicant's: lateness and days used are measured at the decision", () => {
    const s = reviewed({ FIRE: { ...APPROVE, fees: [{ item: 'fire_check', amountCents: 10_000 }] } });
    const awaiting = after(s, decideCmd('approve'), PLAN, sh('2026-10-10T10:00'), CAL);
    const pay: CaseCommand = { type: 'confirm_payment', paymentRef: 'P1', amountCents: 10_000 };
    const outcome = when(awaiting, pay, WINDOW, sh('2026-10-19T10:00'), CAL);
    expect(one(outcome, 'completed')).toMatchObject({ onTime: true, lateWorkingDays: 0, usedWorkingDays: 6 });
  });

  it("a confirmed rejection records its lateness at the lead's decision, not at the review", () => {
    const s = reviewed({ FIRE: reject() });
    const filed = after(s, decideCmd('reject', { reason: 'r' }), PLAN, sh('2026-10-12T10:00'), CAL);
    const outcome = when(
      filed,
      { type: 'review_negative_filing', outcome: 'confirm', note: 'n' },
      SUPERVISOR,
      sh('2026-10-15T10:00'),
      CAL,
    );
    expect(one(outcome, 'negative_filing_reviewed')).toMatchObject({ lateWorkingDays: 1, statutoryLateWorkingDays: 0 });
    expect(stateOf(outcome)).toMatchObject({ status: 'rejected', lateWorkingDays: 1 });
  });

  it('latenessAtDecision agrees with the completed event', () => {
    const outcome = when(reviewed(), decideCmd('approve'), PLAN, sh('2026-10-13T10:00'), CAL);
    expect(latenessAtDecision(stateOf(outcome), CAL)).toEqual({ late: 2, statutoryLate: 0, used: 8 });
  });
});
