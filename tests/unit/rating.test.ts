import { describe, expect, it } from 'vitest';
import type { CaseCommand } from '../../domain/commands';
import { nextTimer } from '../../domain/timers';
import type { Actor } from '../../domain/types';
import {
  DEMO,
  LEAD,
  SUPERVISOR,
  SYSTEM,
  TICK,
  after,
  dayStart,
  decideCmd,
  decidingCase,
  day,
  dept,
  given,
  one,
  refused,
  stateOf,
  types,
  when,
} from './support/given';

const APPLICANT_ACTOR: Actor = { sub: 'applicant', role: 'applicant' };
const PLAN = dept(LEAD);
const rate = (level: number, extra: Partial<Extract<CaseCommand, { type: 'rate' }>> = {}): CaseCommand => ({
  type: 'rate',
  level,
  remediationDays: 5,
  ...extra,
});
const completed = () => after(given(decidingCase()), decideCmd('approve'), PLAN, day(3));
const remediate: CaseCommand = {
  type: 'record_remediation',
  action: '已整改',
  contactedApplicant: true,
  note: '已回访',
};

describe('好差评: the applicant rates an ended case once', () => {
  it('a good rating is recorded with its dimensions and comment, and opens nothing', () => {
    const outcome = when(
      completed(),
      rate(5, { dimensions: { 服务态度: 5 }, comment: '很好' }),
      APPLICANT_ACTOR,
      day(4),
    );
    expect(types(outcome)).toEqual(['rated']);
    expect(stateOf(outcome).rating).toEqual({ level: 5, dimensions: { 服务态度: 5 }, comment: '很好', at: day(4) });
  });

  it('only once the case has ended, only once, only by the applicant, levels 1..5', () => {
    refused(when(given(decidingCase()), rate(4), APPLICANT_ACTOR, day(3)), 409, 'case_not_ended');
    refused(
      when(after(completed(), rate(4), APPLICANT_ACTOR, day(4)), rate(4), APPLICANT_ACTOR, day(5)),
      409,
      'already_rated',
    );
    refused(when(completed(), rate(4), SUPERVISOR, day(4)), 403, 'forbidden_role');
    refused(when(completed(), rate(4, { dimensions: { 效率: 7 } }), APPLICANT_ACTOR, day(4)), 422, 'invalid_rating');
  });

  it('a 2 or 1 opens a remediation for the lead, due in REMEDIATION_DAYS working days', () => {
    const outcome = when(completed(), rate(2), APPLICANT_ACTOR, day(4));
    expect(one(outcome, 'remediation_opened')).toEqual({ dept: LEAD, level: 2, dueAt: dayStart(10) });
    expect(nextTimer(stateOf(outcome), DEMO)).toEqual({ at: dayStart(10), kind: 'remediation_overdue' });
    expect(types(when(completed(), rate(3), APPLICANT_ACTOR, day(4)))).toEqual(['rated']);
  });

  it('the responsible department records what it did and the follow-up; on time or not', () => {
    const bad = after(completed(), rate(1), APPLICANT_ACTOR, day(4));
    refused(when(bad, remediate, dept('FIRE'), day(5)), 403, 'not_responsible_department');
    const done = when(bad, remediate, PLAN, day(5));
    expect(one(done, 'remediation_recorded')).toEqual({
      action: '已整改',
      contactedApplicant: true,
      note: '已回访',
      onTime: true,
    });
    expect(nextTimer(stateOf(done), DEMO)).toBeUndefined();
    refused(when(stateOf(done), remediate, PLAN, day(6)), 409, 'no_open_remediation');
  });

  it('late → escalated at the limit and every working day after; a supervisor may reassign it', () => {
    const bad = after(completed(), rate(1), APPLICANT_ACTOR, day(4));
    const late = when(bad, TICK, SYSTEM, dayStart(10));
    expect(one(late, 'escalated')).toMatchObject({ scope: 'remediation', depts: [LEAD] });
    expect(nextTimer(stateOf(late), DEMO)).toEqual({ at: dayStart(11), kind: 'remediation_escalate' });
    const moved = after(stateOf(late), { type: 'reassign_remediation', dept: 'FIRE' }, SUPERVISOR, day(11));
    expect(moved.remediation?.dept).toBe('FIRE');
    expect(one(when(moved, remediate, dept('FIRE'), day(11)), 'remediation_recorded').onTime).toBe(false);
    refused(when(bad, { type: 'reassign_remediation', dept: 'FIRE' }, PLAN, day(5)), 403, 'forbidden_role');
  });
});
