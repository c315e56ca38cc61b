import { describe, expect, it } from 'vitest';
import { nextTimer } from '../../domain/timers';
import type { CaseCommand } from '../../domain/commands';
import {
  APPLICANT,
  CASE_NO,
  DEMO,
  LEAD,
  SYSTEM,
  TICK,
  WINDOW,
  after,
  all,
  day,
  dayStart,
  decideCmd,
  dept,
  matter,
  one,
  opinionCmd,
  APPROVE,
  play,
  refused,
  stateOf,
  types,
  when,
} from './support/given';

const PLAN = dept(LEAD);
const FIRE = dept('FIRE');
const ENV = dept('ENV');

// A matter whose 土地证明 (C) may follow within 3 working days, and whose 设计图纸 (B) proof a commitment may replace.
const M = matter({
  requiredMaterials: [
    { code: 'A', name: '申请表' },
    { code: 'B', name: '设计图纸', commitmentAllowed: true },
    { code: 'C', name: '土地证明', deferrable: true, deferredForm: '原件' },
  ],
  deferredDays: 3,
  verifyDays: 4,
});
const PROMISE = { text: '本人承诺在规定期限内补齐容缺材料', signedBy: '张三' };

const submit = (over: Partial<Extract<CaseCommand, { type: 'submit' }>> = {}): CaseCommand => ({
  type: 'submit',
  caseNo: CASE_NO,
  matter: M,
  applicant: APPLICANT,
  priority: 'normal',
  materials: ['A', 'B'],
  queryCodeHash: 'h',
  ...over,
});
const allApprove = (at: number): [CaseCommand, typeof PLAN, number][] => [
  [opinionCmd(APPROVE), FIRE, at],
  [opinionCmd(APPROVE), ENV, at],
  [opinionCmd(APPROVE), PLAN, at],
];

describe('容缺受理: acceptance with a deferrable material missing, under a signed promise', () => {
  const deferred = () => after(undefined, submit({ deferredMaterials: ['C'], promise: PROMISE }), WINDOW, day(0));

  it('accepts at once, the review starts, and the one notice says what, in what form, by when and what if not', () => {
    const outcome = when(undefined, submit({ deferredMaterials: ['C'], promise: PROMISE }), WINDOW, day(0));
    expect(types(outcome)).toEqual([
      'submitted',
      'accepted',
      'copied_to_department',
      'copied_to_department',
      'copied_to_department',
      'deferral_accepted',
    ]);
    const notice = one(outcome, 'deferral_accepted');
    expect(notice.materials).toEqual([{ code: 'C', name: '土地证明', form: '原件', dueAt: dayStart(4) }]);
    expect(notice.promise).toEqual(PROMISE);
    expect(notice.consequence).toContain('deferred_materials_not_supplied');
    expect(stateOf(outcome).status).toBe('in_review');
  });

  it('the lead cannot approve while the material is outstanding; registering it clears it', () => {
    const deciding = play(deferred(), allApprove(day(1)));
    expect(deciding.status).toBe('deciding');
    refused(when(deciding, decideCmd('approve'), PLAN, day(2)), 409, 'deferred_materials_outstanding');
    const supplied = when(deciding, { type: 'register_materials', materials: ['C'] }, WINDOW, day(2));
    expect(one(supplied, 'deferred_materials_supplied')).toEqual({ materials: ['C'], outstanding: [] });
    expect(types(when(stateOf(supplied), decideCmd('approve'), PLAN, day(2)))).toContain('decided');
  });

  it('a rejection needs no deferred material', () => {
    const deciding = play(deferred(), allApprove(day(1)));
    expect(types(when(deciding, decideCmd('reject', { reason: '不符合' }), PLAN, day(2)))).toContain('decided');
  });

  it('at the due time with the material still missing the case is terminated, and no sooner', () => {
    const s = deferred();
    expect(nextTimer(s, DEMO)).toMatchObject({ kind: 'dept_warn' });
    expect(all(when(s, TICK, SYSTEM, dayStart(4) - 1), 'terminated')).toEqual([]);
    const outcome = when(play(s, allApprove(day(1))), TICK, SYSTEM, dayStart(4));
    expect(one(outcome, 'terminated')).toMatchObject({ code: 'deferred_materials_not_supplied' });
    expect(stateOf(outcome).status).toBe('terminated');
  });

  it('a supplied material disarms the termination', () => {
    const s = after(deferred(), { type: 'register_materials', materials: ['C'] }, WINDOW, day(1));
    expect(types(when(play(s, allApprove(day(1))), TICK, SYSTEM, dayStart(4)))).not.toContain('terminated');
  });

  it('only deferrable materials, only for applicants the credit system does not restrict, only with a promise', () => {
    refused(
      when(undefined, submit({ deferredMaterials: ['A'], promise: PROMISE, materials: ['B'] }), WINDOW, day(0)),
      422,
      'deferral_not_allowed',
    );
    refused(
      when(
        undefined,
        submit({ deferredMaterials: ['C'], promise: PROMISE, applicant: { ...APPLICANT, creditRestricted: true } }),
        WINDOW,
        day(0),
      ),
      422,
      'deferral_not_allowed',
    );
    refused(when(undefined, submit({ deferredMaterials: ['C'] }), WINDOW, day(0)), 422, 'promise_required');
  });

  it('a material neither handed in nor deferred is still missing: one notice, no acceptance', () => {
    const outcome = when(
      undefined,
      submit({ materials: ['A'], deferredMaterials: ['C'], promise: PROMISE }),
      WINDOW,
      day(0),
    );
    expect(one(outcome, 'materials_notice_issued').missing.map((m) => m.code)).toEqual(['B']);
    const accepted = when(stateOf(outcome), { type: 'register_materials', materials: ['B'] }, WINDOW, day(1));
    expect(types(accepted)).toContain('deferral_accepted');
    expect(one(accepted, 'deferral_accepted').materials[0]!.dueAt).toBe(dayStart(5)); // 3 working days from acceptance
  });
});

describe('告知承诺制: a written commitment in place of a proof, verified after approval', () => {
  const committed = () => after(undefined, submit({ materials: ['A', 'C'], commitments: ['B'] }), WINDOW, day(0));
  const approved = () => after(play(committed(), allApprove(day(1))), decideCmd('approve'), PLAN, day(2));
  const verify = (outcome: 'confirmed' | 'false_commitment', note = '核查结果'): CaseCommand => ({
    type: 'verify_commitments',
    outcome,
    note,
  });

  it('the commitment is recorded in place of the material and the case is accepted', () => {
    const s = committed();
    expect(s.status).toBe('in_review');
    expect(s.commitments).toEqual([{ code: 'B', name: '设计图纸', committedAt: day(0) }]);
  });

  it('after approval the verifying department (default the lead) must check within verifyDays; the case stays open', () => {
    const s = approved();
    expect(s.status).toBe('completed');
    expect(s.verification).toEqual({ dept: LEAD, dueAt: dayStart(7), overdue: false });
    expect(nextTimer(s, DEMO)).toEqual({ at: dayStart(7), kind: 'verification_overdue' });
  });

  it('confirmed: recorded, nothing else changes', () => {
    const outcome = when(approved(), verify('confirmed'), PLAN, day(3));
    expect(one(outcome, 'commitments_verified')).toEqual({ outcome: 'confirmed', note: '核查结果', late: false });
    expect(stateOf(outcome).status).toBe('completed');
    expect(nextTimer(stateOf(outcome), DEMO)).toBeUndefined();
  });

  it('false_commitment revokes the approval with a credit record', () => {
    const outcome = when(approved(), verify('false_commitment', '图纸与现场不符'), PLAN, day(3));
    expect(types(outcome)).toEqual(['commitments_verified', 'approval_revoked']);
    expect(one(outcome, 'approval_revoked').creditRecord).toMatchObject({
      applicantName: APPLICANT.name,
      materials: [{ code: 'B', name: '设计图纸' }],
      note: '图纸与现场不符',
    });
    expect(stateOf(outcome).status).toBe('revoked');
  });

  it('a late check is escalated at its limit and every working day after', () => {
    const late = when(approved(), TICK, SYSTEM, dayStart(7));
    expect(one(late, 'escalated')).toMatchObject({ scope: 'verification', depts: [LEAD] });
    expect(nextTimer(stateOf(late), DEMO)).toEqual({ at: dayStart(8), kind: 'verification_escalate' });
    expect(one(when(stateOf(late), verify('confirmed'), PLAN, day(8)), 'commitments_verified').late).toBe(true);
  });

  it('only the verifying department, only once, only when there is something to verify; a false one needs a note', () => {
    refused(when(approved(), verify('confirmed'), FIRE, day(3)), 403, 'not_verifying_department');
    refused(when(committed(), verify('confirmed'), PLAN, day(1)), 409, 'no_verification_pending');
    refused(when(approved(), verify('false_commitment', ' '), PLAN, day(3)), 422, 'note_required');
    const done = after(approved(), verify('confirmed'), PLAN, day(3));
    refused(when(done, verify('confirmed'), PLAN, day(4)), 409, 'already_verified');
  });

  it('a commitment only where the matter allows it, and not for a credit-restricted applicant', () => {
    refused(
      when(undefined, submit({ materials: ['B', 'C'], commitments: ['A'] }), WINDOW, day(0)),
      422,
      'commitment_not_allowed',
    );
    refused(
      when(
        undefined,
        submit({ materials: ['A', 'C'], commitments: ['B'], applicant: { ...APPLICANT, creditRestricted: true } }),
        WINDOW,
        day(0),
      ),
      422,
      'commitment_not_allowed',
    );
  });

  it('a verifying department other than the lead may be named by the matter', () => {
    const m = { ...M, verifyDept: 'ENV' };
    const s = after(
      play(
        after(undefined, submit({ matter: m, materials: ['A', 'C'], commitments: ['B'] }), WINDOW, day(0)),
        allApprove(day(1)),
      ),
      decideCmd('approve'),
      PLAN,
      day(2),
    );
    expect(s.verification?.dept).toBe('ENV');
    expect(types(when(s, verify('confirmed'), ENV, day(3)))).toEqual(['commitments_verified']);
  });
});
