import { describe, it, expect } from 'vitest';
import type { CaseCommand } from '../../domain/commands';
import { armedTimers } from '../../domain/timers';
import type { Actor, CaseState } from '../../domain/types';
import {
  ADMIN,
  ALL_MATERIALS,
  APPROVE,
  CAL,
  DAY,
  DEMO,
  LEAD,
  MATTER,
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
  stateOf,
  submitCmd,
  submittedEvent,
  succeeded,
  supplement,
  types,
  when,
  withConditions,
  sh,
} from './support/given';

const FIRE = dept('FIRE');
const ENV = dept('ENV');
const PLAN = dept(LEAD);

// ====================================================================================== helper

describe('the given helper', () => {
  it('builds the same state from event bodies as decide does from the submit command', () => {
    const fromEvents = given(acceptedCase(day(0)));
    const fromCommand = after(undefined, submitCmd(ALL_MATERIALS), WINDOW, day(0));
    expect(fromEvents).toEqual(fromCommand);
    expect(fromEvents.seq).toBe(5);
  });

  it('refuses a command on a case that does not exist with 404 case_not_found', () => {
    refused(when(undefined, { type: 'withdraw', reason: 'x' }, WINDOW, day(0)), 404, 'case_not_found');
  });
});

// ================================================================================= acceptance

describe('acceptance (一口受理, 一次性告知)', () => {
  it('given a complete application, when the window submits it, then it is accepted at once and copied to the lead and every co department with due dates', () => {
    const outcome = when(undefined, submitCmd(['A', 'B', 'C']), WINDOW, day(0));

    expect(types(outcome)).toEqual([
      'submitted',
      'accepted',
      'copied_to_department',
      'copied_to_department',
      'copied_to_department',
    ]);
    expect(one(outcome, 'accepted')).toEqual({
      deadline: dayStart(11),
      statutoryDeadline: dayStart(46),
      calendar: DEMO,
    });
    expect(all(outcome, 'copied_to_department')).toEqual([
      { dept: 'PLAN', role: 'lead', round: 1, dueAt: dayStart(6) },
      { dept: 'FIRE', role: 'co', round: 1, dueAt: dayStart(6) },
      { dept: 'ENV', role: 'co', round: 1, dueAt: dayStart(6) },
    ]);
    const s = stateOf(outcome);
    expect(s.status).toBe('in_review');
    expect(s.acceptedAt).toBe(day(0));
    expect(s.deadline).toBe(dayStart(11));
    expect(s.departments.map((t) => [t.dept, t.status, t.assignedAt])).toEqual([
      ['PLAN', 'pending', day(0)],
      ['FIRE', 'pending', day(0)],
      ['ENV', 'pending', day(0)],
    ]);
  });

  it('copies the lead once even when the catalog also lists it as a co department', () => {
    const m = matter({ coDepts: ['FIRE', 'PLAN'] });
    const outcome = when(undefined, submitCmd(ALL_MATERIALS, m), WINDOW, day(0));
    expect(all(outcome, 'copied_to_department').map((c) => [c.dept, c.role])).toEqual([
      ['PLAN', 'lead'],
      ['FIRE', 'co'],
    ]);
  });

  it('accepts at once when the matter requires no material', () => {
    const outcome = when(undefined, submitCmd([], matter({ requiredMaterials: [] })), WINDOW, day(0));
    expect(types(outcome)).toContain('accepted');
    expect(stateOf(outcome).status).toBe('in_review');
  });

  it('given an incomplete application, when submitted, then one notice lists every missing material and the clock does not start', () => {
    const outcome = when(undefined, submitCmd(['B']), WINDOW, day(0));

    expect(types(outcome)).toEqual(['submitted', 'materials_notice_issued']);
    expect(one(outcome, 'materials_notice_issued').missing).toEqual([
      { code: 'A', name: '申请表' },
      { code: 'C', name: '土地证明' },
    ]);
    const s = stateOf(outcome);
    expect(s.status).toBe('awaiting_materials');
    expect(s.deadline).toBeUndefined();
    expect(s.departments).toEqual([]);
    expect(armedTimers(s, DEMO)).toEqual([]);
  });

  it('refuses a material the matter does not require with 422 unknown_material', () => {
    const outcome = when(undefined, submitCmd(['A', 'Z']), WINDOW, day(0));
    refused(outcome, 422, 'unknown_material');
    expect(outcome.state).toBeUndefined();
  });

  it('given an existing case, when the same case is submitted again, then nothing happens', () => {
    const s = given(acceptedCase());
    const outcome = when(s, submitCmd(ALL_MATERIALS), WINDOW, day(1));
    expect(outcome.error).toBeUndefined();
    expect(outcome.events).toEqual([]);
    expect(outcome.state).toBe(s);
  });

  describe('registering materials', () => {
    const awaiting = () =>
      given([
        submittedEvent(day(0), { materials: ['A'] }),
        { type: 'materials_notice_issued', data: { missing: MATTER.requiredMaterials.slice(1) }, at: day(0) },
      ]);

    it('re-checks: still incomplete → the rest is listed and the case keeps waiting', () => {
      const outcome = when(awaiting(), { type: 'register_materials', materials: ['B'] }, WINDOW, day(2));
      expect(types(outcome)).toEqual(['materials_supplemented']);
      expect(one(outcome, 'materials_supplemented')).toEqual({
        materials: ['B'],
        missing: [{ code: 'C', name: '土地证明' }],
      });
      expect(stateOf(outcome).status).toBe('awaiting_materials');
      expect(stateOf(outcome).missingMaterials).toEqual([{ code: 'C', name: '土地证明' }]);
    });

    it('re-checks: complete → accepted; the clocks start at the registration', () => {
      const s = after(awaiting(), { type: 'register_materials', materials: ['B'] }, WINDOW, day(2));
      const outcome = when(s, { type: 'register_materials', materials: ['C'] }, WINDOW, day(3));
      expect(types(outcome)).toEqual([
        'materials_supplemented',
        'accepted',
        'copied_to_department',
        'copied_to_department',
        'copied_to_department',
      ]);
      expect(one(outcome, 'accepted').deadline).toBe(dayStart(14));
      expect(all(outcome, 'copied_to_department').every((c) => c.dueAt === dayStart(9))).toBe(true);
      expect(stateOf(outcome).status).toBe('in_review');
      expect(stateOf(outcome).acceptedAt).toBe(day(3));
      expect(stateOf(outcome).missingMaterials).toEqual([]);
    });

    it('refuses an unknown material with 422 unknown_material', () => {
      refused(
        when(awaiting(), { type: 'register_materials', materials: ['C', 'Z'] }, WINDOW, day(2)),
        422,
        'unknown_material',
      );
    });

    it('refuses anyone but the window with 403', () => {
      refused(
        when(awaiting(), { type: 'register_materials', materials: ['B', 'C'] }, FIRE, day(2)),
        403,
        'forbidden_role',
      );
    });

    it('refuses after acceptance with 409 not_awaiting_materials', () => {
      refused(
        when(given(acceptedCase()), { type: 'register_materials', materials: ['A'] }, WINDOW, day(2)),
        409,
        'not_awaiting_materials',
      );
    });
  });

  describe('refusing (不予受理)', () => {
    const awaiting = () =>
      given([
        submittedEvent(day(0), { materials: ['A'] }),
        { type: 'materials_notice_issued', data: { missing: MATTER.requiredMaterials.slice(1) }, at: day(0) },
      ]);

    it('is possible before acceptance, with a reason', () => {
      const outcome = when(awaiting(), { type: 'refuse', reason: '不属于本中心受理范围' }, WINDOW, day(1));
      expect(outcome.events).toEqual([{ type: 'refused', data: { reason: '不属于本中心受理范围' } }]);
      expect(stateOf(outcome).status).toBe('refused');
      expect(stateOf(outcome).refusal).toEqual({ reason: '不属于本中心受理范围', at: day(1) });
    });

    it('is refused after acceptance with 409 case_already_accepted', () => {
      refused(
        when(given(acceptedCase()), { type: 'refuse', reason: 'x' }, WINDOW, day(1)),
        409,
        'case_already_accepted',
      );
    });

    it('is for the window only (403)', () => {
      refused(when(awaiting(), { type: 'refuse', reason: 'x' }, SUPERVISOR, day(1)), 403, 'forbidden_role');
    });
  });
});

// ===================================================================================== review

describe('synchronous review (同步审查)', () => {
  const inReview = () => given(acceptedCase());

  it('records an approval; the round is not settled while others are pending', () => {
    const outcome = when(inReview(), opinionCmd(APPROVE), FIRE, day(1));
    expect(outcome.events).toEqual([{ type: 'opinion_given', data: { dept: 'FIRE', round: 1, opinion: APPROVE } }]);
    const task = stateOf(outcome).departments.find((t) => t.dept === 'FIRE')!;
    expect(task).toMatchObject({ status: 'given', givenAt: day(1), givenBy: 'u-fire', opinion: APPROVE });
    expect(stateOf(outcome).status).toBe('in_review');
  });

  it('the lead reviews like any department', () => {
    expect(types(when(inReview(), opinionCmd(APPROVE), PLAN, day(1)))).toEqual(['opinion_given']);
  });

  it('any staff member of the department may act; the person is recorded', () => {
    const outcome = when(inReview(), opinionCmd(APPROVE), dept('FIRE', 'fire-backup'), day(1));
    expect(stateOf(outcome).departments.find((t) => t.dept === 'FIRE')!.givenBy).toBe('fire-backup');
    expect(outcome.envelopes[0]!.actor).toEqual(dept('FIRE', 'fire-backup'));
  });

  it('approve_with_conditions records its conditions', () => {
    const outcome = when(inReview(), opinionCmd(withConditions('设置消防通道')), FIRE, day(1));
    expect(one(outcome, 'opinion_given').opinion.conditions).toEqual(['设置消防通道']);
  });

  it('approve_with_conditions without a condition is refused with 422 conditions_required', () => {
    refused(
      when(inReview(), opinionCmd({ verdict: 'approve_with_conditions' }), FIRE, day(1)),
      422,
      'conditions_required',
    );
    refused(
      when(inReview(), opinionCmd({ verdict: 'approve_with_conditions', conditions: ['  '] }), FIRE, day(1)),
      422,
      'conditions_required',
    );
  });

  it('reject records its reason and legal basis', () => {
    const outcome = when(
      inReview(),
      opinionCmd({ verdict: 'reject', comment: '不符合消防规范 GB 50016' }),
      FIRE,
      day(1),
    );
    expect(one(outcome, 'opinion_given').opinion).toEqual({ verdict: 'reject', comment: '不符合消防规范 GB 50016' });
  });

  it('reject without a reason is refused with 422 reason_required', () => {
    refused(when(inReview(), opinionCmd({ verdict: 'reject' }), FIRE, day(1)), 422, 'reason_required');
    refused(when(inReview(), opinionCmd({ verdict: 'reject', comment: ' ' }), FIRE, day(1)), 422, 'reason_required');
  });

  it('request_supplement without materials is refused with 422 materials_required', () => {
    refused(when(inReview(), opinionCmd({ verdict: 'request_supplement' }), FIRE, day(1)), 422, 'materials_required');
    refused(
      when(inReview(), opinionCmd({ verdict: 'request_supplement', materials: [] }), FIRE, day(1)),
      422,
      'materials_required',
    );
  });

  it('one opinion per department per round: a second one is refused with 409 opinion_already_given', () => {
    const s = after(inReview(), opinionCmd(APPROVE), FIRE, day(1));
    refused(when(s, opinionCmd(reject()), FIRE, day(2)), 409, 'opinion_already_given');
    refused(when(s, opinionCmd(APPROVE), dept('FIRE', 'another-fire-officer'), day(2)), 409, 'opinion_already_given');
  });

  it('a department that does not review the case is refused with 403 not_reviewing_department', () => {
    refused(when(inReview(), opinionCmd(APPROVE), dept('TAX'), day(1)), 403, 'not_reviewing_department');
  });

  it('only a department user gives opinions (403 not_reviewing_department)', () => {
    refused(
      when(inReview(), opinionCmd(APPROVE), { ...WINDOW, dept: 'FIRE' }, day(1)),
      403,
      'not_reviewing_department',
    );
    refused(when(inReview(), opinionCmd(APPROVE), SUPERVISOR, day(1)), 403, 'not_reviewing_department');
  });

  it('a case that is not in review is refused with 409 case_not_in_review (opinion_already_given for one that answered)', () => {
    refused(when(given(decidingCase()), opinionCmd(APPROVE), FIRE, day(3)), 409, 'opinion_already_given');
    refused(
      when(
        given([...acceptedCase(), { type: 'withdrawn', data: { reason: 'r' }, at: day(1) }]),
        opinionCmd(APPROVE),
        FIRE,
        day(2),
      ),
      409,
      'case_not_in_review',
    );
    const awaiting = given([submittedEvent(day(0), { materials: ['A'] })]);
    refused(when(awaiting, opinionCmd(APPROVE), FIRE, day(1)), 409, 'case_not_in_review');
  });

  describe('fees (统一收费, no 搭车收费)', () => {
    it('a published item within its maximum is recorded with the opinion', () => {
      const opinion = { ...APPROVE, fees: [{ item: 'fire_check', amountCents: 50_000 }] };
      expect(one(when(inReview(), opinionCmd(opinion), FIRE, day(1)), 'opinion_given').opinion.fees).toEqual([
        { item: 'fire_check', amountCents: 50_000 },
      ]);
    });

    it('an item not published in the catalog is refused with 422 unknown_fee_item', () => {
      refused(
        when(inReview(), opinionCmd({ ...APPROVE, fees: [{ item: '咨询费', amountCents: 100 }] }), FIRE, day(1)),
        422,
        'unknown_fee_item',
      );
    });

    it("another department's item is refused with 422 unknown_fee_item", () => {
      refused(
        when(inReview(), opinionCmd({ ...APPROVE, fees: [{ item: 'plan_fee', amountCents: 100 }] }), FIRE, day(1)),
        422,
        'unknown_fee_item',
      );
    });

    it('an amount above the standard is refused with 422 fee_above_standard', () => {
      refused(
        when(inReview(), opinionCmd({ ...APPROVE, fees: [{ item: 'fire_check', amountCents: 50_001 }] }), FIRE, day(1)),
        422,
        'fee_above_standard',
      );
    });

    it('the same item twice is refused with 422 duplicate_fee_item', () => {
      const fees = [
        { item: 'plan_fee', amountCents: 100 },
        { item: 'plan_fee', amountCents: 200 },
      ];
      refused(when(inReview(), opinionCmd({ ...APPROVE, fees }), PLAN, day(1)), 422, 'duplicate_fee_item');
    });
  });

  it('given all but one department answered, when the last answers, then the review is completed and the case goes to deciding', () => {
    const s = given([
      ...acceptedCase(),
      opinionGiven('PLAN', APPROVE, day(1)),
      opinionGiven('FIRE', withConditions('c'), day(2)),
    ]);
    const outcome = when(s, opinionCmd(reject()), ENV, day(3));
    expect(types(outcome)).toEqual(['opinion_given', 'review_completed']);
    expect(one(outcome, 'review_completed')).toEqual({ round: 1 });
    expect(stateOf(outcome).status).toBe('deciding');
  });
});

// ========================================================================== supplement round

describe('supplement during review (补正)', () => {
  /** FIRE asks for X on day 1, ENV for Y and X on day 2; PLAN has not answered yet. */
  const twoAsked = () =>
    given([
      ...acceptedCase(),
      opinionGiven('FIRE', supplement('X'), day(1)),
      opinionGiven('ENV', supplement('Y', 'X'), day(2)),
    ]);

  it('a request alone issues no notice while another department of the round is still pending', () => {
    const outcome = when(given(acceptedCase()), opinionCmd(supplement('X')), FIRE, day(1));
    expect(types(outcome)).toEqual(['opinion_given']);
    expect(stateOf(outcome).status).toBe('in_review');
  });

  it('given several departments asked, when the last department answers, then ONE notice with all materials is issued and the clock is suspended', () => {
    const outcome = when(twoAsked(), opinionCmd(APPROVE), PLAN, day(3));
    expect(types(outcome)).toEqual(['opinion_given', 'supplement_notice_issued', 'clock_suspended']);
    expect(one(outcome, 'supplement_notice_issued')).toEqual({
      requests: [
        { dept: 'FIRE', materials: [{ code: 'X', name: '材料X' }] },
        {
          dept: 'ENV',
          materials: [
            { code: 'Y', name: '材料Y' },
            { code: 'X', name: '材料X' },
          ],
        },
      ],
      materials: [
        { code: 'X', name: '材料X' },
        { code: 'Y', name: '材料Y' },
      ],
    });
    expect(one(outcome, 'clock_suspended')).toEqual({ kind: 'supplement', from: day(3) });
    const s = stateOf(outcome);
    expect(s.status).toBe('suspended');
    expect(s.suspension).toEqual({ kind: 'supplement', from: day(3) });
    expect(armedTimers(s, DEMO)).toEqual([]);
  });

  it('the notice also waits for, then ignores, a silent department once it has passed its limit (escalate_only)', () => {
    const m = matter({ silencePolicy: 'escalate_only' });
    const s = given([
      ...acceptedCase(day(0), { matter: m }),
      opinionGiven('FIRE', supplement('X'), day(1)),
      opinionGiven('PLAN', APPROVE, day(1)),
    ]);
    expect(types(when(s, TICK, SYSTEM, dayStart(6) - 1)).filter((t) => t.startsWith('supplement'))).toEqual([]);
    const outcome = when(s, TICK, SYSTEM, dayStart(6));
    expect(types(outcome)).toEqual(
      expect.arrayContaining(['department_overdue', 'escalated', 'supplement_notice_issued', 'clock_suspended']),
    );
    expect(one(outcome, 'supplement_notice_issued').requests).toEqual([
      { dept: 'FIRE', materials: [{ code: 'X', name: '材料X' }] },
    ]);
    expect(stateOf(outcome).departments.find((t) => t.dept === 'ENV')!.status).toBe('pending');
  });

  describe('registering the supplement', () => {
    const suspended = () => after(twoAsked(), opinionCmd(APPROVE), PLAN, day(3));

    it('partial → recorded, the clock stays suspended', () => {
      const outcome = when(suspended(), { type: 'register_supplement', materials: ['X'] }, WINDOW, day(5));
      expect(outcome.events).toEqual([
        { type: 'supplement_registered', data: { materials: ['X'], outstanding: ['Y'] } },
      ]);
      expect(stateOf(outcome).status).toBe('suspended');
      expect(stateOf(outcome).supplement!.received).toEqual(['X']);
    });

    it('complete → the clock resumes, the deadlines move by the working days in (S, R], the asking departments review again with a fresh limit; other opinions stand', () => {
      const s = after(suspended(), { type: 'register_supplement', materials: ['X'] }, WINDOW, day(5));
      const outcome = when(s, { type: 'register_supplement', materials: ['Y'] }, WINDOW, day(8));

      expect(types(outcome)).toEqual([
        'supplement_registered',
        'clock_resumed',
        'copied_to_department',
        'copied_to_department',
      ]);
      expect(one(outcome, 'clock_resumed')).toEqual({
        kind: 'supplement',
        from: day(3),
        to: day(8),
        workingDays: 5,
        deadline: dayStart(16),
        statutoryDeadline: dayStart(51),
        deptDueAt: {},
      });
      expect(all(outcome, 'copied_to_department')).toEqual([
        { dept: 'FIRE', role: 'co', round: 2, dueAt: dayStart(14) },
        { dept: 'ENV', role: 'co', round: 2, dueAt: dayStart(14) },
      ]);
      const r = stateOf(outcome);
      expect(r.status).toBe('in_review');
      expect(r.suspension).toBeUndefined();
      expect(r.supplement).toBeUndefined();
      expect(r.suspensions).toEqual([{ kind: 'supplement', from: day(3), to: day(8), workingDays: 5 }]);
      expect(r.departments.map((t) => [t.dept, t.round, t.status, t.opinion?.verdict])).toEqual([
        ['PLAN', 1, 'given', 'approve'],
        ['FIRE', 2, 'pending', undefined],
        ['ENV', 2, 'pending', undefined],
      ]);

      // the asking departments answer in their new round; the one that did not ask may not answer again
      refused(when(r, opinionCmd(APPROVE), PLAN, day(9)), 409, 'opinion_already_given');
      const r2 = after(r, opinionCmd(APPROVE), FIRE, day(9));
      const last = when(r2, opinionCmd(APPROVE), ENV, day(9));
      expect(last.events).toEqual([
        { type: 'opinion_given', data: { dept: 'ENV', round: 2, opinion: APPROVE } },
        { type: 'review_completed', data: { round: 2 } },
      ]);
    });

    it('a same-day supplement moves nothing', () => {
      const outcome = when(suspended(), { type: 'register_supplement', materials: ['X', 'Y'] }, WINDOW, day(3, 16));
      expect(one(outcome, 'clock_resumed')).toMatchObject({
        workingDays: 0,
        deadline: dayStart(11),
        statutoryDeadline: dayStart(46),
      });
    });

    it("moves a still-pending (overdue, escalate_only) department's due date too", () => {
      const m = matter({ silencePolicy: 'escalate_only' });
      const s0 = given([
        ...acceptedCase(day(0), { matter: m }),
        opinionGiven('FIRE', supplement('X'), day(1)),
        opinionGiven('PLAN', APPROVE, day(1)),
      ]);
      const s = after(s0, TICK, SYSTEM, dayStart(6));
      const outcome = when(s, { type: 'register_supplement', materials: ['X'] }, WINDOW, day(9));
      expect(one(outcome, 'clock_resumed')).toMatchObject({
        from: dayStart(6),
        workingDays: 3,
        deadline: dayStart(14),
        deptDueAt: { ENV: dayStart(9) },
      });
      expect(stateOf(outcome).departments.find((t) => t.dept === 'ENV')!.dueAt).toBe(dayStart(9));
    });

    it('counts the working days of the real calendar (make-up Sunday counted, weekend and holidays not)', () => {
      // accepted Mon 2026-09-14; 10 working days → ends with Mon 2026-09-28 (Sun 09-20 is a make-up day, 09-25..27 Mid-Autumn)
      const s0 = play(
        undefined,
        [
          [submitCmd(ALL_MATERIALS), WINDOW, sh('2026-09-14T10:00')],
          [opinionCmd(supplement('X')), FIRE, sh('2026-09-16T10:00')],
          [opinionCmd(APPROVE), ENV, sh('2026-09-17T10:00')],
          [opinionCmd(APPROVE), PLAN, sh('2026-09-18T10:00')],
        ],
        CAL,
      );
      expect(s0.deadline).toBe(sh('2026-09-29'));
      expect(s0.suspension).toEqual({ kind: 'supplement', from: sh('2026-09-18T10:00') });
      // resumed Tue 09-22: (Fri 18, Tue 22] = Sun 20 (make-up), Mon 21, Tue 22 = 3 working days
      const outcome = when(s0, { type: 'register_supplement', materials: ['X'] }, WINDOW, sh('2026-09-22T15:00'), CAL);
      // 2026-09-28 + 3 working days: 29, 30, (10-01..07 National Day), 10-08
      expect(one(outcome, 'clock_resumed')).toMatchObject({ workingDays: 3, deadline: sh('2026-10-09') });
      // FIRE's fresh 5 working days from 09-22: 23, 24, 28, 29, 30
      expect(one(outcome, 'copied_to_department')).toEqual({
        dept: 'FIRE',
        role: 'co',
        round: 2,
        dueAt: sh('2026-10-01'),
      });
    });

    it('a material the notice did not ask for is refused with 422 unknown_material', () => {
      refused(
        when(suspended(), { type: 'register_supplement', materials: ['X', 'A'] }, WINDOW, day(5)),
        422,
        'unknown_material',
      );
    });

    it('is for the window only (403)', () => {
      refused(
        when(suspended(), { type: 'register_supplement', materials: ['X', 'Y'] }, FIRE, day(5)),
        403,
        'forbidden_role',
      );
    });

    it('without a waiting supplement notice is refused with 409 not_awaiting_supplement', () => {
      refused(
        when(given(acceptedCase()), { type: 'register_supplement', materials: ['X'] }, WINDOW, day(5)),
        409,
        'not_awaiting_supplement',
      );
      const procedure = after(
        given(acceptedCase()),
        { type: 'start_special_procedure', kind: '听证', reason: 'r' },
        PLAN,
        day(1),
      );
      refused(
        when(procedure, { type: 'register_supplement', materials: ['X'] }, WINDOW, day(5)),
        409,
        'not_awaiting_supplement',
      );
    });

    it('while suspended no opinion can be given (409; opinion_already_given for a department that answered the round)', () => {
      refused(when(suspended(), opinionCmd(APPROVE), FIRE, day(4)), 409, 'opinion_already_given');
    });
  });
});

// ===================================================================== meetings and minutes

describe('joint inspection / review meeting (联合踏勘 / 联审会议)', () => {
  const convene: CaseCommand = {
    type: 'convene_meeting',
    kind: 'site_inspection',
    scheduledAt: '2026-03-05T09:00:00+08:00',
    departments: ['FIRE', 'ENV', 'FIRE'],
  };

  it('the lead convenes one with the departments it invites; the clock keeps running', () => {
    const outcome = when(given(acceptedCase()), convene, PLAN, day(1));
    expect(outcome.events).toEqual([
      {
        type: 'meeting_convened',
        data: {
          meetingId: 'M1',
          kind: 'site_inspection',
          scheduledAt: '2026-03-05T09:00:00+08:00',
          departments: ['FIRE', 'ENV'],
        },
      },
    ]);
    const s = stateOf(outcome);
    expect(s.status).toBe('in_review');
    expect(s.suspension).toBeUndefined();
    expect(s.meetings).toHaveLength(1);
    expect(
      one(when(s, { ...convene, kind: 'review_meeting' } as CaseCommand, PLAN, day(2)), 'meeting_convened').meetingId,
    ).toBe('M2');
  });

  it('only the lead may convene (403 not_lead_department)', () => {
    refused(when(given(acceptedCase()), convene, FIRE, day(1)), 403, 'not_lead_department');
    refused(when(given(acceptedCase()), convene, SUPERVISOR, day(1)), 403, 'not_lead_department');
  });

  it('inviting a department that does not review the case is refused with 422 unknown_department', () => {
    refused(
      when(given(acceptedCase()), { ...convene, departments: ['FIRE', 'TAX'] } as CaseCommand, PLAN, day(1)),
      422,
      'unknown_department',
    );
  });

  it('outside the review is refused with 409 case_not_in_review', () => {
    refused(when(given(decidingCase()), convene, PLAN, day(3)), 409, 'case_not_in_review');
  });

  describe('minutes', () => {
    const convened = () => after(given(acceptedCase()), convene, PLAN, day(1));
    const minutes: CaseCommand = {
      type: 'record_minutes',
      meetingId: 'M1',
      findings: [
        { dept: 'FIRE', text: '消防通道宽度不足' },
        { dept: 'ENV', text: '无异议' },
      ],
    };

    it("record each department's findings", () => {
      const outcome = when(convened(), minutes, PLAN, day(2));
      expect(outcome.events).toEqual([
        {
          type: 'minutes_recorded',
          data: {
            meetingId: 'M1',
            findings: [
              { dept: 'FIRE', text: '消防通道宽度不足' },
              { dept: 'ENV', text: '无异议' },
            ],
          },
        },
      ]);
      expect(stateOf(outcome).meetings[0]!.findings).toHaveLength(2);
    });

    it('twice is refused with 409 minutes_already_recorded', () => {
      refused(when(after(convened(), minutes, PLAN, day(2)), minutes, PLAN, day(3)), 409, 'minutes_already_recorded');
    });

    it('of an unknown meeting is refused with 404 meeting_not_found', () => {
      refused(when(convened(), { ...minutes, meetingId: 'M9' } as CaseCommand, PLAN, day(2)), 404, 'meeting_not_found');
    });

    it('with findings of a department not reviewing the case is refused with 422 unknown_department', () => {
      refused(
        when(convened(), { ...minutes, findings: [{ dept: 'TAX', text: 't' }] } as CaseCommand, PLAN, day(2)),
        422,
        'unknown_department',
      );
    });

    it('by anyone but the lead is refused with 403 not_lead_department', () => {
      refused(when(convened(), minutes, FIRE, day(2)), 403, 'not_lead_department');
    });
  });
});

// ======================================================================= special procedures

describe('special procedures (特别程序)', () => {
  const start: CaseCommand = { type: 'start_special_procedure', kind: '专家评审', reason: '技术复杂' };
  const started = () => after(given(acceptedCase()), start, PLAN, day(2));

  it('the lead starts one: recorded, and the clock is suspended', () => {
    const outcome = when(given(acceptedCase()), start, PLAN, day(2));
    expect(outcome.events).toEqual([
      { type: 'special_procedure_started', data: { procedureId: 'P1', kind: '专家评审', reason: '技术复杂' } },
      { type: 'clock_suspended', data: { kind: 'special_procedure', from: day(2) } },
    ]);
    expect(stateOf(outcome).status).toBe('suspended');
    expect(armedTimers(stateOf(outcome), DEMO)).toEqual([]);
  });

  it('ending it resumes the clock: the case deadlines and the pending departments move by the working days in (S, R]', () => {
    const outcome = when(
      started(),
      { type: 'end_special_procedure', procedureId: 'P1', outcome: '评审通过' },
      PLAN,
      day(6),
    );
    expect(types(outcome)).toEqual(['special_procedure_ended', 'clock_resumed']);
    expect(one(outcome, 'clock_resumed')).toEqual({
      kind: 'special_procedure',
      from: day(2),
      to: day(6),
      workingDays: 4,
      deadline: dayStart(15),
      statutoryDeadline: dayStart(50),
      deptDueAt: { PLAN: dayStart(10), FIRE: dayStart(10), ENV: dayStart(10) },
    });
    const s = stateOf(outcome);
    expect(s.status).toBe('in_review');
    expect(s.procedures[0]).toMatchObject({ endedAt: day(6), outcome: '评审通过' });
    expect(s.departments.map((t) => t.dueAt)).toEqual([dayStart(10), dayStart(10), dayStart(10)]);
  });

  it('only moves departments still pending', () => {
    const s = after(after(given(acceptedCase()), opinionCmd(APPROVE), FIRE, day(1)), start, PLAN, day(2));
    const outcome = when(s, { type: 'end_special_procedure', procedureId: 'P1', outcome: 'ok' }, PLAN, day(6));
    expect(one(outcome, 'clock_resumed').deptDueAt).toEqual({ PLAN: dayStart(10), ENV: dayStart(10) });
  });

  it('only the lead starts or ends one (403 not_lead_department)', () => {
    refused(when(given(acceptedCase()), start, FIRE, day(2)), 403, 'not_lead_department');
    refused(
      when(started(), { type: 'end_special_procedure', procedureId: 'P1', outcome: 'x' }, FIRE, day(3)),
      403,
      'not_lead_department',
    );
  });

  it('starts only during review (409 case_not_in_review)', () => {
    refused(when(started(), start, PLAN, day(3)), 409, 'case_not_in_review');
    refused(when(given(decidingCase()), start, PLAN, day(3)), 409, 'case_not_in_review');
  });

  it('ending an unknown procedure is refused with 404 procedure_not_found', () => {
    refused(
      when(started(), { type: 'end_special_procedure', procedureId: 'P7', outcome: 'x' }, PLAN, day(3)),
      404,
      'procedure_not_found',
    );
  });

  it('ending it twice is refused with 409 procedure_already_ended', () => {
    const s = after(started(), { type: 'end_special_procedure', procedureId: 'P1', outcome: 'x' }, PLAN, day(3));
    refused(
      when(s, { type: 'end_special_procedure', procedureId: 'P1', outcome: 'x' }, PLAN, day(4)),
      409,
      'procedure_already_ended',
    );
  });

  it('while it runs no opinion can be given (409 case_not_in_review)', () => {
    refused(when(started(), opinionCmd(APPROVE), FIRE, day(3)), 409, 'case_not_in_review');
  });
});

// ================================================================================== decision

describe('decision (汇总决定)', () => {
  it('while departments are pending is refused with 409 opinions_pending', () => {
    refused(when(given(acceptedCase()), decideCmd('approve'), PLAN, day(3)), 409, 'opinions_pending');
    const suspended = after(
      given(acceptedCase()),
      { type: 'start_special_procedure', kind: '听证', reason: 'r' },
      PLAN,
      day(1),
    );
    refused(when(suspended, decideCmd('approve'), PLAN, day(3)), 409, 'opinions_pending');
  });

  it('only the lead decides (403 not_lead_department)', () => {
    refused(when(given(decidingCase()), decideCmd('approve'), FIRE, day(3)), 403, 'not_lead_department');
    refused(when(given(decidingCase()), decideCmd('approve'), SUPERVISOR, day(3)), 403, 'not_lead_department');
  });

  it('a rejection needs its reason (422 reason_required)', () => {
    refused(when(given(decidingCase()), decideCmd('reject'), PLAN, day(3)), 422, 'reason_required');
    refused(when(given(decidingCase()), decideCmd('reject', { reason: '  ' }), PLAN, day(3)), 422, 'reason_required');
  });

  it('approving over a standing reject opinion without an overruleReason is refused with 422 rejecting_opinion_stands', () => {
    const s = given(decidingCase({ FIRE: reject() }));
    refused(when(s, decideCmd('approve'), PLAN, day(3)), 422, 'rejecting_opinion_stands');
    refused(when(s, decideCmd('approve', { overruleReason: ' ' }), PLAN, day(3)), 422, 'rejecting_opinion_stands');
  });

  it('approving over it with a written overruleReason records the overrule and the overruled departments', () => {
    const s = given(decidingCase({ FIRE: reject(), ENV: reject('环评未过') }));
    const outcome = when(
      s,
      decideCmd('approve', { overruleReason: '经集体研究，风险可控，由牵头部门负责' }),
      PLAN,
      day(3),
    );
    const decided = one(outcome, 'decided');
    expect(decided).toMatchObject({
      decision: 'approve',
      overruleReason: '经集体研究，风险可控，由牵头部门负责',
      overruled: ['FIRE', 'ENV'],
    });
    expect(stateOf(outcome).decision).toMatchObject({ overruled: ['FIRE', 'ENV'], by: 'u-plan', at: day(3) });
  });

  it('an overruleReason without any reject opinion is not recorded as an overrule', () => {
    const outcome = when(given(decidingCase()), decideCmd('approve', { overruleReason: 'x' }), PLAN, day(3));
    expect(one(outcome, 'decided')).toMatchObject({ overruled: [], overruleReason: undefined });
  });

  it('merges the conditions of all departments into the result', () => {
    const s = given(
      decidingCase({
        PLAN: withConditions('限高 24 米'),
        FIRE: withConditions('设置消防通道', '限高 24 米'),
        ENV: withConditions('夜间停工'),
      }),
    );
    const outcome = when(s, decideCmd('approve'), PLAN, day(3));
    expect(one(outcome, 'decided').conditions).toEqual(['限高 24 米', '设置消防通道', '夜间停工']);
  });

  it('with fees: the assessed items add up to one total and one payment notice, reminder at half and end of the payment window', () => {
    const s = given(
      decidingCase({
        PLAN: {
          ...APPROVE,
          fees: [
            { item: 'plan_fee', amountCents: 80_000 },
            { item: 'plan_map', amountCents: 5_000 },
          ],
        },
        FIRE: { ...APPROVE, fees: [{ item: 'fire_check', amountCents: 20_000 }] },
      }),
    );
    const outcome = when(s, decideCmd('approve'), PLAN, day(3));
    expect(types(outcome)).toEqual(['decided', 'payment_notice_issued']);
    expect(one(outcome, 'payment_notice_issued')).toEqual({
      items: [
        { dept: 'PLAN', item: 'plan_fee', amountCents: 80_000 },
        { dept: 'PLAN', item: 'plan_map', amountCents: 5_000 },
        { dept: 'FIRE', item: 'fire_check', amountCents: 20_000 },
      ],
      totalCents: 105_000,
      remindAt: day(3) + 5 * DAY,
      dueAt: day(3) + 10 * DAY,
    });
    expect(stateOf(outcome).status).toBe('awaiting_payment');
  });

  it('the payment window is counted in calendar days on the real calendar too', () => {
    const s = play(
      undefined,
      [
        [submitCmd(ALL_MATERIALS), WINDOW, sh('2026-09-21T10:00')],
        [opinionCmd({ ...APPROVE, fees: [{ item: 'plan_fee', amountCents: 100 }] }), PLAN, sh('2026-09-22T10:00')],
        [opinionCmd(APPROVE), FIRE, sh('2026-09-22T10:00')],
        [opinionCmd(APPROVE), ENV, sh('2026-09-22T10:00')],
      ],
      CAL,
    );
    const outcome = when(s, decideCmd('approve'), PLAN, sh('2026-09-28T10:00'), CAL);
    expect(one(outcome, 'payment_notice_issued')).toMatchObject({
      remindAt: sh('2026-10-03T10:00'),
      dueAt: sh('2026-10-08T10:00'),
    });
  });

  it('with a zero total: completed directly, with a result number', () => {
    const outcome = when(given(decidingCase()), decideCmd('approve', { reason: '符合条件' }), PLAN, day(3));
    expect(types(outcome)).toEqual(['decided', 'completed']);
    expect(one(outcome, 'completed')).toMatchObject({
      onTime: true,
      lateWorkingDays: 0,
      statutoryLateWorkingDays: 0,
      usedWorkingDays: 3,
    });
    const s = stateOf(outcome);
    expect(s.status).toBe('completed');
    expect(s.result).toEqual({ number: one(outcome, 'completed').resultNumber, issuedAt: day(3) });
    expect(s.result!.number).toMatch(/^XK\d+$/);
    expect(s.completedAt).toBe(day(3));
  });

  it('a decision counts deemed opinions (视为同意) as approvals', () => {
    const s = given([
      ...acceptedCase(),
      opinionGiven('PLAN', APPROVE, day(1)),
      opinionGiven('FIRE', APPROVE, day(1)),
      { type: 'department_overdue', data: { dept: 'ENV', round: 1, dueAt: dayStart(6) }, at: dayStart(6) },
      {
        type: 'opinion_deemed',
        data: { dept: 'ENV', round: 1, verdict: 'approve', note: '视为同意' },
        at: dayStart(6),
      },
      { type: 'review_completed', data: { round: 1 }, at: dayStart(6) },
    ]);
    expect(types(when(s, decideCmd('approve'), PLAN, day(6)))).toEqual(['decided', 'completed']);
  });

  it('deciding twice is refused with 409 case_not_deciding', () => {
    const s = given(decidingCase({ FIRE: { ...APPROVE, fees: [{ item: 'fire_check', amountCents: 1 }] } }));
    refused(
      when(after(s, decideCmd('approve'), PLAN, day(3)), decideCmd('approve'), PLAN, day(4)),
      409,
      'case_not_deciding',
    );
  });

  describe('negative filing (否定报备)', () => {
    const rejected = () =>
      after(
        given(decidingCase({ FIRE: reject() })),
        decideCmd('reject', { reason: '消防不合格', legalBasis: '行政许可法第三十八条' }),
        PLAN,
        day(3),
      );

    it('a rejection is filed for supervisor review, due within 3 working days', () => {
      const outcome = when(
        given(decidingCase({ FIRE: reject() })),
        decideCmd('reject', { reason: '消防不合格', legalBasis: '行政许可法第三十八条' }),
        PLAN,
        day(3),
      );
      expect(outcome.events).toEqual([
        {
          type: 'decided',
          data: {
            decision: 'reject',
            reason: '消防不合格',
            legalBasis: '行政许可法第三十八条',
            overruled: [],
            conditions: [],
            negativeReviewDueAt: dayStart(7),
          },
        },
      ]);
      const s = stateOf(outcome);
      expect(s.status).toBe('negative_review');
      expect(s.negativeReview).toEqual({ filedAt: day(3), dueAt: dayStart(7), overdue: false });
    });

    it('due in 3 working days of the real calendar', () => {
      // decided Thu 2026-09-24: 3 working days → (Fri 25 holiday) Mon 28, Tue 29, Wed 30
      const s = play(
        undefined,
        [
          [submitCmd(ALL_MATERIALS), WINDOW, sh('2026-09-21T10:00')],
          [opinionCmd(reject()), PLAN, sh('2026-09-22T10:00')],
          [opinionCmd(APPROVE), FIRE, sh('2026-09-22T10:00')],
          [opinionCmd(APPROVE), ENV, sh('2026-09-22T10:00')],
        ],
        CAL,
      );
      const outcome = when(s, decideCmd('reject', { reason: 'r' }), PLAN, sh('2026-09-24T16:00'), CAL);
      expect(one(outcome, 'decided').negativeReviewDueAt).toBe(sh('2026-10-01'));
    });

    it('confirm → the applicant gets the rejection', () => {
      const outcome = when(
        rejected(),
        { type: 'review_negative_filing', outcome: 'confirm', note: '理由充分' },
        SUPERVISOR,
        day(4),
      );
      expect(outcome.events).toEqual([
        {
          type: 'negative_filing_reviewed',
          data: { outcome: 'confirm', note: '理由充分', lateWorkingDays: 0, statutoryLateWorkingDays: 0 },
        },
      ]);
      const s = stateOf(outcome);
      expect(s.status).toBe('rejected');
      expect(s.completedAt).toBe(day(4));
      expect(s.negativeReview).toMatchObject({
        outcome: 'confirm',
        note: '理由充分',
        reviewedAt: day(4),
        reviewedBy: 's1',
      });
    });

    it('overturn → the case goes back to the lead to decide again', () => {
      const outcome = when(
        rejected(),
        { type: 'review_negative_filing', outcome: 'overturn', note: '依据不足，请重新研究' },
        SUPERVISOR,
        day(4),
      );
      expect(types(outcome)).toEqual(['negative_filing_reviewed']);
      const s = stateOf(outcome);
      expect(s.status).toBe('deciding');
      expect(s.decision).toBeUndefined();
      expect(s.negativeReview).toMatchObject({ outcome: 'overturn', note: '依据不足，请重新研究' });
      // the FIRE reject still stands: approving needs an overrule
      refused(when(s, decideCmd('approve'), PLAN, day(5)), 422, 'rejecting_opinion_stands');
      expect(types(when(s, decideCmd('approve', { overruleReason: '督查意见' }), PLAN, day(5)))).toEqual([
        'decided',
        'completed',
      ]);
    });

    it('is for supervisors only (403 forbidden_role)', () => {
      refused(
        when(rejected(), { type: 'review_negative_filing', outcome: 'confirm', note: 'n' }, PLAN, day(4)),
        403,
        'forbidden_role',
      );
      refused(
        when(rejected(), { type: 'review_negative_filing', outcome: 'confirm', note: 'n' }, ADMIN, day(4)),
        403,
        'forbidden_role',
      );
    });

    it('without a filed rejection is refused with 409 not_in_negative_review', () => {
      refused(
        when(
          given(decidingCase()),
          { type: 'review_negative_filing', outcome: 'confirm', note: 'n' },
          SUPERVISOR,
          day(4),
        ),
        409,
        'not_in_negative_review',
      );
    });

    it('while filed the lead cannot decide again (409 case_not_deciding)', () => {
      refused(when(rejected(), decideCmd('approve', { overruleReason: 'x' }), PLAN, day(4)), 409, 'case_not_deciding');
    });
  });
});

// ================================================================================== payment

describe('unified fee payment (统一收费)', () => {
  const awaitingPayment = () =>
    after(
      given(
        decidingCase({
          PLAN: {
            ...APPROVE,
            fees: [
              { item: 'plan_fee', amountCents: 80_000 },
              { item: 'plan_map', amountCents: 5_000 },
            ],
          },
          FIRE: { ...APPROVE, fees: [{ item: 'fire_check', amountCents: 20_000 }] },
        }),
      ),
      decideCmd('approve'),
      PLAN,
      day(3),
    );
  const pay = (paymentRef: string, amountCents = 105_000): CaseCommand => ({
    type: 'confirm_payment',
    paymentRef,
    amountCents,
  });

  it('one payment of exactly the total completes the case; the split per department is recorded', () => {
    const outcome = when(awaitingPayment(), pay('PAY-1'), WINDOW, day(6));
    expect(types(outcome)).toEqual(['payment_confirmed', 'completed']);
    expect(one(outcome, 'payment_confirmed')).toEqual({
      paymentRef: 'PAY-1',
      amountCents: 105_000,
      split: [
        { dept: 'PLAN', amountCents: 85_000 },
        { dept: 'FIRE', amountCents: 20_000 },
      ],
    });
    const s = stateOf(outcome);
    expect(s.status).toBe('completed');
    expect(s.fees).toMatchObject({
      paymentRef: 'PAY-1',
      paidAt: day(6),
      split: [
        { dept: 'PLAN', amountCents: 85_000 },
        { dept: 'FIRE', amountCents: 20_000 },
      ],
    });
  });

  it('another amount is refused with 409 amount_mismatch', () => {
    refused(when(awaitingPayment(), pay('PAY-1', 104_999), WINDOW, day(6)), 409, 'amount_mismatch');
    refused(when(awaitingPayment(), pay('PAY-1', 105_001), WINDOW, day(6)), 409, 'amount_mismatch');
  });

  it('the same paymentRef again is a no-op, even after completion', () => {
    const done = after(awaitingPayment(), pay('PAY-1'), WINDOW, day(6));
    const again = when(done, pay('PAY-1'), WINDOW, day(7));
    expect(again.error).toBeUndefined();
    expect(again.events).toEqual([]);
    expect(again.state).toBe(done);
  });

  it('another payment after completion is refused with 409 not_awaiting_payment', () => {
    const done = after(awaitingPayment(), pay('PAY-1'), WINDOW, day(6));
    refused(when(done, pay('PAY-2'), WINDOW, day(7)), 409, 'not_awaiting_payment');
  });

  it('before the payment notice is refused with 409 not_awaiting_payment', () => {
    refused(when(given(decidingCase()), pay('PAY-1', 0), WINDOW, day(3)), 409, 'not_awaiting_payment');
  });

  it('is for the window only (403)', () => {
    refused(when(awaitingPayment(), pay('PAY-1'), SUPERVISOR, day(6)), 403, 'forbidden_role');
  });

  it('waiting for payment is not counted: lateness is measured at the decision', () => {
    const outcome = when(awaitingPayment(), pay('PAY-1'), WINDOW, day(20));
    expect(one(outcome, 'completed')).toMatchObject({ onTime: true, lateWorkingDays: 0, usedWorkingDays: 3 });
  });
});

// ========================================================================= urge, extend, withdraw

describe('urge (督办)', () => {
  it('notifies the blocking departments and is recorded', () => {
    const s = after(given(acceptedCase()), opinionCmd(APPROVE), FIRE, day(1));
    const outcome = when(s, { type: 'urge', message: '请加快办理' }, SUPERVISOR, day(4));
    expect(outcome.events).toEqual([{ type: 'urged', data: { message: '请加快办理', depts: ['PLAN', 'ENV'] } }]);
    const r = stateOf(outcome);
    expect(r.urges).toEqual([{ message: '请加快办理', at: day(4), by: 's1', depts: ['PLAN', 'ENV'] }]);
    expect(r.departments.map((t) => [t.dept, t.urged])).toEqual([
      ['PLAN', 1],
      ['FIRE', 0],
      ['ENV', 1],
    ]);
  });

  it('while deciding, the lead is the blocking department', () => {
    expect(one(when(given(decidingCase()), { type: 'urge', message: 'm' }, SUPERVISOR, day(4)), 'urged').depts).toEqual(
      ['PLAN'],
    );
  });

  it('is for supervisors only (403)', () => {
    refused(when(given(acceptedCase()), { type: 'urge', message: 'm' }, PLAN, day(4)), 403, 'forbidden_role');
  });

  it('after the decision is refused with 409 case_already_decided', () => {
    const s = after(given(decidingCase({ FIRE: reject() })), decideCmd('reject', { reason: 'r' }), PLAN, day(3));
    refused(when(s, { type: 'urge', message: 'm' }, SUPERVISOR, day(4)), 409, 'case_already_decided');
  });
});

describe('extension (延期)', () => {
  const extend = (workingDays: number): CaseCommand => ({ type: 'extend', workingDays, reason: '情况复杂' });

  it('moves both deadlines by N working days and is recorded', () => {
    const outcome = when(given(acceptedCase()), extend(5), SUPERVISOR, day(2));
    expect(outcome.events).toEqual([
      {
        type: 'extension_granted',
        data: {
          workingDays: 5,
          reason: '情况复杂',
          totalDays: 5,
          deadline: dayStart(16),
          statutoryDeadline: dayStart(51),
          alert: 'none',
        },
      },
    ]);
    const s = stateOf(outcome);
    expect([s.deadline, s.statutoryDeadline, s.extensionDays]).toEqual([dayStart(16), dayStart(51), 5]);
    expect(s.extensions).toEqual([{ workingDays: 5, reason: '情况复杂', at: day(2), by: 's1' }]);
  });

  it('moves by working days of the real calendar', () => {
    // accepted Mon 2026-09-14, deadline ends with Mon 2026-09-28; +3 → 29, 30, 10-08
    const s = after(undefined, submitCmd(ALL_MATERIALS), WINDOW, sh('2026-09-14T10:00'), CAL);
    expect(one(when(s, extend(3), SUPERVISOR, sh('2026-09-15T10:00'), CAL), 'extension_granted').deadline).toBe(
      sh('2026-10-09'),
    );
  });

  it('at most 15 working days in all: past that is refused with 422 extension_limit', () => {
    const s = after(given(acceptedCase()), extend(10), SUPERVISOR, day(2));
    refused(when(s, extend(6), SUPERVISOR, day(3)), 422, 'extension_limit');
    refused(when(given(acceptedCase()), extend(16), SUPERVISOR, day(2)), 422, 'extension_limit');
    expect(one(when(s, extend(5), SUPERVISOR, day(3)), 'extension_granted').totalDays).toBe(15);
    refused(when(after(s, extend(5), SUPERVISOR, day(3)), extend(1), SUPERVISOR, day(4)), 422, 'extension_limit');
  });

  it('a non-positive or fractional number of days is refused with 422 invalid_extension', () => {
    refused(when(given(acceptedCase()), extend(0), SUPERVISOR, day(2)), 422, 'invalid_extension');
    refused(when(given(acceptedCase()), extend(-2), SUPERVISOR, day(2)), 422, 'invalid_extension');
    refused(when(given(acceptedCase()), extend(1.5), SUPERVISOR, day(2)), 422, 'invalid_extension');
  });

  it('resets the alert: a red case extended past today becomes none (or yellow) and can go overdue again at the new deadline', () => {
    const red = after(given(decidingCase()), TICK, SYSTEM, dayStart(11));
    expect(red.alert).toBe('red');
    const none = after(red, extend(5), SUPERVISOR, day(11));
    expect([none.alert, none.caseWarned, none.caseOverdue, none.deadline]).toEqual([
      'none',
      false,
      false,
      dayStart(16),
    ]);
    expect(types(when(none, TICK, SYSTEM, dayStart(16)))).toEqual(['case_warned', 'case_overdue', 'escalated']);

    const yellow = after(red, extend(2), SUPERVISOR, day(11));
    expect([yellow.alert, yellow.caseWarned, yellow.caseOverdue]).toEqual(['yellow', true, false]);

    const stillRed = when(after(given(decidingCase()), TICK, SYSTEM, dayStart(15)), extend(1), SUPERVISOR, day(15));
    expect(one(stillRed, 'extension_granted').alert).toBe('red');
  });

  it('is for supervisors only (403)', () => {
    refused(when(given(acceptedCase()), extend(2), WINDOW, day(2)), 403, 'forbidden_role');
  });

  it('before acceptance is refused with 409 clock_not_started', () => {
    refused(
      when(given([submittedEvent(day(0), { materials: ['A'] })]), extend(2), SUPERVISOR, day(2)),
      409,
      'clock_not_started',
    );
  });

  it('after the decision is refused with 409 case_already_decided', () => {
    refused(
      when(after(given(decidingCase()), decideCmd('approve'), PLAN, day(3)), extend(2), SUPERVISOR, day(4)),
      409,
      'case_already_decided',
    );
  });
});

describe('withdrawal (撤回)', () => {
  const withdraw: CaseCommand = { type: 'withdraw', reason: '申请人申请撤回' };

  it.each<[string, () => CaseState]>([
    ['awaiting_materials', () => given([submittedEvent(day(0), { materials: ['A'] })])],
    ['in_review', () => given(acceptedCase())],
    [
      'suspended',
      () => after(given(acceptedCase()), { type: 'start_special_procedure', kind: '听证', reason: 'r' }, PLAN, day(1)),
    ],
    ['deciding', () => given(decidingCase())],
  ])('before the decision (%s): withdrawn, and every timer is cancelled', (_status, state) => {
    const outcome = when(state(), withdraw, WINDOW, day(3));
    expect(outcome.events).toEqual([{ type: 'withdrawn', data: { reason: '申请人申请撤回' } }]);
    const s = stateOf(outcome);
    expect(s.status).toBe('withdrawn');
    expect(s.withdrawal).toEqual({ reason: '申请人申请撤回', at: day(3) });
    expect(armedTimers(s, DEMO)).toEqual([]);
    expect(when(s, TICK, SYSTEM, day(60)).events).toEqual([]);
  });

  it('after the decision is refused with 409 case_already_decided', () => {
    const approved = after(given(decidingCase()), decideCmd('approve'), PLAN, day(3));
    refused(when(approved, withdraw, WINDOW, day(4)), 409, 'case_already_decided');
    const filed = after(given(decidingCase()), decideCmd('reject', { reason: 'r' }), PLAN, day(3));
    refused(when(filed, withdraw, WINDOW, day(4)), 409, 'case_already_decided');
  });

  it('is through the window only (403)', () => {
    refused(when(given(acceptedCase()), withdraw, PLAN, day(2)), 403, 'forbidden_role');
  });
});

// ================================================================ commands and the states that allow them

describe('commands and the states that allow them', () => {
  const FEES = { PLAN: { ...APPROVE, fees: [{ item: 'plan_fee', amountCents: 1_000 }] } };
  const STATES: Record<string, () => CaseState> = {
    awaiting_materials: () =>
      given([
        submittedEvent(day(0), { materials: ['A'] }),
        { type: 'materials_notice_issued', data: { missing: MATTER.requiredMaterials.slice(1) }, at: day(0) },
      ]),
    in_review: () => given(acceptedCase()),
    'suspended (supplement)': () =>
      given([
        ...acceptedCase(),
        opinionGiven('PLAN', APPROVE, day(1)),
        opinionGiven('FIRE', supplement('X'), day(1)),
        opinionGiven('ENV', APPROVE, day(1)),
        {
          type: 'supplement_notice_issued',
          data: {
            requests: [{ dept: 'FIRE', materials: [{ code: 'X', name: '材料X' }] }],
            materials: [{ code: 'X', name: '材料X' }],
          },
          at: day(1),
        },
        { type: 'clock_suspended', data: { kind: 'supplement', from: day(1) }, at: day(1) },
      ]),
    'suspended (special procedure)': () =>
      given([
        ...acceptedCase(),
        { type: 'special_procedure_started', data: { procedureId: 'P1', kind: '检验检测', reason: 'r' }, at: day(1) },
        { type: 'clock_suspended', data: { kind: 'special_procedure', from: day(1) }, at: day(1) },
      ]),
    deciding: () => given(decidingCase()),
    negative_review: () => after(given(decidingCase()), decideCmd('reject', { reason: 'r' }), PLAN, day(3)),
    awaiting_payment: () => after(given(decidingCase(FEES)), decideCmd('approve'), PLAN, day(3)),
    completed: () => after(given(decidingCase()), decideCmd('approve'), PLAN, day(3)),
    rejected: () =>
      play(given(decidingCase()), [
        [decideCmd('reject', { reason: 'r' }), PLAN, day(3)],
        [{ type: 'review_negative_filing', outcome: 'confirm', note: 'n' }, SUPERVISOR, day(4)],
      ]),
    refused: () => after(STATES.awaiting_materials!(), { type: 'refuse', reason: 'r' }, WINDOW, day(1)),
    withdrawn: () => after(given(acceptedCase()), { type: 'withdraw', reason: 'r' }, WINDOW, day(1)),
    terminated: () =>
      after(after(given(decidingCase(FEES)), decideCmd('approve'), PLAN, day(3)), TICK, SYSTEM, day(13)),
  };
  const ALL_STATES = Object.keys(STATES);

  it('the canonical states are what they say', () => {
    for (const [name, state] of Object.entries(STATES)) expect(state().status).toBe(name.split(' ')[0]);
  });

  type Row = {
    command: CaseCommand;
    actor: Actor;
    allowed: string[];
    refusal: Record<string, string>;
    otherwise: string;
  };
  const BEFORE = [
    'awaiting_materials',
    'in_review',
    'suspended (supplement)',
    'suspended (special procedure)',
    'deciding',
  ];
  const CLOSED = { refused: 'case_closed', withdrawn: 'case_closed', terminated: 'case_closed' };
  const ROWS: Record<string, Row> = {
    register_materials: {
      command: { type: 'register_materials', materials: ['B', 'C'] },
      actor: WINDOW,
      allowed: ['awaiting_materials'],
      refusal: {},
      otherwise: 'not_awaiting_materials',
    },
    refuse: {
      command: { type: 'refuse', reason: 'r' },
      actor: WINDOW,
      allowed: ['awaiting_materials'],
      refusal: CLOSED,
      otherwise: 'case_already_accepted',
    },
    give_opinion: {
      command: opinionCmd(APPROVE),
      actor: ENV,
      allowed: ['in_review'],
      refusal: { 'suspended (supplement)': 'opinion_already_given', deciding: 'opinion_already_given' },
      otherwise: 'case_not_in_review',
    },
    register_supplement: {
      command: { type: 'register_supplement', materials: ['X'] },
      actor: WINDOW,
      allowed: ['suspended (supplement)'],
      refusal: {},
      otherwise: 'not_awaiting_supplement',
    },
    convene_meeting: {
      command: { type: 'convene_meeting', kind: 'review_meeting', scheduledAt: 's', departments: ['FIRE'] },
      actor: PLAN,
      allowed: ['in_review'],
      refusal: {},
      otherwise: 'case_not_in_review',
    },
    start_special_procedure: {
      command: { type: 'start_special_procedure', kind: '鉴定', reason: 'r' },
      actor: PLAN,
      allowed: ['in_review'],
      refusal: {},
      otherwise: 'case_not_in_review',
    },
    decide: {
      command: decideCmd('approve'),
      actor: PLAN,
      allowed: ['deciding'],
      refusal: {
        in_review: 'opinions_pending',
        'suspended (supplement)': 'opinions_pending',
        'suspended (special procedure)': 'opinions_pending',
      },
      otherwise: 'case_not_deciding',
    },
    review_negative_filing: {
      command: { type: 'review_negative_filing', outcome: 'confirm', note: 'n' },
      actor: SUPERVISOR,
      allowed: ['negative_review'],
      refusal: {},
      otherwise: 'not_in_negative_review',
    },
    confirm_payment: {
      command: { type: 'confirm_payment', paymentRef: 'P-1', amountCents: 1_000 },
      actor: WINDOW,
      allowed: ['awaiting_payment'],
      refusal: {},
      otherwise: 'not_awaiting_payment',
    },
    urge: {
      command: { type: 'urge', message: 'm' },
      actor: SUPERVISOR,
      allowed: BEFORE,
      refusal: CLOSED,
      otherwise: 'case_already_decided',
    },
    extend: {
      command: { type: 'extend', workingDays: 2, reason: 'r' },
      actor: SUPERVISOR,
      allowed: BEFORE.slice(1),
      refusal: { ...CLOSED, awaiting_materials: 'clock_not_started' },
      otherwise: 'case_already_decided',
    },
    withdraw: {
      command: { type: 'withdraw', reason: 'r' },
      actor: WINDOW,
      allowed: BEFORE,
      refusal: CLOSED,
      otherwise: 'case_already_decided',
    },
  };

  const cases = Object.entries(ROWS).flatMap(([name, row]) => ALL_STATES.map((state) => [name, state, row] as const));
  it.each(cases)('%s in %s', (_name, stateName, row) => {
    const outcome = when(STATES[stateName]!(), row.command, row.actor, day(5));
    if (row.allowed.includes(stateName)) {
      expect(succeeded(outcome).length).toBeGreaterThan(0);
    } else {
      refused(outcome, 409, row.refusal[stateName] ?? row.otherwise);
    }
  });

  const wrongActors: [string, CaseCommand, string, Actor, string][] = [
    ['register_materials', ROWS.register_materials!.command, 'awaiting_materials', FIRE, 'forbidden_role'],
    ['refuse', ROWS.refuse!.command, 'awaiting_materials', SUPERVISOR, 'forbidden_role'],
    ['give_opinion', ROWS.give_opinion!.command, 'in_review', WINDOW, 'not_reviewing_department'],
    ['register_supplement', ROWS.register_supplement!.command, 'suspended (supplement)', PLAN, 'forbidden_role'],
    ['convene_meeting', ROWS.convene_meeting!.command, 'in_review', FIRE, 'not_lead_department'],
    ['start_special_procedure', ROWS.start_special_procedure!.command, 'in_review', WINDOW, 'not_lead_department'],
    [
      'end_special_procedure',
      { type: 'end_special_procedure', procedureId: 'P1', outcome: 'o' },
      'suspended (special procedure)',
      ENV,
      'not_lead_department',
    ],
    ['decide', ROWS.decide!.command, 'deciding', ENV, 'not_lead_department'],
    ['decide (in the wrong state too)', ROWS.decide!.command, 'in_review', WINDOW, 'not_lead_department'],
    ['review_negative_filing', ROWS.review_negative_filing!.command, 'negative_review', PLAN, 'forbidden_role'],
    ['confirm_payment', ROWS.confirm_payment!.command, 'awaiting_payment', SUPERVISOR, 'forbidden_role'],
    ['urge', ROWS.urge!.command, 'in_review', ADMIN, 'forbidden_role'],
    ['extend', ROWS.extend!.command, 'in_review', PLAN, 'forbidden_role'],
    ['withdraw', ROWS.withdraw!.command, 'in_review', SUPERVISOR, 'forbidden_role'],
  ];
  it.each(wrongActors)('%s by anyone else → 403', (_name, command, stateName, actor, code) => {
    refused(when(STATES[stateName]!(), command, actor, day(5)), 403, code);
  });
});
