import { describe, it, expect } from 'vitest';
import type { Opinion } from '../../domain/types';
import { toCaseView, toPublicView } from '../../domain/view';
import {
  DEMO,
  LEAD,
  SUPERVISOR,
  SYSTEM,
  TICK,
  WINDOW,
  acceptedCase,
  after,
  dayStart,
  day,
  decideCmd,
  decidingCase,
  dept,
  given,
  opinionGiven,
  play,
  submittedEvent,
} from './support/given';

const PLAN = dept(LEAD);
const SECRET = 'INTERNAL';

const secretOpinions: Record<string, Opinion> = {
  PLAN: {
    verdict: 'approve_with_conditions',
    comment: `${SECRET}-comment-plan`,
    conditions: [`${SECRET}-condition`],
    fees: [{ item: 'plan_fee', amountCents: 1_000 }],
  },
  FIRE: { verdict: 'reject', comment: `${SECRET}-reject-reason` },
  ENV: { verdict: 'approve', comment: `${SECRET}-comment-env` },
};

/** States along the way, each full of internal comments, conditions and reasons. */
const STATES = {
  in_review: () => given([...acceptedCase(), opinionGiven('FIRE', secretOpinions.FIRE!, day(1))]),
  meeting_and_procedure: () =>
    play(given(acceptedCase()), [
      [{ type: 'convene_meeting', kind: 'site_inspection', scheduledAt: 's', departments: ['FIRE'] }, PLAN, day(1)],
      [
        { type: 'record_minutes', meetingId: 'M1', findings: [{ dept: 'FIRE', text: `${SECRET}-finding` }] },
        PLAN,
        day(1),
      ],
      [{ type: 'start_special_procedure', kind: '专家评审', reason: `${SECRET}-procedure-reason` }, PLAN, day(2)],
    ]),
  awaiting_payment_after_overrule: () =>
    play(given(decidingCase(secretOpinions)), [
      [
        decideCmd('approve', {
          reason: `${SECRET}-decision-reason`,
          legalBasis: `${SECRET}-basis`,
          overruleReason: `${SECRET}-overrule`,
        }),
        PLAN,
        day(3),
      ],
    ]),
  negative_review: () =>
    play(given(decidingCase(secretOpinions)), [
      [decideCmd('reject', { reason: `${SECRET}-rejection`, legalBasis: `${SECRET}-basis` }), PLAN, day(3)],
    ]),
  rejected: () =>
    play(given(decidingCase(secretOpinions)), [
      [decideCmd('reject', { reason: `${SECRET}-rejection` }), PLAN, day(3)],
      [{ type: 'review_negative_filing', outcome: 'confirm', note: `${SECRET}-note` }, SUPERVISOR, day(4)],
    ]),
  overturned: () =>
    play(given(decidingCase(secretOpinions)), [
      [decideCmd('reject', { reason: `${SECRET}-rejection` }), PLAN, day(3)],
      [{ type: 'review_negative_filing', outcome: 'overturn', note: `${SECRET}-note` }, SUPERVISOR, day(4)],
    ]),
  completed: () =>
    play(
      given(
        decidingCase({
          ...secretOpinions,
          PLAN: { ...secretOpinions.PLAN!, fees: [] },
          FIRE: { verdict: 'approve', comment: `${SECRET}-x` },
        }),
      ),
      [[decideCmd('approve', { reason: `${SECRET}-r` }), PLAN, day(3)]],
    ),
  withdrawn: () =>
    play(given([...acceptedCase(), opinionGiven('FIRE', secretOpinions.FIRE!, day(1))]), [
      [{ type: 'withdraw', reason: `${SECRET}-withdrawal` }, WINDOW, day(2)],
    ]),
};

describe('applicant progress (toPublicView)', () => {
  it.each(Object.entries(STATES))('never contains comments, conditions or reasons (%s)', (_name, state) => {
    const s = state();
    const json = JSON.stringify(toPublicView(s));
    expect(json).not.toContain(SECRET);
    // the staff view of the same state does carry them (so the check above is meaningful)
    expect(JSON.stringify(toCaseView(s, day(5), DEMO))).toContain(SECRET);
  });

  it('shows the stage, which departments answered, the deadline', () => {
    const v = toPublicView(STATES.in_review());
    expect(v).toMatchObject({ status: 'in_review', deadline: expect.any(String), result: null, decision: null });
    expect(v.departments).toEqual([
      { dept: 'PLAN', answered: false },
      { dept: 'FIRE', answered: true },
      { dept: 'ENV', answered: false },
    ]);
    expect(Object.keys(v.departments[0]!)).toEqual(['dept', 'answered']);
  });

  it('shows the missing materials while awaiting them, and the payment due', () => {
    const awaiting = given([
      submittedEvent(day(0), { materials: ['A'] }),
      { type: 'materials_notice_issued', data: { missing: [{ code: 'B', name: '设计图纸' }] }, at: day(0) },
    ]);
    expect(toPublicView(awaiting).missingMaterials).toEqual([{ code: 'B', name: '设计图纸' }]);
    expect(toPublicView(STATES.awaiting_payment_after_overrule()).payment).toEqual({
      totalCents: 1_000,
      dueAt: expect.any(String),
    });
  });

  it('shows the result once completed, and the rejection once confirmed', () => {
    const done = toPublicView(STATES.completed());
    expect(done).toMatchObject({
      status: 'completed',
      decision: 'approved',
      result: { number: expect.stringMatching(/^XK/) },
    });
    expect(toPublicView(STATES.rejected())).toMatchObject({ status: 'rejected', decision: 'rejected' });
    // a rejection not yet confirmed by the supervisor is not announced
    expect(toPublicView(STATES.negative_review()).decision).toBeNull();
  });
});

describe('staff view (toCaseView) clock figures', () => {
  it('used and remaining working days as of now', () => {
    const v = toCaseView(given(acceptedCase()), day(4), DEMO);
    expect(v.clock).toMatchObject({
      timeLimitDays: 10,
      usedWorkingDays: 4,
      remainingWorkingDays: 6,
      suspended: false,
      extensionDays: 0,
      calendar: 'demo',
    });
    expect(v.alert).toBe('none');
  });

  it('stand still while suspended', () => {
    const s = after(
      given(acceptedCase()),
      { type: 'start_special_procedure', kind: '鉴定', reason: 'r' },
      PLAN,
      day(3),
    );
    const v = toCaseView(s, day(8), DEMO);
    expect(v.clock).toMatchObject({ usedWorkingDays: 3, remainingWorkingDays: 7, suspended: true });
    expect(v.clock.suspensions).toEqual([
      { kind: 'special_procedure', from: expect.any(String), to: null, workingDays: null },
    ]);
  });

  it('red and negative remaining days when overdue', () => {
    const s = after(after(given(decidingCase()), TICK, SYSTEM, dayStart(8)), TICK, SYSTEM, dayStart(11));
    const v = toCaseView(s, day(13), DEMO);
    expect(v.alert).toBe('red');
    expect(v.clock.remainingWorkingDays).toBe(-3);
  });
});
